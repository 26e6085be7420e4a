#include "backend/fleethost/ConsoleFleetHost.h"

#include "backend/autoscale/AutoscaleOperator.h"
#include "backend/config/FleetCommandConfig.h"
#include "backend/fleet/KubernetesReplicaSet.h"
#include "backend/fleet/LocalReplica.h"
#include "backend/fleet/LocalReplicaSet.h"
#include "backend/fleet/ReplicaScrapeSources.h"
#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/fleethost/LocalFleetHost.h"
#include "backend/redis/MasterLocator.h"
#include "backend/redis/RedisAddress.h"
#include "backend/scaling/FleetProbe.h"
#include "backend/scaling/FleetThreadHost.h"
#include "backend/scaling/HostResourcesCheck.h"
#include "backend/scaling/HpaConflictCheck.h"
#include "backend/scaling/NginxConfigCheck.h"
#include "backend/scaling/PortsFreeCheck.h"
#include "backend/scaling/RedisReachableCheck.h"
#include "backend/scaling/ScaleOperator.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/telemetry/TelemetryEngine.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QPointer>
#include <QThread>
#include <algorithm>
#include <spdlog/spdlog.h>

namespace querydeck {

ConsoleFleetHost::ConsoleFleetHost(ConsoleConfig console, ServiceConfig service,
                                   TelemetryEngine* engine, QThread* controlThread, QObject* parent)
    : QObject(parent)
    , m_console(std::move(console))
    , m_service(std::move(service))
    , m_engine(engine)
    , m_controlThread(controlThread)
    , m_serveBinary(QCoreApplication::applicationFilePath())
    , m_secrets(std::make_shared<KeychainSecretStore>())
{
}

ConsoleFleetHost::~ConsoleFleetHost()
{
    if (m_autoscaler)
        QMetaObject::invokeMethod(m_autoscaler, &AutoscaleOperator::stop,
                                  Qt::BlockingQueuedConnection);
    // Deletes the controller and the set on the control thread; the local
    // set's destructor kills what still runs (replicas, nginx) there.
    delete m_fleet;
}

ScaleOperatorMirror* ConsoleFleetHost::scaleMirror() const
{
    return m_fleet ? m_fleet->scaleMirror() : nullptr;
}

QString ConsoleFleetHost::start()
{
    const FleetConsoleConfig& fleet = m_console.fleet;
    if (fleet.isLocal()) {
        LocalFleetOptions options;
        options.querydeckBinary = m_serveBinary;
        applyLocalFleetOptions(fleet, m_service.http.drainTimeoutMs, options);
        options.configFile =
            fleet.configFile.isEmpty() ? QString() : QFileInfo(fleet.configFile).absoluteFilePath();
        if (!fleet.corpus.isEmpty())
            options.extraArguments << QStringLiteral("--corpus")
                                   << QFileInfo(fleet.corpus).absoluteFilePath();
        options.runtimeDir = fleet.runtimeDir;
        if (!LocalFleetHost::prepareRuntimeDir(options.runtimeDir, options.frontPort))
            return QStringLiteral("console.fleet.local.runtime_dir: cannot create \"%1\"")
                .arg(options.runtimeDir);
        m_firstReplicaPort = options.replicaPort(1);
        m_runtimeDir = options.runtimeDir;
        // No parent: it moves to the control thread below.
        auto* set = new LocalReplicaSet(options);
        m_set = set;
        m_frontAddress = set->frontAddress();
        connect(set, &LocalReplicaSet::replicaOutput, set,
                [](const QString& id, const QString& line) {
                    spdlog::info("[replica {}] {}", id.toStdString(), line.toStdString());
                });
        addChecks();
    } else if (fleet.isKubernetes()) {
        m_set = new KubernetesReplicaSet(fleet.kubernetes, m_secrets.get());
        addChecks();
    } else {
        return {};
    }
    connect(m_set, &ReplicaSet::event, m_set,
            [](const QString& message) { spdlog::info("[fleet] {}", message.toStdString()); });
    m_fleet = new FleetThreadHost(m_set, m_scale, m_controlThread);
    m_mirror = m_fleet->mirror();
    if (fleet.isLocal()) {
        m_mirror->scale(fleet.replicas); // queued to the control thread
    } else {
        auto* kube = static_cast<KubernetesReplicaSet*>(m_set);
        QMetaObject::invokeMethod(kube, [kube] { kube->refresh(); });
    }
    // Local replicas are scraped directly. Pod IPs are rarely reachable from a
    // workstation: a Kubernetes fleet is watched through console.scrape_targets
    // (a Prometheus or a Service), not pod by pod.
    if (fleet.isLocal())
        new ReplicaScrapeSources(m_mirror, m_engine, m_console.scrapeIntervalMs, this);
    startAutoscaler();
    return {};
}

void ConsoleFleetHost::addChecks()
{
    m_scale = new ScaleOperator(m_set, std::make_shared<StoreFleetProbe>(m_engine->store()));
    if (qobject_cast<LocalReplicaSet*>(m_set)) {
        m_scale->addCheck(std::make_unique<PortsFreeCheck>());
        m_scale->addCheck(std::make_unique<HostResourcesCheck>());
        LocalFleetOptions options;
        applyLocalFleetOptions(m_console.fleet, m_service.http.drainTimeoutMs, options);
        m_scale->addCheck(std::make_unique<NginxConfigCheck>(options));
    } else if (auto* kube = qobject_cast<KubernetesReplicaSet*>(m_set)) {
        m_scale->addCheck(std::make_unique<HpaConflictCheck>(kube));
    }
    // Only a fixed Redis address is checked; the Sentinel set is the
    // failover wizard's business. No password is read here (it is checked
    // when the replicas connect).
    const RedisConfig& redis = m_service.cache.redis;
    if (!redis.url.isEmpty()) {
        const RedisAddressParser::Parsed parsed = RedisAddressParser::parseUrl(redis.url);
        if (parsed.ok()) {
            RedisEndpoint endpoint;
            endpoint.connectTimeoutMs = redis.connectTimeoutMs;
            endpoint.commandTimeoutMs = redis.commandTimeoutMs;
            m_scale->addCheck(std::make_unique<RedisReachableCheck>(
                std::make_shared<FixedMasterLocator>(parsed.address), endpoint));
        }
    }
}

void ConsoleFleetHost::startAutoscaler()
{
    const AutoscalerConsoleConfig& config = m_console.autoscaler;
    m_autoscaler = new AutoscaleOperator(m_engine->store(), makeAutoscalePolicy(config));
    if (!m_autoscaler->metricsError().isEmpty())
        spdlog::error("[autoscaler] {}", m_autoscaler->metricsError().toStdString());
    m_autoscaler->setReplicaSet(m_set);
    m_autoscaler->setMode(config.mode);
    m_autoscaler->moveToThread(m_controlThread);
    connect(m_controlThread, &QThread::finished, m_autoscaler, &QObject::deleteLater);
    AutoscaleOperator* autoscaler = m_autoscaler;
    ReplicaSet* set = m_set;
    // Both on the control thread: the count is read where the set lives.
    connect(set, &ReplicaSet::replicasChanged, autoscaler,
            [set, autoscaler] { autoscaler->setReplicaCounts(ReplicaCounts::of(*set)); });
    connect(autoscaler, &AutoscaleOperator::decided, this,
            [](const ScaleDecision& decision, AutoscaleMode mode) {
                if (decision.changes())
                    spdlog::info("[autoscaler] {} ({})", decision.describe().toStdString(),
                                 autoscaleModeName(mode).toStdString());
            });
    const int interval = config.intervalMs;
    QMetaObject::invokeMethod(autoscaler, [autoscaler, interval] { autoscaler->start(interval); });
}

QString ConsoleFleetHost::replicaLogPath(const QString& id) const
{
    if (m_runtimeDir.isEmpty() || !m_mirror)
        return {};
    // From the snapshot: the set itself is on the control thread.
    const QList<ReplicaInfo> list = m_mirror->replicas();
    const bool known =
        std::any_of(list.begin(), list.end(), [&id](const ReplicaInfo& r) { return r.id == id; });
    return known ? LocalReplica::logPathIn(m_runtimeDir, id.toInt()) : QString();
}

ScaleRequest ConsoleFleetHost::scaleDefaults() const
{
    ScaleRequest defaults = m_console.fleet.scaleDefaults();
    defaults.basePort = m_firstReplicaPort;
    return defaults;
}

void ConsoleFleetHost::loadHistory(qint64 spanMs, QObject* context, ProfileCallback done) const
{
    if (!m_autoscaler)
        return;
    const TimeSeriesStore* store = &m_engine->store();
    QPointer<QObject> target(context);
    QMetaObject::invokeMethod(m_autoscaler, [store, target, spanMs, done] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QString error;
        const std::vector<LoadPoint> profile = AutoscaleSimulator::fromStore(
            *store, AutoscaleMetrics{}.cpuPercent,
            QStringLiteral("count(querydeck_process_cpu_seconds_total)"), now - spanMs, now,
            std::max<qint64>(15000, spanMs / 2000), &error);
        QMetaObject::invokeMethod(target, [target, profile, error, done] {
            if (target)
                done(profile, error);
        });
    });
}

} // namespace querydeck
