#include "app/FleetAutoscaler.h"

#include "backend/autoscale/AutoscaleOperator.h"
#include "backend/autoscale/AutoscalePolicy.h"
#include "backend/fleet/ReplicaScrapeSources.h"
#include "backend/fleet/ReplicaSet.h"
#include "backend/logging/Logging.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/telemetry/TelemetryThread.h"

#include <QThread>

namespace querydeck {

FleetAutoscaler::FleetAutoscaler(ReplicaSet* set, FleetCommandConfig config, QObject* parent)
    : QObject(parent)
    , m_set(set)
    , m_config(std::move(config))
{
}

FleetAutoscaler::~FleetAutoscaler()
{
    stop();
    delete m_sources; // before the engine it hands sources to
    m_telemetry.reset();
}

QString FleetAutoscaler::start()
{
    const AutoscalerConsoleConfig& config = m_config.autoscaler;
    auto logger = log::get("autoscaler");
    if (config.mode == AutoscaleMode::Off || !m_set) {
        logger->info("off (fleet.autoscaler.mode): the replica count stays as asked");
        return {};
    }
    m_telemetry = std::make_unique<TelemetryThread>();
    TelemetryEngine* engine = m_telemetry->engine();
    m_controller = new AutoscaleOperator(engine->store(), makeAutoscalePolicy(config));
    if (!m_controller->metricsError().isEmpty()) {
        const QString error = m_controller->metricsError();
        delete m_controller;
        m_controller = nullptr;
        return error;
    }
    m_controller->setReplicaSet(m_set);
    m_controller->setMode(config.mode);
    m_controller->setReplicaCount(m_set->desiredCount());
    m_controller->moveToThread(m_telemetry->thread());
    connect(m_telemetry->thread(), &QThread::finished, m_controller, &QObject::deleteLater);

    AutoscaleOperator* controller = m_controller;
    connect(m_set, &ReplicaSet::replicasChanged, this, [this, controller] {
        const int count = m_set->desiredCount();
        QMetaObject::invokeMethod(controller,
                                  [controller, count] { controller->setReplicaCount(count); });
    });
    // The controller logs changes at info and holds at debug; a fleet logs
    // every decision, so holds are logged here (queued, on this thread).
    connect(controller, &AutoscaleOperator::decided, this,
            [](const ScaleDecision& decision, AutoscaleMode mode) {
                if (!decision.changes())
                    log::get("autoscaler")
                        ->info("{} [{}]", decision.describe().toStdString(),
                               autoscaleModeName(mode).toStdString());
            });
    m_sources = new ReplicaScrapeSources(m_set, engine, m_config.scrapeIntervalMs);
    m_telemetry->start();
    const int interval = config.intervalMs;
    QMetaObject::invokeMethod(controller, [controller, interval] { controller->start(interval); });
    logger->info("{} mode, {} policy, one decision every {} ms over each replica's /metrics "
                 "(scraped every {} ms)",
                 autoscaleModeName(config.mode).toStdString(), config.policy.toStdString(),
                 config.intervalMs, m_config.scrapeIntervalMs);
    return {};
}

void FleetAutoscaler::stop()
{
    if (!m_controller)
        return;
    QMetaObject::invokeMethod(m_controller, &AutoscaleOperator::stop, Qt::BlockingQueuedConnection);
    m_controller->disconnect(this);
    if (m_set)
        m_set->disconnect(this);
    m_controller = nullptr; // deleted with the telemetry thread
}

} // namespace querydeck
