// The Redis dock driven with QTest against real servers: a master, 2
// replicas and 3 sentinels (RedisTopologyFixture), refreshed by a
// RedisTopologyMonitor on its own thread as in the console. Rows for every
// server with link state, lag and each sentinel's CKQUORUM verdict; the
// recommended-settings banner following CONFIG SET on the master; the error
// line naming the address when Redis is down or refuses the password (a
// redis-server with requirepass; the password from the SecretStore); the
// buttons; the View menu entry. Screenshots go to
// $QUERYDECK_SNAPSHOT_DIR/redis-dock*.png when it is set.
#include "RedisTestServer.h"
#include "RedisTopologyFixture.h"
#include "Snapshot.h"
#include "backend/redisops/RedisTopologyMonitor.h"
#include "backend/secrets/CachedSecret.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "models/RedisTopologyModel.h"
#include "ui/redis/RedisTopologyDock.h"
#include "ui/shell/MainWindow.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>

using namespace querydeck;
using querydeck::test::RedisTopologyFixture;

namespace {

// Layouts settle on posted events: let them run, so the picture is what a user sees.
void shoot(QWidget& widget, const QString& fileName)
{
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QVERIFY(querydeck::test::saveSnapshot(&widget, fileName));
}

QString local(quint16 port)
{
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

} // namespace

class RedisDockTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void topologyRows();
    void settingsWarning();
    void redisDown();
    void wrongPassword();
    void buttonsAndMenu();

private:
    // A monitor on its own thread feeding `dock`, as RedisAttachment wires the host's.
    RedisTopologyMonitor* watch(RedisTopologyDock& dock, const RedisTopologyMonitor::Target& target,
                                bool start = true,
                                std::shared_ptr<CachedSecret> password = nullptr);
    bool refreshed(RedisTopologyDock& dock, RedisTopologyMonitor* monitor,
                   const std::function<bool()>& until);
    QString cell(RedisTopologyDock& dock, RedisTopologyModel::Kind kind, const QString& address,
                 int column) const;

    RedisTopologyFixture m_redis;
    QThread m_thread;
    RedisTopologyMonitor::Target m_sentinels;
};

void RedisDockTest::initTestCase()
{
    const QString error = m_redis.startSentinelTopology(2, 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const quint16 port : m_redis.sentinelPorts())
        m_sentinels.sentinels << RedisAddress{QStringLiteral("127.0.0.1"), port, 0};
    m_sentinels.masterName = QLatin1String(RedisTopologyFixture::kMasterName);
    m_thread.setObjectName(QStringLiteral("control"));
    m_thread.start();
}

void RedisDockTest::cleanupTestCase()
{
    m_thread.quit();
    m_thread.wait();
    m_redis.stop();
}

RedisTopologyMonitor* RedisDockTest::watch(RedisTopologyDock& dock,
                                           const RedisTopologyMonitor::Target& target, bool start,
                                           std::shared_ptr<CachedSecret> password)
{
    if (!password)
        password = std::make_shared<CachedSecret>(nullptr, SecretRef{});
    auto* monitor = new RedisTopologyMonitor(target, password);
    monitor->setIntervalMs(1000);
    monitor->setTimeoutMs(1000);
    monitor->moveToThread(&m_thread);
    connect(monitor, &RedisTopologyMonitor::refreshed, &dock, &RedisTopologyDock::showStatus);
    connect(&dock, &QObject::destroyed, monitor, &QObject::deleteLater);
    connect(&dock, &RedisTopologyDock::refreshRequested, monitor,
            [monitor] { QMetaObject::invokeMethod(monitor, &RedisTopologyMonitor::refreshNow); });
    if (start)
        QMetaObject::invokeMethod(monitor, &RedisTopologyMonitor::start);
    return monitor;
}

// Waits (bounded) until the refreshes the dock has shown make `until` true.
// The monitor emits on the control thread; the dock shows it on this one.
bool RedisDockTest::refreshed(RedisTopologyDock& dock, RedisTopologyMonitor* monitor,
                              const std::function<bool()>& until)
{
    Q_UNUSED(dock);
    Q_UNUSED(monitor);
    return QTest::qWaitFor(until, 20000);
}

