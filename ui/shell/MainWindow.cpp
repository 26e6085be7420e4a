#include "ui/shell/MainWindow.h"

#include "ui/alerts/AlertsDock.h"
#include "ui/alerts/RulesExportAction.h"
#include "ui/alerts/ThresholdWizard.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/dashboards/TimeRangeBar.h"
#include "ui/fleet/FleetActions.h"
#include "ui/shell/AskDock.h"
#include "ui/shell/LogsDock.h"
#include "ui/shell/StatusBarWidget.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QShortcut>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

namespace querydeck {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("QueryDeck"));
    resize(1600, 1000);

    m_dashboard = new DashboardView(this);
    setCentralWidget(m_dashboard);

    m_logs = new LogsDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_logs);
    m_ask = new AskDock(this);
    addDockWidget(Qt::RightDockWidgetArea, m_ask);
    m_alerts = new AlertsDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_alerts);
    tabifyDockWidget(m_logs, m_alerts);
    m_logs->raise();
    resizeDocks({m_ask}, {330}, Qt::Horizontal);
    resizeDocks({m_logs}, {160}, Qt::Vertical);

    m_status = new StatusBarWidget(this);
    statusBar()->addWidget(m_status, 1);
    statusBar()->setSizeGripEnabled(false);

    buildToolBar();
    buildShortcuts();

    auto* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_logs->toggleViewAction());
    view->addAction(m_ask->toggleViewAction());
    view->addAction(m_alerts->toggleViewAction());
    view->addAction(m_theme);
    m_viewMenu = view;
    m_dashboardMenu = view->addMenu(tr("&Dashboard"));
    m_dashboardMenu->setObjectName(QStringLiteral("dashboardMenu"));
    m_dashboardMenu->setEnabled(false); // until the app offers a choice
    m_fleet = new FleetActions(this);
    auto* operations = menuBar()->addMenu(tr("&Operations"));
    operations->addAction(tr("Redis &failover…"), this, &MainWindow::redisFailoverRequested);
    auto* alerts = menuBar()->addMenu(tr("&Alerts"));
    m_thresholdWizard = alerts->addAction(tr("Edit alert &thresholds…"));
    m_thresholdWizard->setObjectName(QStringLiteral("thresholdWizardAction"));
    m_thresholdWizard->setEnabled(false);
    connect(m_thresholdWizard, &QAction::triggered, this, &MainWindow::openThresholdWizard);
    m_exportRules = new RulesExportAction(this);
    alerts->addAction(m_exportRules);

    connect(m_dashboard, &DashboardView::panelsChanged, this, &MainWindow::panelsChanged);
    updateTabOrder();
}

void MainWindow::addViewDock(QDockWidget* dock)
{
    m_viewMenu->insertAction(m_theme, dock->toggleViewAction());
}

void MainWindow::updateTabOrder()
{
    // Reading order: toolbar, dashboard (row by row), Ask, Logs. Widgets made
    // later (rows, panels) would otherwise land at the end of the chain.
    QList<QWidget*> order;
    auto collect = [&order](QWidget* root) {
        if (root->focusPolicy() & Qt::TabFocus)
            order.append(root);
        for (QWidget* w : root->findChildren<QWidget*>())
            if ((w->focusPolicy() & Qt::TabFocus) && !w->focusProxy() &&
                w->window() == root->window())
                order.append(w);
    };
    collect(m_toolBar);
    collect(m_dashboard);
    collect(m_ask->widget());
    collect(m_logs->widget());
    collect(m_alerts->widget());
    for (int i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));
}

MainWindow::~MainWindow() = default;

