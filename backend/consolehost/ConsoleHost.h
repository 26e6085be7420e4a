#pragma once

#include "backend/config/ConsoleConfig.h"
#include "backend/service/ServiceConfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <memory>

class QThread;

namespace querydeck {

class AlertEngine;
class ConsoleAlertsHost;
class ConsoleFleetHost;
class ConsoleRedisHost;
class QueryService;
class TelemetryEngine;
class TelemetryThread;
class TrafficGenerator;

// Hosts the console's non-UI side (local dev mode and the monitoring wall):
// the embedded query service, the telemetry thread with its sources
// (registry, /proc, scrape targets, Prometheus, Redis INFO), the traffic
// generator, the alerts (ConsoleAlertsHost), the console's Redis
// (ConsoleRedisHost) and fleet (ConsoleFleetHost). The window is built over
// it by ui/shell/ConsoleShell; app/ only parses the command line.
//
// Thread rules: create, start and destroy it on the GUI thread. The engine,
// the traffic generator, the alert engine and the Redis monitor live on the
// telemetry thread: reach them with queued connections and
// QMetaObject::invokeMethod only. Nothing here waits on a socket on the GUI
// thread except the teardown, which stops the generator and the thread, then
// the service, in that order (the window must be gone first: it talks to the
// engine).
class ConsoleHost : public QObject
{
    Q_OBJECT

public:
    // Points per series the engine evaluates for a panel.
    static constexpr int kMaxPoints = 600;

    ConsoleHost(ServiceConfig service, ConsoleConfig console, QObject* parent = nullptr);
    ~ConsoleHost() override;

    // Starts the service (its configured port; a free one when that is taken
    // and `portGiven` is false), the telemetry, the alerts and the fleet.
    // Returns an error, empty on success.
    QString start(bool portGiven);

    const ConsoleConfig& console() const { return m_console; }
    // The embedded service's base URL, e.g. http://127.0.0.1:8000.
    QString serviceAddress() const;
    // The QueryDeck replicas (base URLs) as they are now: the embedded
    // service and the fleet's ready replicas (what the failover wizard
    // verifies). GUI thread.
    QStringList serviceReplicas() const;
    // Milliseconds since start() was called.
    qint64 msSinceStart() const { return m_started.elapsed(); }

    // Null before start(). The engine, generator and alert engine are on the
    // telemetry thread; the hosts on this one.
    TelemetryEngine* engine() const;
    QThread* telemetryThread() const;
    TrafficGenerator* traffic() const { return m_traffic; }
    AlertEngine* alertEngine() const;
    ConsoleAlertsHost* alerts() const { return m_alerts.get(); }
    ConsoleRedisHost* redis() const { return m_redis.get(); }
    ConsoleFleetHost* fleet() const { return m_fleet.get(); }

    // Asks the engine (queued) to evaluate panels over [endMs - rangeMs,
    // endMs] (endMs 0: now) with kMaxPoints points.
    void setRange(qint64 rangeMs, qint64 endMs);

private:
    QString startService(bool portGiven);
    void startTelemetry();
    void startTraffic();
    void followFleetFrontDoor();

    ServiceConfig m_serviceConfig;
    ConsoleConfig m_console;
    std::unique_ptr<QueryService> m_service;
    std::unique_ptr<TelemetryThread> m_telemetry;
    TrafficGenerator* m_traffic = nullptr; // lives on the telemetry thread
    std::unique_ptr<ConsoleAlertsHost> m_alerts;
    std::unique_ptr<ConsoleRedisHost> m_redis; // console.redis: INFO, the monitor
    std::unique_ptr<ConsoleFleetHost> m_fleet; // console.fleet; after telemetry
    QElapsedTimer m_started;
};

} // namespace querydeck