QString RedisDockTest::cell(RedisTopologyDock& dock, RedisTopologyModel::Kind kind,
                            const QString& address, int column) const
{
    const int row = dock.model()->rowOf(kind, address);
    return row < 0 ? QStringLiteral("<no row>")
                   : dock.model()->index(row, column).data().toString();
}

void RedisDockTest::topologyRows()
{
    RedisTopologyDock dock;
    QAbstractItemModelTester tester(dock.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    dock.resize(1000, 360);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    RedisTopologyMonitor* monitor = watch(dock, m_sentinels);
    QCOMPARE_NE(monitor->thread(), QThread::currentThread());
    using Kind = RedisTopologyModel::Kind;
    const QString master = local(m_redis.masterPort());
    // Refreshed until every row is there and every sentinel has said its verdict.
    const bool complete = refreshed(dock, monitor, [&] {
        if (dock.model()->rowCount() != 6)
            return false;
        for (const quint16 port : m_redis.sentinelPorts())
            if (cell(dock, Kind::Sentinel, local(port), RedisTopologyModel::StateColumn) !=
                QLatin1String("quorum ok"))
                return false;
        for (const quint16 port : m_redis.replicaPorts())
            if (cell(dock, Kind::Replica, local(port), RedisTopologyModel::StateColumn) !=
                QLatin1String("link up"))
                return false;
        return true;
    });
    shoot(dock, QStringLiteral("redis-dock.png"));
    QVERIFY2(complete, qPrintable(dock.errorLabel()->text()));
    QCOMPARE(dock.model()->rowOf(Kind::Master, master), 0);
    QCOMPARE(cell(dock, Kind::Master, master, RedisTopologyModel::StateColumn),
             QStringLiteral("master"));
    const QString memory = cell(dock, Kind::Master, master, RedisTopologyModel::MemoryColumn);
    QVERIFY2(memory.contains(QLatin1String("iB")), qPrintable(memory)); // e.g. "1.02 MiB"
    const int clients = cell(dock, Kind::Master, master, RedisTopologyModel::ClientsColumn).toInt();
    QVERIFY2(clients >= 5, "2 replicas and 3 sentinels are connected to the master");
    QVERIFY(cell(dock, Kind::Master, master, RedisTopologyModel::DetailsColumn)
                .startsWith(QLatin1String(RedisTopologyFixture::kMasterName)));
    for (const quint16 port : m_redis.replicaPorts()) {
        const int row = dock.model()->rowOf(Kind::Replica, local(port));
        QVERIFY(row > 0);
        const QModelIndex index = dock.model()->index(row, 0);
        QVERIFY(index.data(RedisTopologyModel::HealthyRole).toBool());
        const qint64 lag = index.data(RedisTopologyModel::LagBytesRole).toLongLong();
        QVERIFY(lag >= 0);
        QCOMPARE(cell(dock, Kind::Replica, local(port), RedisTopologyModel::LagBytesColumn),
                 QStringLiteral("%1 B").arg(lag));
        QVERIFY(cell(dock, Kind::Replica, local(port), RedisTopologyModel::LagSecondsColumn)
                    .endsWith(QLatin1String(" s")));
    }
    for (const quint16 port : m_redis.sentinelPorts()) {
        const QString details =
            cell(dock, Kind::Sentinel, local(port), RedisTopologyModel::DetailsColumn);
        QVERIFY2(details.startsWith(QLatin1String("OK 3 usable Sentinels")), qPrintable(details));
    }
    QVERIFY(dock.errorLabel()->isHidden());
    QVERIFY2(dock.statusLabel()->text().contains(QLatin1String("last refreshed")),
             qPrintable(dock.statusLabel()->text()));
    QVERIFY(dock.statusLabel()->text().contains(QLatin1String("quorum 2")));

    // Keeps refreshing on its own: a write moves the master offset, the rows follow in place.
    QSignalSpy resets(dock.model(), &QAbstractItemModel::modelReset);
    QSignalSpy changes(dock.model(), &QAbstractItemModel::dataChanged);
    RedisTopologyFixture::cli(m_redis.masterPort(), {"SET", "dock-key", QString(2000, 'x')});
    QTRY_VERIFY_WITH_TIMEOUT(!changes.isEmpty(), 10000);
    QCOMPARE(resets.size(), 0);
}

void RedisDockTest::settingsWarning()
{
    const quint16 port = m_redis.masterPort();
    const QStringList recommended{"maxmemory",   "100mb",    "maxmemory-policy", "allkeys-lru",
                                  "appendfsync", "everysec", "appendonly",       "yes"};
    QString error;
    RedisTopologyFixture::cli(port, QStringList{"CONFIG", "SET"} + recommended, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    RedisTopologyDock dock;
    dock.resize(1000, 420);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    RedisTopologyMonitor* monitor = watch(dock, m_sentinels);
    QVERIFY(refreshed(dock, monitor, [&] { return dock.model()->rowCount() > 0; }));
    QVERIFY2(dock.settingsBanner()->isHidden(), qPrintable(dock.settingsBanner()->text()));

    // Someone turns the AOF off on the running master.
    RedisTopologyFixture::cli(port, {"CONFIG", "SET", "appendonly", "no"}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(refreshed(dock, monitor, [&] { return dock.settingsBanner()->isVisible(); }));
    const QString text = dock.settingsBanner()->text();
    QVERIFY2(text.contains(QStringLiteral("Redis master %1").arg(local(port))), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("packaging/redis/redis.conf")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("<b>appendonly</b> is <b>no</b>, recommended <b>yes</b>")),
             qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("maxmemory")), qPrintable(text)); // only what differs
    shoot(dock, QStringLiteral("redis-dock-warning.png"));

    // And the defaults of a fresh server: every difference listed.
    RedisTopologyFixture::cli(
        port, {"CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction"}, &error);
    QVERIFY(refreshed(dock, monitor, [&] {
        return dock.settingsBanner()->text().contains(QLatin1String("<b>maxmemory-policy</b>"));
    }));
    const QString all = dock.settingsBanner()->text();
    QVERIFY2(all.contains(QLatin1String("<b>maxmemory</b> is <b>0</b>, recommended <b>a limit, "
                                        "not 0</b>")) &&
                 all.contains(QLatin1String("<b>noeviction</b>, recommended <b>allkeys-lru</b>")),
             qPrintable(all));
    shoot(dock, QStringLiteral("redis-dock-warnings.png"));
    RedisTopologyFixture::cli(port, QStringList{"CONFIG", "SET"} + recommended, &error);
}

void RedisDockTest::redisDown()
{
    // A server that answered once, then went away.
    RedisTopologyFixture lone;
    QString error = lone.startStandalone();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const quint16 port = lone.masterPort();
    RedisTopologyDock dock;
    dock.resize(1000, 300);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    RedisTopologyMonitor::Target target;
    target.address = RedisAddress{QStringLiteral("127.0.0.1"), port, 0};
    RedisTopologyMonitor* monitor = watch(dock, target);
    QVERIFY(refreshed(dock, monitor, [&] { return dock.model()->rowCount() == 1; }));
    QVERIFY(dock.errorLabel()->isHidden());
    QVERIFY(dock.statusLabel()->text().contains(QLatin1String("no sentinels configured")));
    lone.stop();
    QVERIFY(refreshed(dock, monitor, [&] { return dock.errorLabel()->isVisible(); }));
    const QString text = dock.errorLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("Redis %1 unreachable").arg(local(port))),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("cannot connect")), qPrintable(text));
    QCOMPARE(
        cell(dock, RedisTopologyModel::Kind::Master, local(port), RedisTopologyModel::StateColumn),
        QStringLiteral("unreachable"));
    shoot(dock, QStringLiteral("redis-dock-down.png"));

    // No sentinel answers either.
    RedisTopologyDock nothing;
    RedisTopologyMonitor::Target gone;
    gone.sentinels = {RedisAddress{QStringLiteral("127.0.0.1"), port, 0}};
    gone.masterName = QStringLiteral("qdmaster");
    RedisTopologyMonitor* lost = watch(nothing, gone);
    QVERIFY(refreshed(nothing, lost, [&] { return !nothing.errorLabel()->isHidden(); }));
    QVERIFY2(nothing.errorLabel()->text().contains(
                 QStringLiteral("no master found for qdmaster via sentinels %1").arg(local(port))),
             qPrintable(nothing.errorLabel()->text()));
}

