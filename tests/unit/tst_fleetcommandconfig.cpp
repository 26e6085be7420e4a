// The "fleet" section of the config file that `querydeck fleet` reads:
// defaults, every field, and bad input named by its dotted field.
#include "config/FleetCommandConfig.h"
#include "fleet/AutoscalePolicy.h"

#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

class TestFleetCommandConfig : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void everyField();
    void errors_data();
    void errors();
    void warnings();
    void files();
};

void TestFleetCommandConfig::defaults()
{
    for (const QByteArray& json : {QByteArray("{}"), QByteArray(R"({"fleet": {}})"),
                                   QByteArray(R"({"http": {"port": 9000}})")}) {
        const FleetCommandConfigLoadResult result = FleetCommandConfigLoader::loadJson(json);
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QVERIFY(result.warnings.isEmpty());
        QCOMPARE(result.config, FleetCommandConfig{});
        QCOMPARE(result.config.autoscaler.mode, AutoscaleMode::Off);
        QCOMPARE(result.config.scrapeIntervalMs, 5000);
    }
}

void TestFleetCommandConfig::everyField()
{
    const FleetCommandConfigLoadResult result = FleetCommandConfigLoader::loadJson(R"({"fleet": {
        "scrape_interval_ms": 750,
        "autoscaler": {"mode": "apply", "policy": "hpa", "interval_ms": 2000,
            "rules": {"queue_up_depth": 4, "queue_down_depth": 2, "max_replicas": 5},
            "hpa": {"cpu_target_percent": 60, "min_replicas": 3, "max_replicas": 8}}}})");
    QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
    const FleetCommandConfig& c = result.config;
    QCOMPARE(c.scrapeIntervalMs, 750);
    QCOMPARE(c.autoscaler.mode, AutoscaleMode::Apply);
    QCOMPARE(c.autoscaler.policy, "hpa");
    QCOMPARE(c.autoscaler.intervalMs, 2000);
    QCOMPARE(c.autoscaler.rules.queueUpDepth, 4.0);
    QCOMPARE(c.autoscaler.rules.maxReplicas, 5);
    QCOMPARE(c.autoscaler.hpa.cpuTargetPercent, 60.0);
    QCOMPARE(c.autoscaler.hpa.minReplicas, 3);
    QCOMPARE(makeAutoscalePolicy(c.autoscaler)->kind(), "hpa");
    AutoscalerConsoleConfig rules = c.autoscaler;
    rules.policy = QStringLiteral("rules");
    QCOMPARE(makeAutoscalePolicy(rules)->kind(), "rules");
}

void TestFleetCommandConfig::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not JSON") << QByteArray("{\"fleet\": ") << "fleet: the config file";
    QTest::newRow("empty") << QByteArray() << "fleet: the config file";
    QTest::newRow("an array") << QByteArray("[1]") << "fleet: the config file";
    QTest::newRow("fleet not an object") << QByteArray(R"({"fleet": []})") << "fleet:";
    QTest::newRow("autoscaler not an object")
        << QByteArray(R"({"fleet": {"autoscaler": "apply"}})") << "fleet.autoscaler:";
    QTest::newRow("mode") << QByteArray(R"({"fleet": {"autoscaler": {"mode": "auto"}}})")
                          << "fleet.autoscaler.mode";
    QTest::newRow("mode not a string")
        << QByteArray(R"({"fleet": {"autoscaler": {"mode": true}}})") << "fleet.autoscaler.mode";
    QTest::newRow("policy") << QByteArray(R"({"fleet": {"autoscaler": {"policy": "ml"}}})")
                            << "fleet.autoscaler.policy";
    QTest::newRow("interval too short")
        << QByteArray(R"({"fleet": {"autoscaler": {"interval_ms": 10}}})")
        << "fleet.autoscaler.interval_ms";
    QTest::newRow("scrape interval too short")
        << QByteArray(R"({"fleet": {"scrape_interval_ms": 100}})") << "fleet.scrape_interval_ms";
    QTest::newRow("scrape interval huge")
        << QByteArray(R"({"fleet": {"scrape_interval_ms": 1e300}})") << "fleet.scrape_interval_ms";
    QTest::newRow("scrape interval a string")
        << QByteArray(R"({"fleet": {"scrape_interval_ms": "5s"}})") << "fleet.scrape_interval_ms";
    QTest::newRow("rules inconsistent")
        << QByteArray(R"({"fleet": {"autoscaler": {"rules": {"min_replicas": 5,
            "max_replicas": 2}}}})")
        << "fleet.autoscaler.rules";
    QTest::newRow("hpa tolerance")
        << QByteArray(R"({"fleet": {"autoscaler": {"hpa": {"tolerance": 7}}}})")
        << "fleet.autoscaler.hpa.tolerance";
}

