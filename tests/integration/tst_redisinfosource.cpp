// RedisInfoSource against a real redis-server on a free loopback port: the
// samples must match what the server itself reports, the recommended-settings
// check must see a real CONFIG SET, and an unreachable, silent or non-Redis
// server must give an error naming it, with querydeck_redis_up 0.
#include "RedisTopologyFixture.h"
#include "SourcePoll.h"
#include "backend/redis/RedisInfo.h"
#include "backend/sources/RedisInfoSource.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/telemetry/TelemetryThread.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace querydeck;
using querydeck::test::pollOnce;
using querydeck::test::RedisTopologyFixture;
using querydeck::test::sampleValue;

namespace {

} // namespace

class RedisInfoSourceTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void samplesMatchTheServer();
    void countersMove();
    void recommendedSettings();
    void onTheTelemetryThread();
    void unreachable();
    void silentServer();
    void notRedis();

private:
    RedisTopologyFixture m_redis;
};

void RedisInfoSourceTest::initTestCase()
{
    const QString error = m_redis.startStandalone();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void RedisInfoSourceTest::cleanupTestCase()
{
    m_redis.stop();
}

void RedisInfoSourceTest::samplesMatchTheServer()
{
    const quint16 port = m_redis.masterPort();
    for (int i = 0; i < 3; ++i)
        QCOMPARE(RedisTopologyFixture::cli(port, {"SET", QStringLiteral("k%1").arg(i), "v"}),
                 QStringLiteral("OK"));
    QCOMPARE(RedisTopologyFixture::cli(port, {"-n", "2", "SET", "other", "v"}),
             QStringLiteral("OK"));
    QCOMPARE(RedisTopologyFixture::cli(port, {"CONFIG", "SET", "maxmemory", "64mb"}),
             QStringLiteral("OK"));

    RedisInfoSource source(QStringLiteral("127.0.0.1"), port);
    const SourceResult result = pollOnce(source);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.sourceId, QStringLiteral("redis:127.0.0.1:%1").arg(port));
    QCOMPARE(sampleValue(result, "querydeck_redis_up"), 1.0);
    QCOMPARE(sampleValue(result, "querydeck_redis_keys", "db", "all"), 4.0);
    QCOMPARE(sampleValue(result, "querydeck_redis_keys", "db", "0"), 3.0);
    QCOMPARE(sampleValue(result, "querydeck_redis_keys", "db", "2"), 1.0);
    QCOMPARE(sampleValue(result, "querydeck_redis_max_memory_bytes"), 64.0 * 1024 * 1024);
    QCOMPARE(sampleValue(result, "querydeck_redis_is_master"), 1.0);
    QCOMPARE(sampleValue(result, "querydeck_redis_connected_replicas"), 0.0);
    // The source's own connection is one of the clients the server counts.
    QVERIFY(sampleValue(result, "querydeck_redis_connected_clients") >= 1.0);

    // Memory: the same order as the server's own INFO, read separately.
    const RedisInfo direct =
        RedisInfo::parse(RedisTopologyFixture::cli(port, {"INFO", "memory"}).toUtf8());
    QVERIFY(direct.usedMemoryBytes.has_value());
    const double used = sampleValue(result, "querydeck_redis_used_memory_bytes");
    QVERIFY2(used > 0.5 * double(*direct.usedMemoryBytes) &&
                 used < 2.0 * double(*direct.usedMemoryBytes),
             qPrintable(QStringLiteral("%1 vs %2").arg(used).arg(*direct.usedMemoryBytes)));
    for (const Sample& sample : result.samples)
        QCOMPARE(sample.key.label("instance"), QStringLiteral("127.0.0.1:%1").arg(port));
    QCOMPARE(result.types.value("querydeck_redis_keyspace_hits_total"), MetricType::Counter);
}

