#include "app/ConsoleApp.h"

#include "app/AlertsWiring.h"
#include "app/ConsoleRedis.h"
#include "backend/alerting/AlertEngine.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/alerting/WebhookNotifier.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/fleethost/ConsoleFleetHost.h"
#include "backend/logging/LogBridge.h"
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
#include "models/LogFilterModel.h"
#include "models/LogModel.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/dashboards/TimeRangeBar.h"
#include "ui/shell/FleetAttachment.h"
#include "ui/shell/LogsDock.h"
#include "ui/shell/MainWindow.h"
#include "ui/wall/WallWindow.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QScreen>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <cmath>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

constexpr int kMaxPoints = 600;
constexpr qint64 kDefaultRangeMs = 15 * 60 * 1000;

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

ConsoleApp::ConsoleApp(ServiceConfig service, ConsoleConfig console, ConsoleOptions options)
    : m_serviceConfig(std::move(service))
    , m_console(std::move(console))
    , m_options(std::move(options))
{
}

ConsoleApp::~ConsoleApp()
{
    // Window first (it talks to the engine), then the telemetry thread (it
    // reads the service's registry), then the service.
    m_window.reset();
    m_fleet.reset(); // drains nothing: the local set kills its replicas and nginx
    if (m_traffic)
        QMetaObject::invokeMethod(m_traffic, &TrafficGenerator::stop, Qt::BlockingQueuedConnection);
    m_telemetry.reset();
    if (m_service)
        m_service->stop();
}

