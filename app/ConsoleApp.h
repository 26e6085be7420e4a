#pragma once

#include "app/ConsoleOptions.h"
#include "backend/alerting/AlertRule.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/service/ServiceConfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <memory>

class QWidget;

namespace querydeck {

class AlertEngine;
class ConsoleFleetHost;
class ConsoleRedis;
class LogFilterModel;
class LogModel;
class MainWindow;
class QueryService;
class TelemetryThread;
class TrafficGenerator;
class WebhookNotifier;
class WallWindow;

// Local dev mode and the monitoring wall: the embedded query service, the
// telemetry thread with its sources, the traffic generator, and the window,
// wired together. Lives on the GUI thread; everything slow runs elsewhere
// and reaches the window through queued signals.
class ConsoleApp : public QObject
{
    Q_OBJECT

public:
    ConsoleApp(ServiceConfig service, ConsoleConfig console, ConsoleOptions options);
    ~ConsoleApp() override;

    // Starts the service (8000, or a free port when taken and no port was
    // asked for), the telemetry and the window. Returns an error, empty on success.
    QString start(bool portGiven);
    // The alert engine (on the telemetry thread; connect queued, call slots
    // with QMetaObject::invokeMethod). Null before start().
    AlertEngine* alertEngine() const { return m_alerts; }

private:
    QString startService(bool portGiven);
    void startTelemetry();
    void startAlerts();
    void buildWindow();
    void scheduleScreenshot();

    ServiceConfig m_serviceConfig;
    ConsoleConfig m_console;
    ConsoleOptions m_options;
    std::unique_ptr<QueryService> m_service;
    std::unique_ptr<TelemetryThread> m_telemetry;
    TrafficGenerator* m_traffic = nullptr;     // lives on the telemetry thread
    AlertEngine* m_alerts = nullptr;           // lives on the telemetry thread
    WebhookNotifier* m_webhook = nullptr;      // lives on the telemetry thread
    std::vector<AlertRule> m_startRules;       // what the engine started with
    QString m_rulesFile;                       // where the threshold wizard saves them
    std::unique_ptr<ConsoleFleetHost> m_fleet; // console.fleet; before the window, after telemetry
    std::unique_ptr<ConsoleRedis> m_redis;     // console.redis: INFO, the Redis dock, the wizard
    std::unique_ptr<LogModel> m_logModel;
    std::unique_ptr<LogFilterModel> m_logFilter;
    std::unique_ptr<QWidget> m_window;
    QPointer<MainWindow> m_main;
    QPointer<WallWindow> m_wall;
    bool m_sawData = false;
    bool m_shot = false;
    QElapsedTimer m_started;
};

} // namespace querydeck