void RedisDockTest::wrongPassword()
{
    const char* variable = "QUERYDECK_TEST_DOCK_PASSWORD";
    test::RedisTestServer server;
    const QString error = server.start({QStringLiteral("requirepass dock-pw-42")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    qputenv(variable, "not-it");
    SecretRef ref;
    ref.envVar = QLatin1String(variable);
    auto secret = std::make_shared<CachedSecret>(std::make_shared<KeychainSecretStore>(), ref);
    RedisTopologyDock dock;
    dock.resize(1000, 260);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    RedisTopologyMonitor::Target target;
    target.address = RedisAddress{QStringLiteral("127.0.0.1"), server.port(), 0};
    RedisTopologyMonitor* monitor = watch(dock, target, true, secret);
    QVERIFY(refreshed(dock, monitor, [&] { return dock.errorLabel()->isVisible(); }));
    const QString text = dock.errorLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("Redis %1: the server refused the password from "
                                          "environment variable &quot;%2&quot; "
                                          "(console.redis.password)")
                               .arg(local(server.port()), QLatin1String(variable))),
             qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("not-it")));
    QCOMPARE(cell(dock, RedisTopologyModel::Kind::Master, local(server.port()),
                  RedisTopologyModel::StateColumn),
             QStringLiteral("authentication failed"));
    shoot(dock, QStringLiteral("redis-dock-password.png"));

    // The entry is fixed: the next refresh reads it again and gets in.
    qputenv(variable, "dock-pw-42");
    QVERIFY(refreshed(dock, monitor, [&] { return dock.errorLabel()->isHidden(); }));
    QCOMPARE(cell(dock, RedisTopologyModel::Kind::Master, local(server.port()),
                  RedisTopologyModel::StateColumn),
             QStringLiteral("master"));
    qunsetenv(variable);
    QMetaObject::invokeMethod(monitor, &RedisTopologyMonitor::stop, Qt::BlockingQueuedConnection);
    server.stop();
}

