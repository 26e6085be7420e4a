#include "config/ConsoleConfig.h"

#include <QTest>

using namespace querydeck;

class ConsoleConfigTest : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const auto result = ConsoleConfigLoader::loadJson("{}");
        QVERIFY(result.ok());
        QCOMPARE(result.config, ConsoleConfig{});
        QVERIFY(result.warnings.isEmpty());
    }

    void fullSection()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            "{\"console\": {\"scrape_targets\": [\"http://127.0.0.1:8001/metrics\", "
            "\"https://replica-2:8000/metrics\"], \"scrape_interval_ms\": 2000, "
            "\"sample_interval_ms\": 500, \"traffic_rate\": 12.5, "
            "\"dashboard\": \"/etc/querydeck/ops.json\", \"redis\": \"redis-1.internal:6380\", "
            "\"wall\": {\"dashboards\": [\"service\"], \"rotate_seconds\": 60}}}");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QCOMPARE(result.config.scrapeTargets.size(), 2);
        QCOMPARE(result.config.scrapeIntervalMs, 2000);
        QCOMPARE(result.config.sampleIntervalMs, 500);
        QCOMPARE(result.config.trafficRate, 12.5);
        QCOMPARE(result.config.wallDashboards, QStringList{"service"});
        QCOMPARE(result.config.wallRotateSeconds, 60);
        QCOMPARE(result.config.dashboard, QStringLiteral("/etc/querydeck/ops.json"));
        QCOMPARE(result.config.redis, QStringLiteral("redis-1.internal:6380"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("targets not array")
            << QByteArray("{\"console\":{\"scrape_targets\":\"http://x/metrics\"}}")
            << "console.scrape_targets: must be an array";
        QTest::newRow("target number") << QByteArray(R"({"console":{"scrape_targets":[3]}})")
                                       << "console.scrape_targets[0]: must be a non-empty string";
        QTest::newRow("target not http")
            << QByteArray("{\"console\":{\"scrape_targets\":[\"ftp://x/m\"]}}")
            << "console.scrape_targets[0]: must be an http(s) URL";
        QTest::newRow("target with password")
            << QByteArray("{\"console\":{\"scrape_targets\":[\"http://u:secret@x/m\"]}}")
            << "console.scrape_targets[0]: must not contain credentials";
        QTest::newRow("interval too small") << QByteArray(R"({"console":{"scrape_interval_ms":5}})")
                                            << "console.scrape_interval_ms";
        QTest::newRow("rate string")
            << QByteArray(R"({"console":{"traffic_rate":"fast"}})") << "console.traffic_rate";
        QTest::newRow("rotate zero") << QByteArray(R"({"console":{"wall":{"rotate_seconds":0}}})")
                                     << "console.wall.rotate_seconds";
        QTest::newRow("redis no port")
            << QByteArray(R"({"console":{"redis":"localhost"}})")
            << "console.redis: must be host:port, got \"localhost\" (no port)";
        QTest::newRow("redis port range") << QByteArray(R"({"console":{"redis":"h:70000"}})")
                                          << "console.redis: must be host:port: \"h:70000\": port "
                                             "\"70000\" is not a number from 1 to 65535";
        QTest::newRow("redis url with password")
            << QByteArray("{\"console\":{\"redis\":\"redis://:pw@h:6379\"}}")
            << "console.redis: must be host:port without scheme or credentials";
        QTest::newRow("redis number")
            << QByteArray(R"({"console":{"redis":6379}})") << "console.redis";
        QTest::newRow("redis hostile host")
            << QByteArray(R"({"console":{"redis":"a b;rm -rf:6379"}})")
            << "console.redis: must be host:port: \"a b;rm -rf:6379\": \"a b;rm -rf\" is not a "
               "host name or IP address";
        QTest::newRow("console not object") << QByteArray(R"({"console":[]})") << "console";
        QTest::newRow("not json") << QByteArray("{") << "not a JSON object";
        QTest::newRow("dashboard number")
            << QByteArray(R"({"console":{"dashboard":7}})") << "console.dashboard";
    }

    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const auto result = ConsoleConfigLoader::loadJson(json);
        QVERIFY(!result.ok());
        QVERIFY2(result.errors.join('\n').contains(message), qPrintable(result.errors.join('\n')));
        QVERIFY2(!result.errors.join('\n').contains("secret"), "credentials are never echoed");
    }

    void unknownKeyWarns()
    {
        const auto result = ConsoleConfigLoader::loadJson(R"({"console":{"scrape_target":[]}})");
        QVERIFY(result.ok());
        QVERIFY(result.warnings.join('\n').contains("console.scrape_target"));
    }
};

QTEST_GUILESS_MAIN(ConsoleConfigTest)
#include "tst_consoleconfig.moc"