void MainWindow::buildToolBar()
{
    m_toolBar = addToolBar(tr("Dashboard"));
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setMovable(false);

    m_timeBar = new TimeRangeBar(m_toolBar);
    m_toolBar->addWidget(m_timeBar);
    connect(m_timeBar, &TimeRangeBar::rangeChanged, this, &MainWindow::rangeChanged);
    connect(m_timeBar, &TimeRangeBar::refreshIntervalChanged, this,
            &MainWindow::refreshIntervalChanged);
    connect(m_timeBar, &TimeRangeBar::paused, this, &MainWindow::paused);
    connect(m_timeBar, &TimeRangeBar::refreshNowRequested, this, &MainWindow::refreshNowRequested);

    m_toolBar->addSeparator();
    m_traffic = m_toolBar->addAction(tr("Traffic: off"));
    m_traffic->setObjectName(QStringLiteral("trafficToggle"));
    m_traffic->setCheckable(true);
    m_traffic->setToolTip(tr("Send generated questions to the service (Ctrl+T)"));
    m_traffic->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(m_traffic, &QAction::toggled, this, [this](bool on) {
        // The state in words: a checked tool button alone is easy to misread.
        m_traffic->setText(on ? tr("Traffic: on") : tr("Traffic: off"));
        emit trafficToggled(on);
    });

    m_rate = new QDoubleSpinBox(m_toolBar);
    m_rate->setObjectName(QStringLiteral("trafficRate"));
    m_rate->setRange(0.1, 500.0);
    m_rate->setDecimals(1);
    m_rate->setValue(5.0);
    m_rate->setSuffix(tr(" req/s"));
    m_rate->setToolTip(tr("Traffic generator rate"));
    m_rate->setAccessibleName(tr("Traffic generator rate in requests per second"));
    m_rate->setKeyboardTracking(false); // one signal per edit, not per keystroke
    m_toolBar->addWidget(m_rate);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &MainWindow::trafficRateChanged);
    m_trafficStats = new QLabel(m_toolBar);
    m_trafficStats->setObjectName(QStringLiteral("trafficStats"));
    m_trafficStats->setContentsMargins(8, 0, 8, 0);
    // Room for seven-digit counts up front: a toolbar does not grow a label
    // whose text gets longer, it cuts it.
    m_trafficStats->setMinimumWidth(
        m_trafficStats->fontMetrics().horizontalAdvance(
            tr("sent %1 · ok %1 · failed %1").arg(QStringLiteral("0000000"))) +
        16);
    m_toolBar->addWidget(m_trafficStats);

    auto* spacer = new QWidget(m_toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_toolBar->addWidget(spacer);
    m_theme = m_toolBar->addAction(tr("Dark theme"));
    m_theme->setObjectName(QStringLiteral("themeToggle"));
    m_theme->setCheckable(true);
    m_theme->setChecked(Theme::current() == Theme::Mode::Dark);
    m_theme->setText(m_theme->isChecked() ? tr("Dark theme") : tr("Light theme"));
    m_theme->setToolTip(tr("Switch between the dark and the light theme"));
    connect(m_theme, &QAction::toggled, this, &MainWindow::setDarkTheme);

    // Toolbar buttons are not in the tab chain by default; operators without a
    // mouse need them.
    for (QAction* action : {m_traffic, m_theme})
        if (QWidget* w = m_toolBar->widgetForAction(action))
            w->setFocusPolicy(Qt::StrongFocus);
}

void MainWindow::buildShortcuts()
{
    auto* refresh = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_R), this);
    connect(refresh, &QShortcut::activated, this, &MainWindow::refreshNowRequested);
    auto* ask = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
    connect(ask, &QShortcut::activated, this, [this] {
        m_ask->show();
        m_ask->raise();
        m_ask->questionEdit()->setFocus();
    });
}

void MainWindow::keyPressEvent(QKeyEvent* event)
{
    // Space pauses only when the focused widget has no use for it: it arrives
    // here after buttons, fields and lists have declined it. A QShortcut would
    // steal Space from a focused row header or button.
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::NoModifier) {
        m_timeBar->togglePaused();
        event->accept();
        return;
    }
    QMainWindow::keyPressEvent(event);
}

