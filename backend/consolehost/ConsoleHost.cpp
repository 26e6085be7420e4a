#include "backend/consolehost/ConsoleHost.h"

#include "backend/consolehost/ConsoleAlertsHost.h"
#include "backend/consolehost/ConsoleRedisHost.h"
#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/fleethost/ConsoleFleetHost.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryService.h"
#include "backend/service/ServiceMetrics.h"
#include "backend/service/ServiceState.h"
#include "backend/sources/ProcSource.h"
#include "backend/sources/PrometheusSource.h"
#include "backend/sources/RegistrySource.h"
#include "backend/sources/ScrapeSource.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/telemetry/TelemetryThread.h"
#include "backend/traffic/TrafficGenerator.h"

#include <QMetaObject>
#include <QThread>
#include <QTimer>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

constexpr qint64 kDefaultRangeMs = 15 * 60 * 1000;

} // namespace

ConsoleHost::ConsoleHost(ServiceConfig service, ConsoleConfig console, QObject* parent)
    : QObject(parent)
    , m_serviceConfig(std::move(service))
    , m_console(std::move(console))
{
}

ConsoleHost::~ConsoleHost()
{
    // The fleet first (the local set kills its replicas and nginx), then the
    // telemetry thread (it reads the service's registry), then the service.
    m_fleet.reset();
    if (m_traffic)
        QMetaObject::invokeMethod(m_traffic, &TrafficGenerator::stop, Qt::BlockingQueuedConnection);
    m_telemetry.reset();
    if (m_service)
        m_service->stop();
}

QString ConsoleHost::serviceAddress() const
{
    return m_service ? m_service->address() : QString();
}

QStringList ConsoleHost::serviceReplicas() const
{
    QStringList replicas{serviceAddress()};
    if (ReplicaSet* set = m_fleet ? m_fleet->mirror() : nullptr) {
        for (const ReplicaInfo& replica : set->replicas()) {
            if (replica.state == ReplicaState::Ready && !replica.address.isEmpty())
                replicas << QStringLiteral("http://") + replica.address;
        }
    }
    return replicas;
}

TelemetryEngine* ConsoleHost::engine() const
{
    return m_telemetry ? m_telemetry->engine() : nullptr;
}

QThread* ConsoleHost::telemetryThread() const
{
    return m_telemetry ? m_telemetry->thread() : nullptr;
}

AlertEngine* ConsoleHost::alertEngine() const
{
    return m_alerts ? m_alerts->engine() : nullptr;
}

void ConsoleHost::setRange(qint64 rangeMs, qint64 endMs)
{
    QMetaObject::invokeMethod(engine(), "setRange", Qt::QueuedConnection, Q_ARG(qint64, rangeMs),
                              Q_ARG(qint64, endMs), Q_ARG(int, kMaxPoints));
}

QString ConsoleHost::start(bool portGiven)
{
    m_started.start();
    if (QString error = startService(portGiven); !error.isEmpty())
        return error;
    startTelemetry();
    m_fleet = std::make_unique<ConsoleFleetHost>(m_console, m_serviceConfig, m_telemetry->engine(),
                                                 m_telemetry->thread());
    if (QString error = m_fleet->start(); !error.isEmpty())
        return error;
    followFleetFrontDoor();
    return {};
}

QString ConsoleHost::startService(bool portGiven)
{
    // The traffic generator stands in for many users, each sent as its own
    // address in X-Forwarded-For (see TrafficGenerator::setForwardedFor), so
    // the embedded service trusts loopback as a proxy: without it, the
    // generator's users would share one rate-limit bucket. Only loopback
    // clients, on the operator's own machine, could claim another address.
    for (const QString& loopback : {QStringLiteral("127.0.0.1/32"), QStringLiteral("::1/128")})
        if (!m_serviceConfig.http.trustedProxies.contains(loopback))
            m_serviceConfig.http.trustedProxies.append(loopback);
    m_service =
        std::make_unique<QueryService>(m_serviceConfig, std::make_shared<KeychainSecretStore>());
    QString error = m_service->start();
    if (!error.isEmpty() && !portGiven) {
        spdlog::warn("[console] port {} is taken ({}); using a free port",
                     m_serviceConfig.http.port, error.toStdString());
        m_serviceConfig.http.port = 0;
        m_service = std::make_unique<QueryService>(m_serviceConfig,
                                                   std::make_shared<KeychainSecretStore>());
        error = m_service->start();
    }
    return error;
}