QString ConsoleApp::startService(bool portGiven)
{
    // The traffic generator stands in for many users, each sent as its own
    // address in X-Forwarded-For (see TrafficGenerator::setForwardedFor), so
    // the embedded service trusts loopback as a proxy: without it, the
    // generator's users would share one rate-limit bucket. Only loopback
    // clients, on the operator's own machine, could claim another address.
    for (const QString loopback : {QStringLiteral("127.0.0.1/32"), QStringLiteral("::1/128")})
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

void ConsoleApp::startTelemetry()
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
    m_redis = std::make_unique<ConsoleRedis>(m_console, m_serviceConfig.cache.redis,
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
    startAlerts();
    m_telemetry->start();
    QMetaObject::invokeMethod(engine, "setRange", Qt::QueuedConnection,
                              Q_ARG(qint64, kDefaultRangeMs), Q_ARG(qint64, 0),
                              Q_ARG(int, kMaxPoints));
    QMetaObject::invokeMethod(engine, &TelemetryEngine::start, Qt::QueuedConnection);
    // Local dev mode exists to be watched: nothing else talks to the embedded
    // service, so traffic flows from the start (the toolbar switches it off) —
    // from the moment the corpus is indexed, so start-up does not show as 503s.
    auto* readyPoll = new QTimer();
    readyPoll->setInterval(50);
    readyPoll->moveToThread(m_telemetry->thread());
    connect(m_telemetry->thread(), &QThread::finished, readyPoll, &QObject::deleteLater);
    TrafficGenerator* traffic = m_traffic;
    connect(readyPoll, &QTimer::timeout, traffic, [readyPoll, traffic, service] {
        if (service->state().phase() == ServiceState::Phase::Starting)
            return;
        readyPoll->stop();
        traffic->start();
    });
    QMetaObject::invokeMethod(readyPoll, qOverload<>(&QTimer::start), Qt::QueuedConnection);
}

void ConsoleApp::startAlerts()
{
    // The rule set: the configured file, else alert-rules.json in the app
    // config dir, written from the bundled defaults on first run. A broken
    // file is reported and left alone (the defaults run meanwhile).
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString rulesPath = m_console.alerts.rulesFile.isEmpty()
                                  ? AlertRuleJson::defaultConsoleFile()
                                  : m_console.alerts.rulesFile;
    QString error;
    if (!QFileInfo::exists(rulesPath)) {
        QDir().mkpath(QFileInfo(rulesPath).absolutePath());
        if (AlertRuleJson::saveFile(rulesPath, AlertRuleJson::defaults(), &error))
            spdlog::info("[alerts] wrote the default rules to {}", rulesPath.toStdString());
        else
            spdlog::error("[alerts] {}", error.toStdString());
    }
    const AlertRuleJson::LoadResult loaded = AlertRuleJson::loadFile(rulesPath);
    for (const QString& warning : loaded.warnings)
        spdlog::warn("[alerts] {}: {}", rulesPath.toStdString(), warning.toStdString());

    m_alerts = new AlertEngine(&m_telemetry->engine()->store());
    m_alerts->setHistoryFile(dataDir + QStringLiteral("/alert-history.jsonl"));
    m_alerts->setSilencesFile(dataDir + QStringLiteral("/alert-silences.json"));
    m_alerts->setAcknowledgementsFile(dataDir + QStringLiteral("/alert-acks.json"));
    m_alerts->setFirstEvaluationDelay(3LL * m_console.sampleIntervalMs);
    if (loaded.errors.isEmpty()) {
        m_startRules = loaded.value;
        m_rulesFile = rulesPath;
    } else {
        // The broken file is left alone for the operator to fix: the wizard
        // does not save over it either (m_rulesFile stays empty).
        spdlog::error("[alerts] {} is invalid, running the default rules: {}",
                      rulesPath.toStdString(),
                      loaded.errors.join(QStringLiteral("; ")).toStdString());
        m_startRules = AlertRuleJson::defaults();
    }
    m_alerts->setRules(m_startRules);
    if (!m_rulesFile.isEmpty())
        m_alerts->setRulesFile(m_rulesFile); // after: starting does not rewrite the file
    m_alerts->moveToThread(m_telemetry->thread());
    connect(m_telemetry->thread(), &QThread::finished, m_alerts, &QObject::deleteLater);

    const AlertsConfig& config = m_console.alerts;
    if (!config.routes.isEmpty()) {
        WebhookOptions options;
        KeychainSecretStore secrets;
        for (auto it = config.routes.cbegin(); it != config.routes.cend(); ++it) {
            WebhookRoute route{it.key(), QUrl(it->url), {}};
            if (it->authorization.isSet()) {
                const SecretResult secret = secrets.read(it->authorization);
                if (secret.ok())
                    route.authorization = secret.value.toUtf8();
                else
                    spdlog::error("[alerts] webhook route {}: {}", it.key().toStdString(),
                                  secret.error.toStdString());
            }
            options.routes << route;
        }
        options.severityRoutes = config.severityRoutes;
        options.timeoutMs = config.timeoutMs;
        options.maxAttempts = config.maxAttempts;
        options.backoffMs = config.backoffMs;
        options.backoffMaxMs = config.backoffMaxMs;
        options.externalUrl = m_service->address();
        m_webhook = new WebhookNotifier(options);
        m_webhook->moveToThread(m_telemetry->thread());
        connect(m_telemetry->thread(), &QThread::finished, m_webhook, &QObject::deleteLater);
        connect(m_alerts, &AlertEngine::notifications, m_webhook, &WebhookNotifier::sendBatch);
    }
    QMetaObject::invokeMethod(m_alerts, &AlertEngine::start, Qt::QueuedConnection);
}

void ConsoleApp::buildWindow()
{
    TelemetryEngine* engine = m_telemetry->engine();
    m_logModel = std::make_unique<LogModel>();
    m_logFilter = std::make_unique<LogFilterModel>();
    connect(LogBridge::install(), &LogBridge::record, m_logModel.get(), &LogModel::append,
            Qt::QueuedConnection);

    if (m_options.wall) {
        auto* wall = new WallWindow();
        m_wall = wall;
        m_window.reset(wall);
        connect(wall, &WallWindow::panelsChanged, engine, &TelemetryEngine::setPanels);
        connect(engine, &TelemetryEngine::panelData, wall, &WallWindow::showPanelData);
        connect(engine, &TelemetryEngine::sourceStatus, wall, &WallWindow::showSourceStatus);
        wall->setDashboards(loadPlaylist(m_console.wallDashboards), m_console.wallRotateSeconds);
        AlertsWiring::connectWall(m_alerts, m_startRules, wall);
        if (m_options.screen >= 0 && !wall->setScreen(m_options.screen))
            spdlog::warn("[console] --screen {}: no such screen; using the primary one",
                         m_options.screen);
    } else {
        auto* main = new MainWindow();
        m_main = main;
        m_window.reset(main);
        connect(main, &MainWindow::panelsChanged, engine, &TelemetryEngine::setPanels);
        connect(main, &MainWindow::rangeChanged, engine, [engine](qint64 rangeMs, qint64 endMs) {
            QMetaObject::invokeMethod(engine, "setRange", Qt::QueuedConnection,
                                      Q_ARG(qint64, rangeMs), Q_ARG(qint64, endMs),
                                      Q_ARG(int, kMaxPoints));
        });
        connect(main, &MainWindow::refreshIntervalChanged, engine,
                &TelemetryEngine::setRefreshInterval);
        connect(main, &MainWindow::refreshNowRequested, engine, &TelemetryEngine::refreshNow);
        connect(engine, &TelemetryEngine::panelData, main, &MainWindow::showPanelData);
        connect(engine, &TelemetryEngine::sourceStatus, main, &MainWindow::showSourceStatus);
        connect(main, &MainWindow::trafficToggled, m_traffic, [this](bool on) {
            QMetaObject::invokeMethod(m_traffic,
                                      on ? &TrafficGenerator::start : &TrafficGenerator::stop,
                                      Qt::QueuedConnection);
        });
        connect(main, &MainWindow::trafficRateChanged, m_traffic, &TrafficGenerator::setRate);
        connect(m_traffic, &TrafficGenerator::stats, main,
                [main](quint64 sent, quint64 ok, quint64 failed) {
                    main->showTrafficStats(qint64(sent), qint64(ok), qint64(failed));
                });
        // The failover wizard's verify checks that these moved to the new
        // master and its report counts their failed requests: the embedded
        // service and the fleet's ready replicas as they are when it opens.
        m_redis->setServiceReplicas([this] {
            QStringList replicas{m_service->address()};
            if (ReplicaSet* set = m_fleet ? m_fleet->mirror() : nullptr) {
                for (const ReplicaInfo& replica : set->replicas()) {
                    if (replica.state == ReplicaState::Ready && !replica.address.isEmpty())
                        replicas << QStringLiteral("http://") + replica.address;
                }
            }
            return replicas;
        });
        m_redis->attach(main);
        connect(main, &MainWindow::themeChanged, main, [](bool dark) {
            Theme::apply(*qApp, dark ? Theme::Mode::Dark : Theme::Mode::Light);
        });
        LogsDock* logs = main->logsDock();
        connect(logs, &LogsDock::levelFilterChanged, m_logFilter.get(),
                &LogFilterModel::setMinimumLevel);
        connect(logs, &LogsDock::textFilterChanged, m_logFilter.get(), &LogFilterModel::setText);
        logs->setFilterProxy(m_logFilter.get());
        main->setLogModel(m_logModel.get());
        AlertsWiring::connectMain(m_alerts, engine->store(), m_startRules, m_rulesFile, main);
        main->setServiceAddress(m_service->address());
        main->setReplicaCount(1);
        // A broken dashboard file never leaves the operator blind: the
        // default is shown, with the error naming the field above it.
        if (m_console.dashboard.isEmpty()) {
            main->setDashboard(DashboardLoader::defaultDashboard());
        } else if (const DashboardLoadResult loaded =
                       DashboardLoader::loadFile(m_console.dashboard);
                   loaded.ok()) {
            main->setDashboard(loaded.value);
        } else {
            const QString error = loaded.errors.join(QStringLiteral("; "));
            spdlog::error("[console] dashboard {}: {}", m_console.dashboard.toStdString(),
                          error.toStdString());
            main->setDashboard(DashboardLoader::defaultDashboard());
            main->dashboard()->showNotice(
                QStringLiteral("Dashboard %1 is invalid, showing the default: %2")
                    .arg(m_console.dashboard, error));
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
        FleetAttachment::attach(m_fleet.get(), main);
        main->setTrafficRunning(true);
        main->setTrafficRate(
            m_console.trafficRate); // console.traffic_rate, not the spin box's default
        // The engine follows the toolbar's initial choices, not its own defaults.
        const TimeRangeBar* range = main->timeRangeBar();
        QMetaObject::invokeMethod(engine, "setRange", Qt::QueuedConnection,
                                  Q_ARG(qint64, range->rangeMs()), Q_ARG(qint64, range->endMs()),
                                  Q_ARG(int, kMaxPoints));
        QMetaObject::invokeMethod(engine, "setRefreshInterval", Qt::QueuedConnection,
                                  Q_ARG(int, range->effectiveRefreshMs()));
    }
    connect(engine, &TelemetryEngine::panelData, this, [this](const QList<PanelData>& data) {
        if (m_sawData)
            return;
        for (const PanelData& panel : data)
            for (const EvaluatedSeries& series : panel.series)
                m_sawData = m_sawData || !series.points.empty();
        if (m_sawData)
            spdlog::info("[console] live: first panel data {} ms after start", m_started.elapsed());
    });

    if (m_options.size.isValid())
        m_window->resize(m_options.size);
    else if (!m_options.wall)
        m_window->resize(1600, 1000);
    if (m_options.wall && m_options.screenshotPath.isEmpty())
        m_window->showFullScreen();
    else
        m_window->show();
}

void ConsoleApp::scheduleScreenshot()
{
    if (m_options.screenshotPath.isEmpty())
        return;
    // After the wait, ask for a fresh refresh and shoot once it has been
    // drawn (or after 3 s more, whatever the panels hold by then).
    QTimer::singleShot(int(std::lround(m_options.afterSeconds * 1000)), this, [this] {
        TelemetryEngine* engine = m_telemetry->engine();
        auto shoot = [this] {
            if (m_shot)
                return;
            m_shot = true;
            if (!m_sawData)
                spdlog::warn("[console] screenshot: the panels have no data yet after {} s",
                             m_options.afterSeconds);
            const QPixmap image = m_window->grab();
            const bool saved = image.save(m_options.screenshotPath, "PNG");
            if (!saved)
                spdlog::error("[console] cannot write the screenshot to {}",
                              m_options.screenshotPath.toStdString());
            else
                spdlog::info("[console] screenshot {}x{} saved to {}", image.width(),
                             image.height(), m_options.screenshotPath.toStdString());
            QCoreApplication::exit(saved ? 0 : 1);
        };
        connect(
            engine, &TelemetryEngine::panelData, this, [shoot] { QTimer::singleShot(0, shoot); },
            Qt::QueuedConnection);
        QMetaObject::invokeMethod(engine, &TelemetryEngine::refreshNow, Qt::QueuedConnection);
        QTimer::singleShot(3000, this, shoot);
    });
}

QString ConsoleApp::start(bool portGiven)
{
    m_started.start();
    if (QString error = startService(portGiven); !error.isEmpty())
        return error;
    startTelemetry();
    m_fleet = std::make_unique<ConsoleFleetHost>(m_console, m_serviceConfig, m_telemetry->engine(),
                                                 m_telemetry->thread());
    if (QString error = m_fleet->start(); !error.isEmpty())
        return error;
    // With a local fleet, the traffic generator loads the fleet through nginx
    // once its replicas are in rotation (until then nginx would answer 502).
    if (const QString front = m_fleet->frontAddress(); !front.isEmpty()) {
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
    buildWindow();
    scheduleScreenshot();
    return {};
}

} // namespace querydeck
