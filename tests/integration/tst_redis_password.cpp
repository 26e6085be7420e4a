// The console's Redis password (console.redis.password) against real
// redis-server processes with requirepass, and a real redis-sentinel: the
// topology monitor, the INFO source and the failover controller send AUTH
// with the password from the SecretStore; a wrong, missing or unreadable
// password gives an error naming the address and the secret reference
// (never the value), and a corrected keychain entry is picked up on the next
// refresh. A stopped server gives an error naming its address.
#include "RedisTestServer.h"
#include "SourcePoll.h"
#include "backend/redisops/FailoverController.h"
#include "backend/redisops/RedisTopologyMonitor.h"
#include "backend/secrets/CachedSecret.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/sources/RedisInfoSource.h"

#include <QSignalSpy>
#include <QTest>

using namespace querydeck;
using querydeck::test::pollOnce;
using querydeck::test::RedisTestServer;
using querydeck::test::sampleValue;

namespace {

constexpr char kVar[] = "QUERYDECK_TEST_REDIS_PASSWORD";
const QByteArray kPassword = "c0rrect-horse;battery$staple#1"; // no quoting in redis.conf
const QByteArray kWrong = "wr0ng-guess-123";

std::shared_ptr<CachedSecret> envSecret(const char* variable = kVar)
{
    SecretRef ref;
    ref.envVar = QLatin1String(variable);
    return std::make_shared<CachedSecret>(std::make_shared<KeychainSecretStore>(), ref);
}

RedisTopologyStatus refresh(RedisTopologyMonitor& monitor)
{
    QSignalSpy spy(&monitor, &RedisTopologyMonitor::refreshed);
    monitor.refreshNow();
    if (spy.isEmpty() && !spy.wait(15000)) { // an unreadable secret answers at once
        RedisTopologyStatus none;
        none.error = QStringLiteral("no refresh in 15 s");
        return none;
    }
    return spy.first().first().value<RedisTopologyStatus>();
}

RedisAddress local(quint16 port)
{
    return RedisAddress{QStringLiteral("127.0.0.1"), port, 0};
}

} // namespace

class RedisPasswordTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void monitorWrongThenRightPassword();
    void monitorWithoutPassword();
    void monitorPasswordNotReadable();
    void infoSourceWrongThenRightPassword();
    void failoverControllerUsesPassword();
    void serverDown();

private:
    RedisTestServer m_master;
    RedisTestServer m_replica;
    RedisTestServer m_sentinel{RedisTestServer::Kind::Sentinel};
};