void ConsoleHost::startTelemetry()
{
    m_telemetry = std::make_unique<TelemetryThread>();
    TelemetryEngine* engine = m_telemetry->engine();
    QueryService* service = m_service.get();
    engine->addSource(new RegistrySource(service->metrics().registry(), QStringLiteral("local"),
                                         [service] { service->refreshMetrics(); }),
                      m_console.sampleIntervalMs);
    engine->addSource(new ProcSource(), m_console.sampleIntervalMs);
    for (const QString& target : m_console.scrapeTargets) {
        auto* scrape = new ScrapeSource(QUrl(target));
        scrape->setJob(m_console.scrapeJobs.value(target));
        engine->addSource(scrape, m_console.scrapeIntervalMs);
    }
    m_redis = std::make_unique<ConsoleRedisHost>(m_console, m_serviceConfig.cache.redis,
                                                 std::make_shared<KeychainSecretStore>(), engine,
                                                 m_telemetry->thread());
    if (m_console.prometheus.enabled())
        engine->addSource(
            new PrometheusSource(m_console.prometheus, std::make_shared<KeychainSecretStore>()),
            m_console.prometheus.intervalMs);

    m_traffic = new TrafficGenerator();
    m_traffic->setTarget(QUrl(service->address()));
    m_traffic->setForwardedFor(true);
    m_traffic->setRate(m_console.trafficRate);
    m_traffic->moveToThread(m_telemetry->thread());
    connect(m_telemetry->thread(), &QThread::finished, m_traffic, &QObject::deleteLater);
    m_alerts = std::make_unique<ConsoleAlertsHost>(m_console.alerts, &engine->store(),
                                                   m_console.sampleIntervalMs,
                                                   m_telemetry->thread(), service->address());
    m_telemetry->start();
    setRange(kDefaultRangeMs, 0);
    QMetaObject::invokeMethod(engine, &TelemetryEngine::start, Qt::QueuedConnection);
    startTraffic();
}

void ConsoleHost::startTraffic()
{
    // Local dev mode exists to be watched: nothing else talks to the embedded
    // service, so traffic flows from the start (the toolbar switches it off) —
    // from the moment the corpus is indexed, so start-up does not show as 503s.
    auto* readyPoll = new QTimer();
    readyPoll->setInterval(50);
    readyPoll->moveToThread(m_telemetry->thread());
    connect(m_telemetry->thread(), &QThread::finished, readyPoll, &QObject::deleteLater);
    TrafficGenerator* traffic = m_traffic;
    QueryService* service = m_service.get();
    connect(readyPoll, &QTimer::timeout, traffic, [readyPoll, traffic, service] {
        if (service->state().phase() == ServiceState::Phase::Starting)
            return;
        readyPoll->stop();
        traffic->start();
    });
    QMetaObject::invokeMethod(readyPoll, qOverload<>(&QTimer::start), Qt::QueuedConnection);
}

void ConsoleHost::followFleetFrontDoor()
{
    // With a local fleet, the traffic generator loads the fleet through nginx
    // once its replicas are in rotation (until then nginx would answer 502).
    const QString front = m_fleet->frontAddress();
    if (front.isEmpty())
        return;
    TrafficGenerator* traffic = m_traffic;
    connect(
        m_fleet->mirror(), &ReplicaSet::scaleFinished, this,
        [traffic, front](bool ok) {
            if (ok)
                QMetaObject::invokeMethod(traffic, "setTarget", Qt::QueuedConnection,
                                          Q_ARG(QUrl, QUrl(QStringLiteral("http://") + front)));
        },
        Qt::SingleShotConnection);
}

} // namespace querydeck
