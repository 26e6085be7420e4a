#include "ui/shell/RedisAttachment.h"

#include "backend/consolehost/ConsoleHost.h"
#include "backend/consolehost/ConsoleRedisHost.h"
#include "backend/redisops/FailoverController.h"
#include "backend/redisops/RedisTopologyMonitor.h"
#include "ui/redis/FailoverWizard.h"
#include "ui/redis/RedisTopologyDock.h"
#include "ui/shell/LogsDock.h"
#include "ui/shell/MainWindow.h"

#include <QPointer>
#include <spdlog/spdlog.h>

namespace querydeck {

void RedisAttachment::attach(ConsoleHost* host, MainWindow* main)
{
    QObject::connect(main, &MainWindow::redisFailoverRequested, main,
                     [host, main] { openFailoverWizard(host, main); });
    RedisTopologyMonitor* monitor = host->redis()->monitor();
    if (!monitor)
        return;
    auto* dock = new RedisTopologyDock(main);
    main->addDockWidget(Qt::BottomDockWidgetArea, dock);
    main->tabifyDockWidget(main->logsDock(), dock);
    main->addViewDock(dock);
    dock->raise(); // configured on purpose: shown first among the bottom docks
    main->resizeDocks({dock}, {260}, Qt::Vertical); // the banner and a few servers
    QObject::connect(monitor, &RedisTopologyMonitor::refreshed, dock,
                     &RedisTopologyDock::showStatus);
    QObject::connect(dock, &RedisTopologyDock::refreshRequested, monitor, [monitor] {
        QMetaObject::invokeMethod(monitor, &RedisTopologyMonitor::refreshNow, Qt::QueuedConnection);
    });
    QObject::connect(dock, &RedisTopologyDock::failoverRequested, main,
                     [host, main] { openFailoverWizard(host, main); });
    // Started once the dock listens, so that the first refresh is not lost.
    host->redis()->startMonitor();
}

void RedisAttachment::openFailoverWizard(ConsoleHost* host, QWidget* parent)
{
    ConsoleRedisHost* redis = host->redis();
    QPointer<QWidget> window(parent);
    // The passwords come back on the GUI thread, read on the control thread.
    redis->readPasswords(
        [host, redis, window](const SecretResult& password, const SecretResult& sentinel) {
            if (!window)
                return;
            if (!password.ok())
                spdlog::error("[redis] failover wizard without a password: {}: {}",
                              redis->target().passwordField.toStdString(),
                              password.error.toStdString());
            if (!sentinel.ok())
                spdlog::error("[redis] failover wizard without the sentinel password: {}: {}",
                              redis->target().sentinelPasswordField.toStdString(),
                              sentinel.error.toStdString());
            auto* wizard = new FailoverWizard(window);
            wizard->setAttribute(Qt::WA_DeleteOnClose);
            wizard->controller()->setPassword(password.value);
            wizard->controller()->setSentinelPassword(sentinel.value);
            // The embedded service and the fleet's ready replicas as they are now.
            wizard->controller()->setServiceReplicas(host->serviceReplicas());
            const ConsoleRedisConfig& options = redis->console().redisOptions;
            if (!options.sentinels.isEmpty())
                wizard->setDefaults(options.sentinels, options.masterName, false);
            wizard->show();
        });
}

} // namespace querydeck