void TestFleetCommandConfig::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const FleetCommandConfigLoadResult result = FleetCommandConfigLoader::loadJson(json);
    QVERIFY(!result.ok());
    QVERIFY2(result.errors.join('\n').contains(message), qPrintable(result.errors.join('\n')));
}

void TestFleetCommandConfig::warnings()
{
    FleetCommandConfigLoadResult result = FleetCommandConfigLoader::loadJson(
        R"({"fleet": {"autoscalr": {"mode": "apply"}, "scrape_interval_ms": 1000}})");
    QVERIFY(result.ok());
    QCOMPARE(result.config.autoscaler.mode, AutoscaleMode::Off);
    QVERIFY2(result.warnings.join('\n').contains("fleet.autoscalr"),
             qPrintable(result.warnings.join('\n')));
    QVERIFY2(result.warnings.join('\n').contains("autoscaler"),
             qPrintable(result.warnings.join('\n'))); // the suggestion

    // The console's block does not run the fleet's auto-scaler: said, not ignored.
    result =
        FleetCommandConfigLoader::loadJson(R"({"console": {"autoscaler": {"mode": "apply"}}})");
    QVERIFY(result.ok());
    QCOMPARE(result.config.autoscaler.mode, AutoscaleMode::Off);
    QVERIFY2(result.warnings.join('\n').contains("fleet.autoscaler"),
             qPrintable(result.warnings.join('\n')));
    result = FleetCommandConfigLoader::loadJson(
        R"({"console": {"autoscaler": {}}, "fleet": {"autoscaler": {"mode": "recommend"}}})");
    QVERIFY(result.warnings.isEmpty());
    QCOMPARE(result.config.autoscaler.mode, AutoscaleMode::Recommend);
}

void TestFleetCommandConfig::files()
{
    QTemporaryDir dir;
    FleetCommandConfigLoadResult result =
        FleetCommandConfigLoader::loadFile(dir.filePath(QStringLiteral("missing.json")));
    QVERIFY(!result.ok());
    QVERIFY(result.errors.first().contains("missing.json"));

    QFile big(dir.filePath(QStringLiteral("big.json")));
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write("{\"fleet\": {}, \"pad\": \"" + QByteArray(2 * 1024 * 1024, 'x') + "\"}");
    big.close();
    result = FleetCommandConfigLoader::loadFile(big.fileName());
    QVERIFY(!result.ok());
    QVERIFY2(result.errors.first().contains("larger than"), qPrintable(result.errors.first()));

    QFile good(dir.filePath(QStringLiteral("good.json")));
    QVERIFY(good.open(QIODevice::WriteOnly));
    good.write(R"({"fleet": {"autoscaler": {"mode": "recommend"}}})");
    good.close();
    result = FleetCommandConfigLoader::loadFile(good.fileName());
    QVERIFY(result.ok());
    QCOMPARE(result.config.autoscaler.mode, AutoscaleMode::Recommend);

    // The packaged sample documents the section and loads without a word.
    result = FleetCommandConfigLoader::loadFile(
        QStringLiteral(QUERYDECK_SOURCE_DIR "/packaging/querydeck.sample.json"));
    QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
    QCOMPARE(result.config, FleetCommandConfig{});
}

QTEST_GUILESS_MAIN(TestFleetCommandConfig)
#include "tst_fleetcommandconfig.moc"