void MainWindow::setDashboardChoices(const QList<DashboardDefinition>& dashboards)
{
    m_dashboardChoices = dashboards;
    m_dashboardMenu->clear();
    auto* group = new QActionGroup(m_dashboardMenu);
    for (int i = 0; i < dashboards.size(); ++i) {
        const DashboardDefinition& dashboard = dashboards.at(i);
        QAction* action =
            m_dashboardMenu->addAction(dashboard.title.isEmpty() ? dashboard.uid : dashboard.title);
        action->setData(dashboard.uid);
        action->setCheckable(true);
        action->setChecked(dashboard.uid == m_dashboard->dashboard().uid);
        if (i < 9)
            action->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, i] {
            if (i < m_dashboardChoices.size())
                setDashboard(m_dashboardChoices.at(i));
        });
    }
    m_dashboardMenu->setEnabled(dashboards.size() > 1);
}

void MainWindow::setDashboard(const DashboardDefinition& dashboard)
{
    for (QAction* action : m_dashboardMenu->actions())
        action->setChecked(action->data().toString() == dashboard.uid);
    setWindowTitle(dashboard.title.isEmpty() ? tr("QueryDeck")
                                             : tr("%1 — QueryDeck").arg(dashboard.title));
    m_dashboard->setDashboard(dashboard);
    updateTabOrder();
}

void MainWindow::setServiceAddress(const QString& address)
{
    m_status->setServiceAddress(address);
    // Accept "127.0.0.1:8000" as well as a full URL.
    m_ask->setServiceAddress(address.isEmpty() ? QUrl() : QUrl::fromUserInput(address));
}

void MainWindow::setReplicaCount(int replicas)
{
    m_status->setReplicaCount(replicas);
}

void MainWindow::setLogModel(QAbstractItemModel* model)
{
    m_logs->setLogModel(model);
}

QWidget* MainWindow::dashboardView()
{
    return m_dashboard;
}

void MainWindow::showPanelData(const QList<PanelData>& data)
{
    m_dashboard->showPanelData(data);
}

void MainWindow::showSourceStatus(const QList<SourceStatus>& status)
{
    m_status->setSourceStatus(status);
}

void MainWindow::showTrafficStats(qint64 sent, qint64 ok, qint64 failed)
{
    m_trafficStats->setText(tr("sent %1 · ok %2 · failed %3").arg(sent).arg(ok).arg(failed));
}

void MainWindow::setTrafficRunning(bool running)
{
    m_traffic->setChecked(running);
}

void MainWindow::setTrafficRate(double perSecond)
{
    const QSignalBlocker blocker(m_rate);
    m_rate->setValue(perSecond);
}

void MainWindow::setThresholdWizardController(ThresholdWizardController* controller)
{
    m_wizardController = controller;
    m_thresholdWizard->setEnabled(controller != nullptr);
}

void MainWindow::openThresholdWizard()
{
    if (!m_wizardController)
        return;
    auto* wizard = new ThresholdWizard(m_wizardController, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->open();
}

void MainWindow::setAlerts(const QList<AlertInstance>& alerts)
{
    m_alerts->setAlerts(alerts);
}

void MainWindow::addAlertHistory(const AlertHistoryEntry& entry)
{
    m_alerts->addHistoryEntry(entry);
}

void MainWindow::setAlertRules(const std::vector<AlertRule>& rules)
{
    m_dashboard->setAlertRules(rules);
    m_exportRules->setRules(rules);
}

bool MainWindow::darkTheme() const
{
    return m_theme->isChecked();
}

void MainWindow::setDarkTheme(bool dark)
{
    if (m_theme->isChecked() != dark) {
        m_theme->setChecked(dark); // re-enters through toggled()
        return;
    }
    m_theme->setText(dark ? tr("Dark theme") : tr("Light theme"));
    if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
        Theme::apply(*app, dark ? Theme::Mode::Dark : Theme::Mode::Light);
    emit themeChanged(dark);
}

} // namespace querydeck
