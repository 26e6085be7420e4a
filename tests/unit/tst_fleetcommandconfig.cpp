// The "fleet" section of the config file that `querydeck fleet` reads:
// defaults, every field, and bad input named by its dotted field.
#include "backend/autoscale/AutoscalePolicy.h"
#include "backend/config/FleetCommandConfig.h"

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
        QCOMPARE(result.value, FleetCommandConfig{});
        QCOMPARE(result.value.autoscaler.mode, AutoscaleMode::Off);
        QCOMPARE(result.value.scrapeIntervalMs, 5000);
    }
}

void TestFleetCommandConfig::everyField()
{
    const FleetCommandConfigLoadResult result = FleetCommandConfigLoader::loadJson(R"({"fleet": {
        "scrape_interval_ms": 750,
        "front_door": {"client_header_timeout_ms": 3000, "client_body_timeout_ms": 4000,
            "send_timeout_ms": 5000, "keep_alive_timeout_ms": 6000,
            "connections_per_address": 7, "limit_status": 503},
        "autoscaler": {"mode": "apply", "policy": "hpa", "interval_ms": 2000,
            "rules": {"queue_up_depth": 4, "queue_down_depth": 2, "max_replicas": 5,
                "scale_up": {"policies": [{"type": "Percent", "value": 50, "period_seconds": 120}],
                    "select_policy": "Min"}},
            "hpa": {"cpu_target_percent": 60, "min_replicas": 3, "max_replicas": 8}}}})");
    QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
    const FleetCommandConfig& c = result.value;
    QCOMPARE(c.scrapeIntervalMs, 750);
    QCOMPARE(c.frontDoor, (FrontDoorLimits{3000, 4000, 5000, 6000, 7, 503}));
    QCOMPARE(c.autoscaler.mode, AutoscaleMode::Apply);
    QCOMPARE(c.autoscaler.policy, "hpa");
    QCOMPARE(c.autoscaler.intervalMs, 2000);
    QCOMPARE(c.autoscaler.rules.queueUpDepth, 4.0);
    QCOMPARE(c.autoscaler.rules.maxReplicas, 5);
    const StepLimits up{{{StepPolicy::Type::Percent, 50, 120}}, StepLimits::Select::Min};
    QCOMPARE(c.autoscaler.rules.upLimits, up);
    QCOMPARE(c.autoscaler.rules.downLimits, RulePolicyConfig{}.downLimits);
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
        << "fleet.autoscaler.rules.max_replicas: must be in min_replicas..1000 = 5..1000, got 2";
    QTest::newRow("rules cpu down above up")
        << QByteArray(R"({"fleet": {"autoscaler": {"rules": {"cpu_up_percent": 50,
            "cpu_down_percent": 60}}}})")
        << "fleet.autoscaler.rules.cpu_down_percent: must be in [0, cpu_up_percent) = [0, 50), "
           "got 60";
    QTest::newRow("rules queue down above up")
        << QByteArray(R"({"fleet": {"autoscaler": {"rules": {"queue_up_depth": 5,
            "queue_down_depth": 5}}}})")
        << "fleet.autoscaler.rules.queue_down_depth: must be in [0, queue_up_depth)";
    QTest::newRow("scale_up policy type")
        << QByteArray(R"({"fleet": {"autoscaler": {"rules": {"scale_up": {"policies":
            [{"type": "Replicas", "value": 1, "period_seconds": 60}]}}}}})")
        << "fleet.autoscaler.rules.scale_up.policies[0].type: must be one of \"Pods\", "
           "\"Percent\"";
    QTest::newRow("scale_down period zero")
        << QByteArray(R"({"fleet": {"autoscaler": {"hpa": {"scale_down": {"policies":
            [{"type": "Percent", "value": 10, "period_seconds": 0}]}}}}})")
        << "fleet.autoscaler.hpa.scale_down.policies[0].period_seconds: must be";
    QTest::newRow("scale_down select")
        << QByteArray(R"({"fleet": {"autoscaler": {"hpa": {"scale_down": {"select_policy":
            null}}}}})")
        << "fleet.autoscaler.hpa.scale_down.select_policy: must be one of";
    QTest::newRow("scale_up window huge")
        << QByteArray(R"({"fleet": {"autoscaler": {"hpa": {"scale_up":
            {"stabilization_window_seconds": 100000}}}}})")
        << "fleet.autoscaler.hpa.scale_up.stabilization_window_seconds: must be";
    QTest::newRow("policies hostile")
        << QByteArray(R"({"fleet": {"autoscaler": {"rules": {"scale_up": {"policies":
            "<script>"}}}}})")
        << "fleet.autoscaler.rules.scale_up.policies: must be an array of objects, got "
           "\"<script>\"";
    QTest::newRow("front door not an object")
        << QByteArray(R"({"fleet": {"front_door": 32}})") << "fleet.front_door: must be an object";
    QTest::newRow("front door status")
        << QByteArray(R"({"fleet": {"front_door": {"limit_status": 500}}})")
        << "fleet.front_door.limit_status: must be 429 or 503, got 500";
    QTest::newRow("front door status out of range")
        << QByteArray(R"({"fleet": {"front_door": {"limit_status": 200}}})")
        << "fleet.front_door.limit_status: must be an integer between 429 and 503";
    QTest::newRow("front door connections zero")
        << QByteArray(R"({"fleet": {"front_door": {"connections_per_address": 0}}})")
        << "fleet.front_door.connections_per_address: must be an integer between 1 and 100000";
    QTest::newRow("front door timeout a string")
        << QByteArray(R"({"fleet": {"front_door": {"client_header_timeout_ms": "10s"}}})")
        << "fleet.front_door.client_header_timeout_ms: must be an integer";
    QTest::newRow("front door timeout too short")
        << QByteArray(R"({"fleet": {"front_door": {"send_timeout_ms": 5}}})")
        << "fleet.front_door.send_timeout_ms: must be an integer between 100 and 3600000";
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
    QCOMPARE(result.value.autoscaler.mode, AutoscaleMode::Off);
    QVERIFY2(result.warnings.join('\n').contains("fleet.autoscalr"),
             qPrintable(result.warnings.join('\n')));
    QVERIFY2(result.warnings.join('\n').contains("autoscaler"),
             qPrintable(result.warnings.join('\n'))); // the suggestion

    // The console's block does not run the fleet's auto-scaler: said, not ignored.
    result =
        FleetCommandConfigLoader::loadJson(R"({"console": {"autoscaler": {"mode": "apply"}}})");
    QVERIFY(result.ok());
    QCOMPARE(result.value.autoscaler.mode, AutoscaleMode::Off);
    QVERIFY2(result.warnings.join('\n').contains("fleet.autoscaler"),
             qPrintable(result.warnings.join('\n')));
    result = FleetCommandConfigLoader::loadJson(
        R"({"console": {"autoscaler": {}}, "fleet": {"autoscaler": {"mode": "recommend"}}})");
    QVERIFY(result.warnings.isEmpty());
    QCOMPARE(result.value.autoscaler.mode, AutoscaleMode::Recommend);
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
    QCOMPARE(result.value.autoscaler.mode, AutoscaleMode::Recommend);

    // The packaged sample documents the section and loads without a word.
    result = FleetCommandConfigLoader::loadFile(
        QStringLiteral(QUERYDECK_SOURCE_DIR "/packaging/querydeck.sample.json"));
    QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
    QCOMPARE(result.value, FleetCommandConfig{});
}

QTEST_GUILESS_MAIN(TestFleetCommandConfig)
#include "tst_fleetcommandconfig.moc"
