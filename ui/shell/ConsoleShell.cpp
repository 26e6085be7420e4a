#include "ui/shell/ConsoleShell.h"

#include "backend/consolehost/ConsoleAlertsHost.h"
#include "backend/consolehost/ConsoleHost.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/logging/LogBridge.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/traffic/TrafficGenerator.h"
#include "models/LogFilterModel.h"
#include "models/LogModel.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/dashboards/TimeRangeBar.h"
#include "ui/shell/AlertsWiring.h"
#include "ui/shell/FleetAttachment.h"
#include "ui/shell/LogsDock.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/RedisAttachment.h"
#include "ui/wall/WallWindow.h"

#include <QApplication>
#include <QMetaObject>
#include <QTimer>
#include <cmath>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

QList<DashboardDefinition> loadPlaylist(const QStringList& names)
{
    QList<DashboardDefinition> dashboards;
    for (const QString& name : names) {
        const bool bundled =
            !name.contains(QLatin1Char('/')) && !name.endsWith(QLatin1String(".json"));
        const QString path = bundled ? QStringLiteral(":/dashboards/%1.json").arg(name) : name;
        const DashboardLoadResult loaded = DashboardLoader::loadFile(path);
        if (loaded.ok())
            dashboards << loaded.value;
        else
            spdlog::error("[console] dashboard {}: {}", path.toStdString(),
                          loaded.errors.join(QStringLiteral("; ")).toStdString());
    }
    if (dashboards.isEmpty())
        dashboards << DashboardLoader::defaultDashboard();
    return dashboards;
}

} // namespace

ConsoleShell::ConsoleShell(ConsoleHost* host, QObject* parent)
    : QObject(parent)
    , m_host(host)
{
}

ConsoleShell::~ConsoleShell()
{
    m_window.reset(); // before the models it shows
}

void ConsoleShell::build(const Options& options)
{
    m_logModel = std::make_unique<LogModel>();
    m_logFilter = std::make_unique<LogFilterModel>();
    connect(LogBridge::install(), &LogBridge::record, m_logModel.get(), &LogModel::append,
            Qt::QueuedConnection);
    if (options.wall)
        buildWall(options);
    else
        buildMain();
    followFirstData();

    if (options.size.isValid())
        m_window->resize(options.size);
    else if (!options.wall)
        m_window->resize(1600, 1000);
    if (options.wall && options.fullScreen)
        m_window->showFullScreen();
    else
        m_window->show();
}

void ConsoleShell::buildWall(const Options& options)
{
    TelemetryEngine* engine = m_host->engine();
    auto* wall = new WallWindow();
    m_wall = wall;
    m_window.reset(wall);
    connect(wall, &WallWindow::panelsChanged, engine, &TelemetryEngine::setPanels);
    connect(engine, &TelemetryEngine::panelData, wall, &WallWindow::showPanelData);
    connect(engine, &TelemetryEngine::sourceStatus, wall, &WallWindow::showSourceStatus);
    const ConsoleConfig& console = m_host->console();
    wall->setDashboards(loadPlaylist(console.wallDashboards), console.wallRotateSeconds);
    AlertsWiring::connectWall(m_host->alertEngine(), m_host->alerts()->startRules(), wall);
    if (options.screen >= 0 && !wall->setScreen(options.screen))
        spdlog::warn("[console] --screen {}: no such screen; using the primary one",
                     options.screen);
}