void RedisDockTest::buttonsAndMenu()
{
    MainWindow window;
    auto* dock = new RedisTopologyDock(&window);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    window.addViewDock(dock);
    QMenu* view = nullptr;
    for (QAction* action : window.menuBar()->actions())
        if (action->text() == QLatin1String("&View"))
            view = action->menu();
    QVERIFY(view);
    QVERIFY(view->actions().contains(dock->toggleViewAction()));
    QCOMPARE(dock->toggleViewAction()->text(), QStringLiteral("Redis"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    dock->toggleViewAction()->trigger();
    QVERIFY(dock->isHidden());
    dock->toggleViewAction()->trigger();
    QVERIFY(dock->isVisible());

    QSignalSpy failover(dock, &RedisTopologyDock::failoverRequested);
    QTest::mouseClick(dock->failoverButton(), Qt::LeftButton);
    QCOMPARE(failover.size(), 1);
    // A monitor that was never started refreshes only when asked to.
    RedisTopologyMonitor* monitor = watch(*dock, m_sentinels, false);
    QCOMPARE(dock->model()->rowCount(), 0);
    QTest::mouseClick(dock->refreshButton(), Qt::LeftButton);
    QVERIFY(refreshed(*dock, monitor, [&] { return dock->model()->rowCount() == 6; }));
}

QTEST_MAIN(RedisDockTest)
#include "tst_ui_redisdock.moc"
