// console.alerts in the config file: the rules file and webhook routes, with
// every bad field named by its dotted path and secrets never written inline.
#include "backend/config/ConsoleConfig.h"

#include <QTest>

using namespace querydeck;

class TestAlertsConfig : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const auto result = ConsoleConfigLoader::loadJson("{}");
        QVERIFY(result.ok());
        QCOMPARE(result.value.alerts, AlertsConfig{});
        QVERIFY(result.value.alerts.routes.isEmpty());
    }

    void fullSection()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            "{\"console\": {\"alerts\": {\n"
            "            \"rules_file\": \"/etc/querydeck/rules.json\",\n"
            "            \"webhook\": {\n"
            "                \"routes\": {\n"
            "                    \"pager\": {\"url\": \"https://pager.example/hook\", "
            "\"authorization\": {\"keychain\": \"pager-token\"}},\n"
            "                    \"chat\": {\"url\": \"http://127.0.0.1:9093/chat\"}\n"
            "                },\n"
            "                \"severity_routes\": {\"critical\": \"pager\", \"warning\": "
            "\"chat\"},\n"
            "                \"timeout_ms\": 3000, \"max_attempts\": 3, \"backoff_ms\": 500, "
            "\"backoff_max_ms\": 4000\n"
            "            }}}}");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
        const AlertsConfig& a = result.value.alerts;
        QCOMPARE(a.rulesFile, QStringLiteral("/etc/querydeck/rules.json"));
        QCOMPARE(a.routes.size(), 2);
        QCOMPARE(a.routes["pager"].url, QStringLiteral("https://pager.example/hook"));
        QCOMPARE(a.routes["pager"].authorization.keychainKey, QStringLiteral("pager-token"));
        QVERIFY(!a.routes["chat"].authorization.isSet());
        QCOMPARE(a.severityRoutes.value("critical"), QStringLiteral("pager"));
        QCOMPARE(a.severityRoutes.value("warning"), QStringLiteral("chat"));
        QCOMPARE(a.timeoutMs, 3000);
        QCOMPARE(a.maxAttempts, 3);
        QCOMPARE(a.backoffMs, 500);
        QCOMPARE(a.backoffMaxMs, 4000);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("alerts");
        QTest::addColumn<QString>("field");
        QTest::newRow("rules_file not a string")
            << QByteArray("{\"rules_file\": 5}") << "console.alerts.rules_file";
        QTest::newRow("alerts not an object") << QByteArray("[]") << "console.alerts";
        QTest::newRow("route without url")
            << QByteArray("{\"webhook\": {\"routes\": {\"pager\": {}}}}")
            << "console.alerts.webhook.routes.pager.url";
        QTest::newRow("route url not http")
            << QByteArray("{\"webhook\": {\"routes\": {\"pager\": {\"url\": \"ftp://x/\"}}}}")
            << "console.alerts.webhook.routes.pager.url";
        QTest::newRow("route not an object")
            << QByteArray("{\"webhook\": {\"routes\": {\"pager\": \"http://x/\"}}}")
            << "console.alerts.webhook.routes.pager";
        QTest::newRow("bad route name")
            << QByteArray("{\"webhook\": {\"routes\": {\"a b\": {\"url\": \"http://x/\"}}}}")
            << "console.alerts.webhook.routes.a b";
        QTest::newRow("inline secret")
            << QByteArray("{\"webhook\": {\"routes\": {\"pager\": {\"url\": \"http://x/\", "
                          "\"authorization\": \"Bearer abc\"}}}}")
            << "console.alerts.webhook.routes.pager.authorization";
        QTest::newRow("severity to unknown route")
            << QByteArray("{\"webhook\": {\"severity_routes\": {\"critical\": \"pager\"}}}")
            << "console.alerts.webhook.severity_routes.critical";
        QTest::newRow("timeout too small") << QByteArray("{\"webhook\": {\"timeout_ms\": 5}}")
                                           << "console.alerts.webhook.timeout_ms";
        QTest::newRow("attempts zero") << QByteArray("{\"webhook\": {\"max_attempts\": 0}}")
                                       << "console.alerts.webhook.max_attempts";
        QTest::newRow("cap below backoff")
            << QByteArray("{\"webhook\": {\"backoff_ms\": 5000, \"backoff_max_ms\": 100}}")
            << "console.alerts.webhook.backoff_max_ms";
    }

    void errors()
    {
        QFETCH(QByteArray, alerts);
        QFETCH(QString, field);
        const auto result =
            ConsoleConfigLoader::loadJson("{\"console\": {\"alerts\": " + alerts + "}}");
        QVERIFY(!result.ok());
        const QString all = result.errors.join('\n');
        QVERIFY2(all.contains(field + ":"), qPrintable(all));
        QVERIFY2(!all.contains("Bearer abc"), "a secret was echoed");
    }

    void unknownKeysWarn()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            "{\"console\": {\"alerts\": {\"rule_file\": \"x\", \"webhook\": {\"rout\": {}}}}}");
        QVERIFY(result.ok());
        const QString all = result.warnings.join('\n');
        QVERIFY2(all.contains("console.alerts.rule_file"), qPrintable(all));
        QVERIFY2(all.contains("console.alerts.webhook.rout"), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestAlertsConfig)
#include "tst_alertsconfig.moc"