void RedisPasswordTest::initTestCase()
{
    const QString pw = QString::fromUtf8(kPassword);
    QString error = m_master.start({QStringLiteral("requirepass %1").arg(pw)});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = m_replica.start({QStringLiteral("requirepass %1").arg(pw),
                             QStringLiteral("masterauth %1").arg(pw),
                             QStringLiteral("replicaof 127.0.0.1 %1").arg(m_master.port())});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The sentinel itself has no password; it knows the data servers' one.
    error = m_sentinel.start(
        {QStringLiteral("sentinel monitor qdpw 127.0.0.1 %1 1").arg(m_master.port()),
         QStringLiteral("sentinel auth-pass qdpw %1").arg(pw),
         QStringLiteral("sentinel down-after-milliseconds qdpw 2000")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_master.command({"INFO", "replication"}).text.contains("state=online"), 15000);
}

void RedisPasswordTest::cleanupTestCase()
{
    m_sentinel.stop();
    m_replica.stop();
    m_master.stop();
    qunsetenv(kVar);
}

void RedisPasswordTest::init()
{
    qunsetenv(kVar);
}

void RedisPasswordTest::monitorWrongThenRightPassword()
{
    qputenv(kVar, kWrong);
    const auto secret = envSecret();
    RedisTopologyMonitor::Target target;
    target.address = local(m_master.port());
    RedisTopologyMonitor monitor(target, secret);
    const RedisTopologyStatus wrong = refresh(monitor);
    const QString address = QStringLiteral("127.0.0.1:%1").arg(m_master.port());
    QVERIFY2(wrong.error.contains(address), qPrintable(wrong.error));
    QVERIFY2(wrong.error.contains(QStringLiteral("refused the password from environment variable "
                                                 "\"%1\" (console.redis.password)")
                                      .arg(QLatin1String(kVar))),
             qPrintable(wrong.error));
    QVERIFY2(!wrong.error.contains(QString::fromUtf8(kWrong)), "the password leaked");
    QVERIFY(!wrong.topology.master.reachable);
    QVERIFY(wrong.settings.isEmpty());

    // The operator fixes the entry: the next refresh reads it again.
    qputenv(kVar, kPassword);
    const RedisTopologyStatus right = refresh(monitor);
    QVERIFY2(right.error.isEmpty(), qPrintable(right.error));
    QVERIFY(right.topology.master.reachable);
    QCOMPARE(right.topology.master.role, QStringLiteral("master"));
    QVERIFY(right.topology.master.usedMemoryBytes > 0);
    QVERIFY(right.topology.master.connectedClients >= 1);
    QCOMPARE(right.topology.kind, RedisTopology::Kind::Direct);
    QCOMPARE(right.topology.replicas.size(), 1);
    const RedisNodeState& replica = right.topology.replicas.first();
    QCOMPARE(replica.address, QStringLiteral("127.0.0.1:%1").arg(m_replica.port()));
    QVERIFY2(replica.reachable, qPrintable(replica.error)); // AUTH on the replica too
    QCOMPARE(replica.linkStatus, QStringLiteral("up"));
    QVERIFY(replica.lagBytes >= 0);
    // The test server runs without AOF and without maxmemory: both reported.
    QStringList names;
    for (const RedisSettingsCheck::Difference& d : right.settings)
        names << d.name;
    QVERIFY2(names.contains("appendonly") && names.contains("maxmemory"),
             qPrintable(names.join(',')));
    QCOMPARE(right.settingsServer, address);
    QVERIFY(right.settingsError.isEmpty());

    // From the replica's address, the master it follows is found.
    RedisTopologyMonitor::Target viaReplica;
    viaReplica.address = local(m_replica.port());
    RedisTopologyMonitor fromReplica(viaReplica, secret);
    const RedisTopologyStatus followed = refresh(fromReplica);
    QVERIFY2(followed.error.isEmpty(), qPrintable(followed.error));
    QCOMPARE(followed.topology.master.address, address);
}

void RedisPasswordTest::monitorWithoutPassword()
{
    RedisTopologyMonitor::Target target;
    target.address = local(m_master.port());
    RedisTopologyMonitor none(target, std::make_shared<CachedSecret>(nullptr, SecretRef{}));
    const RedisTopologyStatus status = refresh(none);
    QVERIFY2(status.error.contains(QStringLiteral("127.0.0.1:%1").arg(m_master.port())),
             qPrintable(status.error));
    QVERIFY2(status.error.contains("the server needs a password") &&
                 status.error.contains("console.redis.password") && status.error.contains("NOAUTH"),
             qPrintable(status.error));
}

void RedisPasswordTest::monitorPasswordNotReadable()
{
    RedisTopologyMonitor::Target target;
    target.address = local(m_master.port());
    RedisTopologyMonitor monitor(target, envSecret());
    const RedisTopologyStatus status = refresh(monitor);
    QCOMPARE(status.error, QStringLiteral("console.redis.password: environment variable \"%1\" "
                                          "is not set")
                               .arg(QLatin1String(kVar)));
    QVERIFY(status.topology.master.address.isEmpty()); // nothing was asked without it
}

void RedisPasswordTest::infoSourceWrongThenRightPassword()
{
    qputenv(kVar, kWrong);
    RedisInfoSource source(QStringLiteral("127.0.0.1"), m_master.port());
    source.setPasswordSecret(envSecret());
    const SourceResult wrong = pollOnce(source);
    QVERIFY2(wrong.error.contains(QStringLiteral("redis 127.0.0.1:%1").arg(m_master.port())),
             qPrintable(wrong.error));
    QVERIFY2(wrong.error.contains("refused the password") && wrong.error.contains(kVar),
             qPrintable(wrong.error));
    QVERIFY(!wrong.error.contains(QString::fromUtf8(kWrong)));
    qputenv(kVar, kPassword);
    const SourceResult right = pollOnce(source);
    QVERIFY2(right.error.isEmpty(), qPrintable(right.error));
    bool up = false;
    for (const Sample& sample : right.samples)
        up = up || (sample.key.name == "querydeck_redis_up" && sample.value == 1.0);
    QVERIFY(up);

    qunsetenv(kVar);
    RedisInfoSource unreadable(QStringLiteral("127.0.0.1"), m_master.port());
    unreadable.setPasswordSecret(envSecret());
    const SourceResult missing = pollOnce(unreadable);
    QVERIFY2(missing.error.contains("console.redis.password: environment variable"),
             qPrintable(missing.error));
}

void RedisPasswordTest::failoverControllerUsesPassword()
{
    FailoverRequest request;
    request.sentinels = {local(m_sentinel.port())};
    request.masterName = QStringLiteral("qdpw");
    auto discover = [&request](const QString& password) {
        FailoverController controller;
        controller.setRequest(request);
        controller.setPassword(password);
        QSignalSpy spy(&controller, &FailoverController::topologyReady);
        controller.discover();
        if (!spy.wait(15000))
            return RedisTopology{};
        return spy.first().first().value<RedisTopology>();
    };
    // The sentinel learns about the replica from the master's INFO.
    QTRY_VERIFY_WITH_TIMEOUT(discover(QString::fromUtf8(kPassword)).replicas.size() == 1, 20000);
    const RedisTopology right = discover(QString::fromUtf8(kPassword));
    QVERIFY2(right.master.reachable, qPrintable(right.master.error));
    QCOMPARE(right.master.address, QStringLiteral("127.0.0.1:%1").arg(m_master.port()));
    QVERIFY2(right.replicas.first().reachable, qPrintable(right.replicas.first().error));
    QVERIFY(right.sentinels.first().reachable); // no AUTH sent to the sentinel

    const RedisTopology none = discover(QString());
    QVERIFY(!none.master.reachable);
    QVERIFY2(none.master.error.contains("NOAUTH"), qPrintable(none.master.error));
    QVERIFY(none.sentinels.first().reachable);
}

void RedisPasswordTest::serverDown()
{
    RedisTestServer doomed;
    QString error = doomed.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const quint16 port = doomed.port();
    doomed.stop();
    RedisTopologyMonitor::Target target;
    target.address = local(port);
    RedisTopologyMonitor monitor(target, std::make_shared<CachedSecret>(nullptr, SecretRef{}));
    monitor.setTimeoutMs(1000);
    const RedisTopologyStatus status = refresh(monitor);
    QVERIFY2(status.error.startsWith(QStringLiteral("Redis 127.0.0.1:%1 unreachable: ").arg(port)),
             qPrintable(status.error));
    QVERIFY2(status.error.contains("cannot connect") || status.error.contains("refused"),
             qPrintable(status.error));
    QVERIFY(status.refreshedAtMs > 0);
}

QTEST_GUILESS_MAIN(RedisPasswordTest)
#include "tst_redis_password.moc"
