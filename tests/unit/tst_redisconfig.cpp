#include "backend/config/ConfigLoader.h"

#include <QTest>

using namespace querydeck;

// cache.redis in the config file: values read, every bad one named.
class TestRedisConfig : public QObject
{
    Q_OBJECT

private slots:
    void readsEveryField()
    {
        const ConfigLoadResult result = ConfigLoader::loadJson(
            "{\"cache\": {\"redis\": {\"sentinels\": \"s1:26379, s2\", \"master_name\": \"qd\", "
            "\"db\": 2, \"password\": {\"env\": \"REDIS_PW\"}, \"connect_timeout_ms\": 250, "
            "\"command_timeout_ms\": 750, \"pool_size\": 8, \"key_prefix\": \"qd-prod\", "
            "\"stream_max_length\": 5000, \"rebuild_timeout_ms\": 3000}}}");
        QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(QLatin1Char('\n'))));
        const RedisConfig& r = result.value.cache.redis;
        QCOMPARE(r.sentinels, QStringLiteral("s1:26379, s2"));
        QCOMPARE(r.masterName, QStringLiteral("qd"));
        QCOMPARE(r.db, 2);
        QCOMPARE(r.password.envVar, QStringLiteral("REDIS_PW"));
        QCOMPARE(r.connectTimeoutMs, 250);
        QCOMPARE(r.commandTimeoutMs, 750);
        QCOMPARE(r.poolSize, 8);
        QCOMPARE(r.keyPrefix, QStringLiteral("qd-prod"));
        QCOMPARE(r.streamMaxLength, 5000);
        QCOMPARE(r.rebuildTimeoutMs, 3000);
        QVERIFY(r.isSet());
        // Round trip through the writer.
        const ConfigLoadResult again = ConfigLoader::loadJson(ConfigLoader::toJson(result.value));
        QVERIFY2(again.ok(), qPrintable(again.errors.join(QLatin1Char('\n'))));
        QCOMPARE(again.value.cache.redis, r);
    }

    void defaultsToNoRedis()
    {
        const ConfigLoadResult result = ConfigLoader::loadJson("{}");
        QVERIFY(result.ok());
        QVERIFY(!result.value.cache.redis.isSet());
    }

    void namesTheBadField_data()
    {
        QTest::addColumn<QByteArray>("redis");
        QTest::addColumn<QString>("expected");
        QTest::newRow("password in url")
            << QByteArray("{\"url\": \"redis://:pw@h:1/0\"}") << "cache.redis.url: credentials";
        QTest::newRow("bad url") << QByteArray("{\"url\": \"http://h\"}")
                                 << "cache.redis.url: \"http://h\" does not start with redis://";
        QTest::newRow("bad port") << QByteArray("{\"url\": \"redis://h:99999/0\"}")
                                  << "cache.redis.url: Redis URL \"redis://h:99999/0\": ";
        QTest::newRow("url type") << QByteArray("{\"url\": 5}") << "cache.redis.url:";
        QTest::newRow("both")
            << QByteArray(
                   "{\"url\": \"redis://h\", \"sentinels\": \"s:1\", \"master_name\": \"m\"}")
            << "cache.redis.url: set either url or sentinels";
        QTest::newRow("no master") << QByteArray("{\"sentinels\": \"s:1\"}")
                                   << "cache.redis.master_name: required with sentinels";
        QTest::newRow("bad sentinel")
            << QByteArray("{\"sentinels\": \"s:1,:2\", \"master_name\": \"m\"}")
            << "cache.redis.sentinels: address 2:";
        QTest::newRow("plain password")
            << QByteArray("{\"password\": \"hunter2\"}") << "cache.redis.password:";
        QTest::newRow("pool zero") << QByteArray("{\"pool_size\": 0}") << "cache.redis.pool_size:";
        QTest::newRow("timeout") << QByteArray("{\"command_timeout_ms\": -1}")
                                 << "cache.redis.command_timeout_ms:";
        QTest::newRow("prefix") << QByteArray("{\"key_prefix\": \"a b\"}")
                                << "cache.redis.key_prefix: must be";
        QTest::newRow("prefix empty")
            << QByteArray("{\"key_prefix\": \"\"}") << "cache.redis.key_prefix: must be";
        QTest::newRow("db") << QByteArray("{\"db\": -3}") << "cache.redis.db:";
        QTest::newRow("section type") << QByteArray("\"redis://h\"") << "cache.redis:";
    }
    void namesTheBadField()
    {
        QFETCH(QByteArray, redis);
        QFETCH(QString, expected);
        const ConfigLoadResult result =
            ConfigLoader::loadJson(QByteArray("{\"cache\": {\"redis\": ") + redis + "}}");
        QVERIFY(!result.ok());
        QVERIFY2(result.errors.first().startsWith(expected),
                 qPrintable(result.errors.join(QLatin1Char('\n'))));
        QVERIFY(!result.errors.join(QLatin1Char('\n')).contains(QLatin1String("hunter2")));
        QVERIFY(!result.errors.join(QLatin1Char('\n')).contains(QLatin1String(":pw@")));
    }

    void warnsAboutUnknownKeys()
    {
        const ConfigLoadResult result =
            ConfigLoader::loadJson("{\"cache\": {\"redis\": {\"urll\": \"redis://h\"}}}");
        QVERIFY(result.ok());
        QCOMPARE(result.warnings.size(), 1);
        QVERIFY2(result.warnings.first().contains(QLatin1String("cache.redis.url")),
                 qPrintable(result.warnings.first()));
    }
};

QTEST_GUILESS_MAIN(TestRedisConfig)
#include "tst_redisconfig.moc"
