#pragma once

#include "backend/alerting/AlertInstance.h"
#include "backend/dashboards/Dashboard.h"
#include "backend/dashboards/PanelData.h"

#include <QMainWindow>

class QAbstractItemModel;
class QAction;
class QDockWidget;
class QDoubleSpinBox;
class QLabel;
class QMenu;
class QMenu;
class QToolBar;

namespace querydeck {

class AlertsDock;
class AskDock;
class DashboardView;
class FleetActions;
class LogsDock;
class RulesExportAction;
class StatusBarWidget;
class ThresholdWizardController;
class TimeRangeBar;

// The console's main window: toolbar (time range, refresh, pause, theme,
// traffic generator), the dashboard in the centre, Logs and Ask docks and the
// status bar. Widgets only: ConsoleShell connects the signals to the telemetry
// engine and the traffic generator and feeds the slots. GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void setDashboard(const DashboardDefinition& dashboard);
    // View ▸ Dashboard: the dashboards the operator can switch between (the
    // bundled Overview, Service and Fleet, and a configured file); the one
    // shown is checked. Switching shows it and its panels are queried anew.
    void setDashboardChoices(const QList<DashboardDefinition>& dashboards);
    QMenu* dashboardMenu() const { return m_dashboardMenu; }
    void setServiceAddress(const QString& address); // e.g. http://127.0.0.1:8000
    void setReplicaCount(int replicas);
    void setLogModel(QAbstractItemModel* model);
    QWidget* dashboardView();

    DashboardView* dashboard() const { return m_dashboard; }
    TimeRangeBar* timeRangeBar() const { return m_timeBar; }
    AskDock* askDock() const { return m_ask; }
    LogsDock* logsDock() const { return m_logs; }
    StatusBarWidget* statusWidget() const { return m_status; }
    QAction* trafficAction() const { return m_traffic; }
    QDoubleSpinBox* trafficRate() const { return m_rate; }
    QAction* themeAction() const { return m_theme; }
    FleetActions* fleetActions() const { return m_fleet; }
    bool darkTheme() const;
    AlertsDock* alertsDock() const { return m_alerts; }
    // Alerts ▸ Edit alert thresholds…: opens the ThresholdWizard over this
    // controller (disabled until one is set; the caller owns it).
    QAction* thresholdWizardAction() const { return m_thresholdWizard; }
    void setThresholdWizardController(ThresholdWizardController* controller);
    // Alerts ▸ Export rules for Prometheus… (the running rules).
    RulesExportAction* exportRulesAction() const { return m_exportRules; }
    // A dock the app adds when its feature is configured (e.g. Redis): its
    // show/hide toggle goes into the View menu beside the built-in docks.
    void addViewDock(QDockWidget* dock);

public slots:
    void showPanelData(const QList<querydeck::PanelData>& data);
    void showSourceStatus(const QList<querydeck::SourceStatus>& status);
    void showTrafficStats(qint64 sent, qint64 ok, qint64 failed);
    void setTrafficRunning(bool running);
    // Shows the generator's configured rate without emitting trafficRateChanged.
    void setTrafficRate(double perSecond);
    void setDarkTheme(bool dark);
    // From the AlertEngine: the alerts dock's list and history; the rules for
    // the panels' threshold lines.
    void setAlerts(const QList<querydeck::AlertInstance>& alerts);
    void addAlertHistory(const querydeck::AlertHistoryEntry& entry);
    void setAlertRules(const std::vector<querydeck::AlertRule>& rules);
    void openThresholdWizard();

signals:
    void rangeChanged(qint64 rangeMs, qint64 endMs);
    void refreshIntervalChanged(int ms); // 0: off or paused
    void paused(bool paused);
    void refreshNowRequested();
    void trafficToggled(bool on);
    void trafficRateChanged(double perSecond);
    void panelsChanged(const QList<querydeck::PanelQuery>& queries);
    void themeChanged(bool dark);
    void redisFailoverRequested(); // Operations > Redis failover…

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void buildToolBar();
    void buildShortcuts();
    void updateTabOrder();

    TimeRangeBar* m_timeBar = nullptr;
    DashboardView* m_dashboard = nullptr;
    AskDock* m_ask = nullptr;
    LogsDock* m_logs = nullptr;
    AlertsDock* m_alerts = nullptr;
    QAction* m_thresholdWizard = nullptr;
    RulesExportAction* m_exportRules = nullptr;
    QMenu* m_dashboardMenu = nullptr;
    QList<DashboardDefinition> m_dashboardChoices;
    ThresholdWizardController* m_wizardController = nullptr;
    StatusBarWidget* m_status = nullptr;
    QToolBar* m_toolBar = nullptr;
    QAction* m_traffic = nullptr;
    QAction* m_theme = nullptr;
    QDoubleSpinBox* m_rate = nullptr;
    QLabel* m_trafficStats = nullptr;
    FleetActions* m_fleet = nullptr;
    QMenu* m_viewMenu = nullptr;
};

} // namespace querydeck
