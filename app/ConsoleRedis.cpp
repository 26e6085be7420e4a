#include "app/ConsoleRedis.h"

#include "backend/redis/RedisAddress.h"
#include "backend/redisops/FailoverController.h"
#include "backend/redisops/RedisTopologyMonitor.h"
#include "backend/secrets/CachedSecret.h"
#include "backend/sources/RedisInfoSource.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "ui/redis/FailoverWizard.h"
#include "ui/redis/RedisTopologyDock.h"
#include "ui/shell/LogsDock.h"
#include "ui/shell/MainWindow.h"

#include <QPointer>
#include <QThread>
#include <spdlog/spdlog.h>

namespace querydeck {

ConsoleRedis::ConsoleRedis(const ConsoleConfig& console, const RedisConfig& serviceRedis,
                           std::shared_ptr<SecretStore> secrets, TelemetryEngine* engine,
                           QThread* controlThread, QObject* parent)
    : QObject(parent)
    , m_target(ConsoleRedisTarget::resolve(console, serviceRedis))
    , m_console(m_target.console)
    , m_password(std::make_shared<CachedSecret>(secrets, m_console.redisOptions.password))
    , m_sentinelPassword(
          std::make_shared<CachedSecret>(secrets, m_console.redisOptions.sentinelPassword))
{
    if (!m_console.redisConfigured())
        return;
    if (m_target.fromService)
        spdlog::info("[redis] watching the service's Redis (cache.redis): {}",
                     (m_console.redis.isEmpty() ? m_console.redisOptions.masterName + " via " +
                                                      m_console.redisOptions.sentinels
                                                : m_console.redis)
                         .toStdString());
    if (RedisInfoSource* source = m_target.makeInfoSource(m_password, m_sentinelPassword))
        engine->addSource(source, m_console.sampleIntervalMs);
    // Addresses were validated when the config was loaded.
    QString problem;
    RedisTopologyMonitor::Target target;
    if (!m_console.redis.isEmpty())
        target.address = RedisAddress::parse(m_console.redis, &problem);
    if (!m_console.redisOptions.sentinels.isEmpty()) {
        for (const RedisAddress& s :
             RedisAddressParser::parseList(m_console.redisOptions.sentinels, 26379).addresses)
            target.sentinels << s;
        target.masterName = m_console.redisOptions.masterName;
    }
    m_monitor = new RedisTopologyMonitor(target, m_password);
    m_monitor->setIntervalMs(m_console.redisOptions.refreshMs);
    m_monitor->setSentinelPassword(m_sentinelPassword);
    m_monitor->setPasswordField(m_target.passwordField);
    m_monitor->moveToThread(controlThread);
    connect(controlThread, &QThread::finished, m_monitor, &QObject::deleteLater);
}

ConsoleRedis::~ConsoleRedis() = default;

void ConsoleRedis::attach(MainWindow* main)
{
    connect(main, &MainWindow::redisFailoverRequested, this,
            [this, main] { openFailoverWizard(main); });
    if (!m_monitor)
        return;
    auto* dock = new RedisTopologyDock(main);
    main->addDockWidget(Qt::BottomDockWidgetArea, dock);
    main->tabifyDockWidget(main->logsDock(), dock);
    main->addViewDock(dock);
    dock->raise(); // configured on purpose: shown first among the bottom docks
    main->resizeDocks({dock}, {260}, Qt::Vertical); // the banner and a few servers
    connect(m_monitor, &RedisTopologyMonitor::refreshed, dock, &RedisTopologyDock::showStatus);
    RedisTopologyMonitor* monitor = m_monitor;
    connect(dock, &RedisTopologyDock::refreshRequested, monitor, [monitor] {
        QMetaObject::invokeMethod(monitor, &RedisTopologyMonitor::refreshNow, Qt::QueuedConnection);
    });
    connect(dock, &RedisTopologyDock::failoverRequested, this,
            [this, main] { openFailoverWizard(main); });
    // Started once the dock listens, so that the first refresh is not lost.
    QMetaObject::invokeMethod(m_monitor, &RedisTopologyMonitor::start, Qt::QueuedConnection);
}

void ConsoleRedis::openFailoverWizard(QWidget* parent)
{
    QPointer<QWidget> window(parent);
    auto open = [this, window](const SecretResult& password, const SecretResult& sentinel) {
        if (!window)
            return;
        if (!password.ok())
            spdlog::error("[redis] failover wizard without a password: {}: {}",
                          m_target.passwordField.toStdString(), password.error.toStdString());
        if (!sentinel.ok())
            spdlog::error("[redis] failover wizard without the sentinel password: {}: {}",
                          m_target.sentinelPasswordField.toStdString(),
                          sentinel.error.toStdString());
        auto* wizard = new FailoverWizard(window);
        wizard->setAttribute(Qt::WA_DeleteOnClose);
        wizard->controller()->setPassword(password.value);
        wizard->controller()->setSentinelPassword(sentinel.value);
        if (m_serviceReplicas)
            wizard->controller()->setServiceReplicas(m_serviceReplicas());
        const ConsoleRedisConfig& redis = m_console.redisOptions;
        if (!redis.sentinels.isEmpty())
            wizard->setDefaults(redis.sentinels, redis.masterName, false);
        wizard->show();
    };
    if (!m_monitor || (!m_password->isSet() && !m_sentinelPassword->isSet())) {
        open({}, {});
        return;
    }
    // The keychain may take a while: read it on the control thread, open here.
    const std::shared_ptr<CachedSecret> secret = m_password;
    const std::shared_ptr<CachedSecret> sentinelSecret = m_sentinelPassword;
    QMetaObject::invokeMethod(m_monitor, [this, secret, sentinelSecret, open] {
        const SecretResult password = secret->read();
        const SecretResult sentinel = sentinelSecret->read();
        QMetaObject::invokeMethod(
            this, [open, password, sentinel] { open(password, sentinel); }, Qt::QueuedConnection);
    });
}

} // namespace querydeck
