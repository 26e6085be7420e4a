#include "backend/fleethost/AutoscaleHost.h"

#include "backend/autoscale/AutoscaleOperator.h"
#include "backend/autoscale/AutoscalePolicy.h"
#include "backend/fleet/ReplicaScrapeSources.h"
#include "backend/fleet/ReplicaSet.h"
#include "backend/logging/Logging.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/telemetry/TelemetryThread.h"

#include <QThread>

namespace querydeck {

AutoscaleHost::AutoscaleHost(ReplicaSet* set, FleetCommandConfig config, QObject* parent)
    : QObject(parent)
    , m_set(set)
    , m_config(std::move(config))
{
}

AutoscaleHost::~AutoscaleHost()
{
    stop();
    delete m_sources; // before the engine it hands sources to
    m_telemetry.reset();
}

QString AutoscaleHost::start()
{
    const AutoscalerConsoleConfig& config = m_config.autoscaler;
    auto logger = log::get("autoscaler");
    if (config.mode == AutoscaleMode::Off || !m_set) {
        logger->info("off (fleet.autoscaler.mode): the replica count stays as asked");
        return {};
    }
    m_telemetry = std::make_unique<TelemetryThread>();
    TelemetryEngine* engine = m_telemetry->engine();
    m_operator = new AutoscaleOperator(engine->store(), makeAutoscalePolicy(config));
    if (!m_operator->metricsError().isEmpty()) {
        const QString error = m_operator->metricsError();
        delete m_operator;
        m_operator = nullptr;
        return error;
    }
    m_operator->setReplicaSet(m_set);
    m_operator->setMode(config.mode);
    m_operator->setReplicaCounts(ReplicaCounts::of(*m_set));
    m_operator->moveToThread(m_telemetry->thread());
    connect(m_telemetry->thread(), &QThread::finished, m_operator, &QObject::deleteLater);

    AutoscaleOperator* scaler = m_operator;
    connect(m_set, &ReplicaSet::replicasChanged, this, [this, scaler] {
        const ReplicaCounts counts = ReplicaCounts::of(*m_set);
        QMetaObject::invokeMethod(scaler, [scaler, counts] { scaler->setReplicaCounts(counts); });
    });
    // The operator logs changes at info and holds at debug; a fleet logs
    // every decision, so holds are logged here (queued, on this thread).
    connect(scaler, &AutoscaleOperator::decided, this,
            [](const ScaleDecision& decision, AutoscaleMode mode) {
                if (!decision.changes())
                    log::get("autoscaler")
                        ->info("{} [{}]", decision.describe().toStdString(),
                               autoscaleModeName(mode).toStdString());
            });
    m_sources = new ReplicaScrapeSources(m_set, engine, m_config.scrapeIntervalMs);
    m_telemetry->start();
    const int interval = config.intervalMs;
    QMetaObject::invokeMethod(scaler, [scaler, interval] { scaler->start(interval); });
    logger->info("{} mode, {} policy, one decision every {} ms over each replica's /metrics "
                 "(scraped every {} ms)",
                 autoscaleModeName(config.mode).toStdString(), config.policy.toStdString(),
                 config.intervalMs, m_config.scrapeIntervalMs);
    return {};
}

void AutoscaleHost::stop()
{
    if (!m_operator || m_stopped)
        return;
    QMetaObject::invokeMethod(m_operator, &AutoscaleOperator::stop, Qt::BlockingQueuedConnection);
    m_operator->disconnect(this);
    if (m_set)
        m_set->disconnect(this);
    m_stopped = true; // the operator stays until the telemetry thread ends
}

std::vector<ScaleDecision> AutoscaleHost::history() const
{
    return m_operator ? m_operator->history() : std::vector<ScaleDecision>{};
}

} // namespace querydeck