void ConsoleShell::buildMain()
{
    ConsoleHost* host = m_host;
    TelemetryEngine* engine = host->engine();
    TrafficGenerator* traffic = host->traffic();
    auto* main = new MainWindow();
    m_main = main;
    m_window.reset(main);
    connect(main, &MainWindow::panelsChanged, engine, &TelemetryEngine::setPanels);
    connect(main, &MainWindow::rangeChanged, engine,
            [host](qint64 rangeMs, qint64 endMs) { host->setRange(rangeMs, endMs); });
    connect(main, &MainWindow::refreshIntervalChanged, engine,
            &TelemetryEngine::setRefreshInterval);
    connect(main, &MainWindow::refreshNowRequested, engine, &TelemetryEngine::refreshNow);
    connect(engine, &TelemetryEngine::panelData, main, &MainWindow::showPanelData);
    connect(engine, &TelemetryEngine::sourceStatus, main, &MainWindow::showSourceStatus);
    connect(main, &MainWindow::trafficToggled, traffic, [traffic](bool on) {
        QMetaObject::invokeMethod(traffic, on ? &TrafficGenerator::start : &TrafficGenerator::stop,
                                  Qt::QueuedConnection);
    });
    connect(main, &MainWindow::trafficRateChanged, traffic, &TrafficGenerator::setRate);
    connect(traffic, &TrafficGenerator::stats, main,
            [main](quint64 sent, quint64 ok, quint64 failed) {
                main->showTrafficStats(qint64(sent), qint64(ok), qint64(failed));
            });
    RedisAttachment::attach(host, main);
    connect(main, &MainWindow::themeChanged, main,
            [](bool dark) { Theme::apply(*qApp, dark ? Theme::Mode::Dark : Theme::Mode::Light); });
    LogsDock* logs = main->logsDock();
    connect(logs, &LogsDock::levelFilterChanged, m_logFilter.get(),
            &LogFilterModel::setMinimumLevel);
    connect(logs, &LogsDock::textFilterChanged, m_logFilter.get(), &LogFilterModel::setText);
    logs->setFilterProxy(m_logFilter.get());
    main->setLogModel(m_logModel.get());
    AlertsWiring::connectMain(host->alertEngine(), engine->store(), host->alerts()->startRules(),
                              host->alerts()->rulesFile(), main);
    main->setServiceAddress(host->serviceAddress());
    main->setReplicaCount(1);
    setDashboards(main);
    FleetAttachment::attach(host->fleet(), main);
    main->setTrafficRunning(true);
    // console.traffic_rate, not the spin box's default
    main->setTrafficRate(host->console().trafficRate);
    // The engine follows the toolbar's initial choices, not its own defaults.
    const TimeRangeBar* range = main->timeRangeBar();
    host->setRange(range->rangeMs(), range->endMs());
    QMetaObject::invokeMethod(engine, "setRefreshInterval", Qt::QueuedConnection,
                              Q_ARG(int, range->effectiveRefreshMs()));
}

void ConsoleShell::setDashboards(MainWindow* main)
{
    // A broken dashboard file never leaves the operator blind: the default is
    // shown, with the error naming the field above it.
    const QString& configured = m_host->console().dashboard;
    if (configured.isEmpty()) {
        main->setDashboard(DashboardLoader::defaultDashboard());
    } else if (const DashboardLoadResult loaded = DashboardLoader::loadFile(configured);
               loaded.ok()) {
        main->setDashboard(loaded.value);
    } else {
        const QString error = loaded.errors.join(QStringLiteral("; "));
        spdlog::error("[console] dashboard {}: {}", configured.toStdString(), error.toStdString());
        main->setDashboard(DashboardLoader::defaultDashboard());
        main->dashboard()->showNotice(
            QStringLiteral("Dashboard %1 is invalid, showing the default: %2")
                .arg(configured, error));
    }
    // View ▸ Dashboard: the configured one first, then the bundled ones
    // (Overview, Service, Fleet with its per-replica series).
    QList<DashboardDefinition> choices{main->dashboard()->dashboard()};
    for (const QString& path : DashboardLoader::bundledDashboards()) {
        const DashboardLoadResult bundled = DashboardLoader::loadFile(path);
        if (bundled.ok() && bundled.value.uid != choices.first().uid)
            choices << bundled.value;
    }
    main->setDashboardChoices(choices);
}

void ConsoleShell::followFirstData()
{
    connect(m_host->engine(), &TelemetryEngine::panelData, this,
            [this](const QList<PanelData>& data) {
                if (m_sawData)
                    return;
                for (const PanelData& panel : data)
                    for (const EvaluatedSeries& series : panel.series)
                        m_sawData = m_sawData || !series.points.empty();
                if (m_sawData)
                    spdlog::info("[console] live: first panel data {} ms after start",
                                 m_host->msSinceStart());
            });
}

void ConsoleShell::scheduleScreenshot(const QString& path, double afterSeconds)
{
    if (path.isEmpty())
        return;
    // After the wait, ask for a fresh refresh and shoot once it has been
    // drawn (or after 3 s more, whatever the panels hold by then).
    QTimer::singleShot(int(std::lround(afterSeconds * 1000)), this, [this, path, afterSeconds] {
        TelemetryEngine* engine = m_host->engine();
        auto shoot = [this, path, afterSeconds] {
            if (m_shot)
                return;
            m_shot = true;
            if (!m_sawData)
                spdlog::warn("[console] screenshot: the panels have no data yet after {} s",
                             afterSeconds);
            const QPixmap image = m_window->grab();
            const bool saved = image.save(path, "PNG");
            if (!saved)
                spdlog::error("[console] cannot write the screenshot to {}", path.toStdString());
            else
                spdlog::info("[console] screenshot {}x{} saved to {}", image.width(),
                             image.height(), path.toStdString());
            QCoreApplication::exit(saved ? 0 : 1);
        };
        connect(
            engine, &TelemetryEngine::panelData, this, [shoot] { QTimer::singleShot(0, shoot); },
            Qt::QueuedConnection);
        QMetaObject::invokeMethod(engine, &TelemetryEngine::refreshNow, Qt::QueuedConnection);
        QTimer::singleShot(3000, this, shoot);
    });
}

} // namespace querydeck