void RedisInfoSourceTest::countersMove()
{
    const quint16 port = m_redis.masterPort();
    RedisInfoSource source(QStringLiteral("127.0.0.1"), port);
    const SourceResult before = pollOnce(source);
    QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
    RedisTopologyFixture::cli(port, {"GET", "k0"});
    RedisTopologyFixture::cli(port, {"GET", "k1"});
    RedisTopologyFixture::cli(port, {"GET", "missing"});
    const SourceResult after = pollOnce(source);
    QVERIFY2(after.error.isEmpty(), qPrintable(after.error));
    QCOMPARE(sampleValue(after, "querydeck_redis_keyspace_hits_total") -
                 sampleValue(before, "querydeck_redis_keyspace_hits_total"),
             2.0);
    QCOMPARE(sampleValue(after, "querydeck_redis_keyspace_misses_total") -
                 sampleValue(before, "querydeck_redis_keyspace_misses_total"),
             1.0);

    // Evictions: a tiny maxmemory under allkeys-lru makes the server evict.
    QCOMPARE(RedisTopologyFixture::cli(port, {"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}),
             QStringLiteral("OK"));
    const double usedNow = sampleValue(after, "querydeck_redis_used_memory_bytes");
    QCOMPARE(RedisTopologyFixture::cli(
                 port, {"CONFIG", "SET", "maxmemory", QString::number(qint64(usedNow) + 200000)}),
             QStringLiteral("OK"));
    QString error;
    for (int i = 0; i < 40; ++i)
        RedisTopologyFixture::cli(
            port, {"SET", QStringLiteral("big%1").arg(i), QString(20000, QLatin1Char('x'))},
            &error);
    const SourceResult evicted = pollOnce(source);
    QVERIFY2(evicted.error.isEmpty(), qPrintable(evicted.error));
    const RedisInfo direct =
        RedisInfo::parse(RedisTopologyFixture::cli(port, {"INFO", "stats"}).toUtf8());
    QVERIFY(direct.evictedKeys.value_or(0) > 0);
    QCOMPARE(sampleValue(evicted, "querydeck_redis_evicted_keys_total"),
             double(*direct.evictedKeys));
    RedisTopologyFixture::cli(port, {"CONFIG", "SET", "maxmemory", "0"});
    RedisTopologyFixture::cli(port, {"CONFIG", "SET", "maxmemory-policy", "noeviction"});
}

void RedisInfoSourceTest::recommendedSettings()
{
    const quint16 port = m_redis.masterPort();
    RedisInfoSource source(QStringLiteral("127.0.0.1"), port);
    QSignalSpy checked(&source, &RedisInfoSource::settingsChecked);
    pollOnce(source);
    QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 1, 5000);
    const QStringList differences = checked.first().first().toStringList();
    const QString all = differences.join(QLatin1Char('\n'));
    QCOMPARE(differences.size(), 3);
    QVERIFY2(all.contains("maxmemory is 0; recommended: a limit"), qPrintable(all));
    QVERIFY2(all.contains("maxmemory-policy is noeviction; recommended: allkeys-lru"),
             qPrintable(all));
    QVERIFY2(all.contains("appendonly is no; recommended: yes"), qPrintable(all));

    for (const QStringList& set :
         {QStringList{"maxmemory", "128mb"}, QStringList{"maxmemory-policy", "allkeys-lru"},
          QStringList{"appendonly", "yes"}, QStringList{"appendfsync", "everysec"}})
        QCOMPARE(RedisTopologyFixture::cli(port, QStringList{"CONFIG", "SET"} + set),
                 QStringLiteral("OK"));
    RedisInfoSource again(QStringLiteral("127.0.0.1"), port);
    QSignalSpy checkedAgain(&again, &RedisInfoSource::settingsChecked);
    pollOnce(again);
    QTRY_COMPARE_WITH_TIMEOUT(checkedAgain.size(), 1, 5000);
    QCOMPARE(checkedAgain.first().first().toStringList(), QStringList());
}

// As the console runs it: polled by the engine on its own thread, where the
// hiredis adapter's socket notifiers must live.
void RedisInfoSourceTest::onTheTelemetryThread()
{
    qRegisterMetaType<QList<SourceStatus>>();
    TelemetryThread telemetry;
    const QString id = QStringLiteral("redis:127.0.0.1:%1").arg(m_redis.masterPort());
    telemetry.engine()->addSource(
        new RedisInfoSource(QStringLiteral("127.0.0.1"), m_redis.masterPort()), 250);
    SourceHealth health = SourceHealth::Stale;
    QString error;
    connect(telemetry.engine(), &TelemetryEngine::sourceStatus, this,
            [&](const QList<SourceStatus>& list) {
                for (const SourceStatus& status : list) {
                    if (status.id == id) {
                        health = status.health;
                        error = status.lastError;
                    }
                }
            });
    telemetry.start();
    QTRY_VERIFY2_WITH_TIMEOUT(health == SourceHealth::Ok, qPrintable(error), 10000);
}

void RedisInfoSourceTest::unreachable()
{
    const quint16 port = RedisTopologyFixture::freePort();
    RedisInfoSource source(QStringLiteral("127.0.0.1"), port);
    const SourceResult result = pollOnce(source);
    QVERIFY2(result.error.contains(QStringLiteral("redis 127.0.0.1:%1").arg(port)),
             qPrintable(result.error));
    QVERIFY2(result.error.contains("refused", Qt::CaseInsensitive), qPrintable(result.error));
    QCOMPARE(sampleValue(result, "querydeck_redis_up"), 0.0);
    // A second poll tries again and fails the same way (no stuck "busy").
    const SourceResult second = pollOnce(source);
    QVERIFY2(second.error.contains("refused", Qt::CaseInsensitive), qPrintable(second.error));
}

void RedisInfoSourceTest::silentServer()
{
    QTcpServer silent; // accepts, never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    RedisInfoSource source(QStringLiteral("127.0.0.1"), silent.serverPort());
    source.setTimeoutMs(500);
    const SourceResult result = pollOnce(source);
    QVERIFY2(result.error.contains("timeout after 500 ms"), qPrintable(result.error));
    QCOMPARE(sampleValue(result, "querydeck_redis_up"), 0.0);
}

void RedisInfoSourceTest::notRedis()
{
    QTcpServer http; // answers like a web server
    QVERIFY(http.listen(QHostAddress::LocalHost, 0));
    connect(&http, &QTcpServer::newConnection, &http, [&http] {
        QTcpSocket* socket = http.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        });
    });
    RedisInfoSource source(QStringLiteral("127.0.0.1"), http.serverPort());
    source.setTimeoutMs(1000);
    const SourceResult result = pollOnce(source);
    QVERIFY2(!result.error.isEmpty(), "a web server must not pass for Redis");
    QVERIFY2(result.error.contains(QStringLiteral("127.0.0.1:%1").arg(http.serverPort())),
             qPrintable(result.error));
    QCOMPARE(sampleValue(result, "querydeck_redis_up"), 0.0);
}

QTEST_GUILESS_MAIN(RedisInfoSourceTest)
#include "tst_redisinfosource.moc"
