#pragma once

#include <QObject>
#include <QSize>
#include <QString>
#include <memory>

class QWidget;

namespace querydeck {

class ConsoleHost;
class LogFilterModel;
class LogModel;
class MainWindow;
class WallWindow;

// Builds the console's window over a started ConsoleHost and owns it: either
// the main window (dashboard, toolbar wired to the engine and the traffic
// generator, logs, alerts, the Redis dock and failover wizard, the fleet's
// docks and menus, the configured and bundled dashboards) or the monitoring
// wall (its playlist and alert banner). Also takes the screenshot used by
// docs and tests.
//
// Thread rules: GUI thread only. Everything it connects to on the telemetry
// thread (engine, generator, alert engine, Redis monitor) is reached through
// queued connections and calls. Destroy it before the host.
class ConsoleShell : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        bool wall = false;
        int screen = -1;        // the wall's screen; -1: the primary one
        QSize size;             // empty: 1600x1000 for the main window, the wall's natural size
        bool fullScreen = true; // the wall only
    };

    explicit ConsoleShell(ConsoleHost* host, QObject* parent = nullptr);
    ~ConsoleShell() override;

    // Builds the window and shows it.
    void build(const Options& options);
    // After `afterSeconds`, asks for a fresh refresh and saves the window as
    // PNG once it has been drawn (or after 3 s more), then exits the
    // application (0 saved, 1 not).
    void scheduleScreenshot(const QString& path, double afterSeconds);

    QWidget* window() const { return m_window.get(); }
    MainWindow* mainWindow() const { return m_main; }
    WallWindow* wall() const { return m_wall; }

private:
    void buildWall(const Options& options);
    void buildMain();
    void setDashboards(MainWindow* main);
    void followFirstData();

    ConsoleHost* m_host;
    std::unique_ptr<LogModel> m_logModel;
    std::unique_ptr<LogFilterModel> m_logFilter;
    std::unique_ptr<QWidget> m_window;
    MainWindow* m_main = nullptr; // m_window, when it is the main window
    WallWindow* m_wall = nullptr; // m_window, when it is the wall
    bool m_sawData = false;
    bool m_shot = false;
};

} // namespace querydeck
