#include "RawHttp.h"
#include "RedisTestServer.h"
#include "ServeProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck::test;

namespace {

QJsonObject json(const RawResponse& r)
{
    return QJsonDocument::fromJson(r.body).object();
}

const QString kSeed = QStringLiteral("What should I check before a Redis failover with Sentinel?");
const QString kReworded =
    QStringLiteral("What should I check before a Redis failover with Sentinel, please?");

} // namespace

// Two `querydeck serve` replicas sharing one real redis-server: the shared
// cache, its survival across restarts (AOF), and service while Redis is down.
class TestRedisServe : public QObject
{
    Q_OBJECT

private:
    QStringList args(const QString& name) const
    {
        return {QStringLiteral("--redis"),      m_redis.url(2),
                QStringLiteral("--corpus"),     QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small"),
                QStringLiteral("--replica-id"), name,
                QStringLiteral("--config"),     m_config};
    }
    QString startBoth()
    {
        if (QString error = m_a.start(args(QStringLiteral("a"))); !error.isEmpty())
            return error;
        return m_b.start(args(QStringLiteral("b")));
    }
    QString cacheResult(ServeProcess& replica, const QString& query)
    {
        const RawResponse r =
            RawHttp::postJson(replica.port(), "/v1/query", ServeProcess::queryBody(query));
        if (r.status != 200)
            return QStringLiteral("status %1: %2").arg(r.status).arg(QString::fromUtf8(r.body));
        return json(r).value(QLatin1String("cache")).toString();
    }
    // /ready without "degraded" (index rebuilt, Redis reachable).
    static bool fullyReady(ServeProcess& replica)
    {
        const RawResponse r = RawHttp::get(replica.port(), "/ready");
        return r.status == 200 && !json(r).contains(QLatin1String("degraded"));
    }

    QTemporaryDir m_dir;
    QString m_config;
    RedisTestServer m_redis;
    ServeProcess m_a;
    ServeProcess m_b;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString error = m_redis.start(
            {QStringLiteral("appendonly yes"), QStringLiteral("appendfsync everysec"),
             QStringLiteral("maxmemory 128mb"), QStringLiteral("maxmemory-policy allkeys-lru")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_config = m_dir.filePath(QStringLiteral("config.json"));
        QVERIFY(ServeProcess::writeRedisConfig(m_config, m_dir.filePath(QStringLiteral("index"))));
        const QString started = startBoth();
        QVERIFY2(started.isEmpty(), qPrintable(started));
    }
    void cleanupTestCase()
    {
        m_a.terminate();
        m_b.terminate();
        m_redis.stop();
    }

    void refusesBadRedisOptions_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("password in url")
            << QStringList{"--redis", "redis://:hunter2@127.0.0.1:6379/0"}
            << "--redis: credentials in the Redis URL are refused";
        QTest::newRow("bad port") << QStringList{"--redis", "redis://127.0.0.1:99999/0"}
                                  << "port \"99999\" is not a number";
        QTest::newRow("both") << QStringList{"--redis", "redis://h", "--redis-sentinel", "h:1"}
                              << "--redis and --redis-sentinel: give one or the other";
        QTest::newRow("no master") << QStringList{"--redis-sentinel", "h:1"}
                                   << "--redis-sentinel: needs --redis-master NAME";
        QTest::newRow("master alone")
            << QStringList{"--redis-master", "m"} << "--redis-master: needs --redis-sentinel";
        QTest::newRow("bad sentinel")
            << QStringList{"--redis-sentinel", "h:1,", "--redis-master", "m"}
            << "--redis-sentinel: address 2: empty address";
    }
    void refusesBadRedisOptions()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral(QUERYDECK_BIN),
                      QStringList{QStringLiteral("serve")} + arguments);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        const QString output = QString::fromUtf8(process.readAll());
        QVERIFY2(output.contains(expected), qPrintable(output));
        QVERIFY2(!output.contains(QLatin1String("hunter2")), qPrintable(output));
    }

    void sharedCacheExactAndSemanticOnTheOtherReplica()
    {
        QTRY_VERIFY_WITH_TIMEOUT(fullyReady(m_a) && fullyReady(m_b), 10000);
        QCOMPARE(cacheResult(m_a, kSeed), QStringLiteral("miss"));
        QCOMPARE(cacheResult(m_b, kSeed), QStringLiteral("exact"));
        // b learns of a's entry through the stream.
        QTRY_COMPARE(cacheResult(m_b, kReworded), QStringLiteral("semantic"));
        const RawResponse info = RawHttp::get(m_b.port(), "/v1/info");
        const QJsonObject cache = json(info).value(QLatin1String("cache")).toObject();
        QCOMPARE(cache.value(QLatin1String("store")).toString(), QStringLiteral("redis"));
        QVERIFY(cache.value(QLatin1String("redis_available")).toBool());
    }

    void survivesARestartOfEverything()
    {
        QCOMPARE(m_a.terminate(), 0);
        QCOMPARE(m_b.terminate(), 0);
        m_redis.stop(); // SIGTERM: the AOF is flushed, as on a clean shutdown
        QString error = m_redis.restart();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = startBoth();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(fullyReady(m_a) && fullyReady(m_b), 10000);
        // Both replicas rebuilt their index from Redis: exact and semantic hits on each.
        QCOMPARE(cacheResult(m_a, kSeed), QStringLiteral("exact"));
        QCOMPARE(cacheResult(m_b, kSeed), QStringLiteral("exact"));
        QCOMPARE(cacheResult(m_a, kReworded), QStringLiteral("semantic"));
        QCOMPARE(cacheResult(m_b, kReworded), QStringLiteral("semantic"));
    }

    void keepsAnsweringWhileRedisIsDown()
    {
        m_redis.kill();
        const QString during = QStringLiteral("When does the error rate alert fire?");
        for (int i = 0; i < 20; ++i) {
            const RawResponse r =
                RawHttp::postJson(m_a.port(), "/v1/query", ServeProcess::queryBody(during));
            QCOMPARE(r.status, 200);
        }
        // Cached in a's memory meanwhile.
        QCOMPARE(cacheResult(m_a, during), QStringLiteral("exact"));
        const RawResponse ready = RawHttp::get(m_a.port(), "/ready");
        QCOMPARE(ready.status, 200);
        QCOMPARE(json(ready).value(QLatin1String("degraded")).toString(), QStringLiteral("cache"));
        QVERIFY2(json(ready)
                     .value(QLatin1String("cache"))
                     .toString()
                     .contains(QLatin1String("redis unavailable")),
                 ready.body.constData());
        const RawResponse metrics = RawHttp::get(m_a.port(), "/metrics");
        QVERIFY(metrics.body.contains("querydeck_cache_degraded 1"));
        QVERIFY(!metrics.body.contains("querydeck_cache_redis_fallbacks_total 0\n"));
        QVERIFY(metrics.body.contains("querydeck_cache_redis_fallbacks_total"));

        const QString error = m_redis.restart();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // Recovery: the next queries reach Redis again and /ready drops "degraded".
        QTRY_VERIFY_WITH_TIMEOUT(
            (cacheResult(m_a, kSeed) == QLatin1String("exact")) && fullyReady(m_a), 10000);
        QCOMPARE(cacheResult(m_b, kSeed), QStringLiteral("exact"));
    }
};

QTEST_GUILESS_MAIN(TestRedisServe)
#include "tst_redis_serve.moc"
