#include "backend/alerting/AlertRuleJson.h"
#include "backend/metrics/PromDuration.h"

#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

class TestAlertRuleJson : public QObject
{
    Q_OBJECT

private slots:
    void durations_data();
    void durations();
    void badDurations_data();
    void badDurations();
    void defaultsLoadAndCoverThePlans();
    void roundTrip();
    void errors_data();
    void errors();
    void unknownKeysWarn();
    void fileErrorsAndAtomicSave();
};

void TestAlertRuleJson::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("formatted");
    QTest::newRow("zero") << "0s" << qint64(0) << "0s";
    QTest::newRow("seconds") << "90s" << qint64(90000) << "1m30s";
    QTest::newRow("minutes") << "5m" << qint64(300000) << "5m";
    QTest::newRow("compound") << "1h30m" << qint64(5400000) << "1h30m";
    QTest::newRow("millis") << "1s500ms" << qint64(1500) << "1s500ms";
    QTest::newRow("days") << "2d" << qint64(172800000) << "2d";
    QTest::newRow("week and day") << "1w1d" << qint64(8 * 86400000LL) << "1w1d";
}

void TestAlertRuleJson::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QFETCH(QString, formatted);
    QCOMPARE(PromDuration::parse(text).value_or(-1), ms);
    QCOMPARE(PromDuration::format(ms), formatted);
    QCOMPARE(PromDuration::parse(formatted).value_or(-1), ms);
}

void TestAlertRuleJson::badDurations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << ""
                           << "empty duration";
    QTest::newRow("no unit") << "5"
                             << "is not a duration";
    QTest::newRow("unknown unit") << "5x"
                                  << "is not a duration";
    QTest::newRow("negative") << "-5m"
                              << "is not a duration";
    QTest::newRow("fraction") << "1.5h"
                              << "is not a duration";
    QTest::newRow("spaces") << "5 m"
                            << "is not a duration";
    QTest::newRow("order") << "5m1h"
                           << "largest to smallest";
    QTest::newRow("repeat") << "5m5m"
                            << "largest to smallest";
    QTest::newRow("huge") << "99999999999999y"
                          << "longer than ten years";
    QTest::newRow("overflow digits") << "9999999999999999999s"
                                     << "longer than ten years";
}

void TestAlertRuleJson::badDurations()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!PromDuration::parse(text, &message));
    QVERIFY2(message.contains(error), qPrintable(message));
}

void TestAlertRuleJson::defaultsLoadAndCoverThePlans()
{
    const auto result = AlertRuleJson::loadFile(QStringLiteral(":/alerts/default-rules.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(QLatin1Char('\n'))));
    QCOMPARE(int(result.value.size()), 10);
    int critical = 0;
    for (const AlertRule& rule : result.value)
        critical += rule.severity == AlertSeverity::Critical ? 1 : 0;
    QCOMPARE(critical, 4);
    auto find = [&](const QString& name) {
        for (const AlertRule& rule : result.value) {
            if (rule.name == name)
                return rule;
        }
        return AlertRule();
    };
    QCOMPARE(find(QStringLiteral("HighErrorRate")).threshold, 10.0);
    QCOMPARE(find(QStringLiteral("HighErrorRate")).forMs, 5 * 60 * 1000LL);
    QCOMPARE(find(QStringLiteral("HighP95Latency")).threshold, 60.0);
    QCOMPARE(find(QStringLiteral("HighP95Latency")).forMs, 10 * 60 * 1000LL);
    QCOMPARE(find(QStringLiteral("LowCacheHitRate")).comparator, AlertComparator::Less);
    QCOMPARE(find(QStringLiteral("LowCacheHitRate")).forMs, 3600 * 1000LL);
    QCOMPARE(find(QStringLiteral("ServiceDown")).forMs, 60 * 1000LL);
    QCOMPARE(find(QStringLiteral("QueueBacklog")).threshold, 100.0);
    QCOMPARE(int(AlertRuleJson::defaults().size()), 10);
}

void TestAlertRuleJson::roundTrip()
{
    AlertRule rule;
    rule.name = QStringLiteral("Ünïcode \"quoted\" rule");
    rule.expression = QStringLiteral("sum(rate(querydeck_http_requests_total{code=~\"5..\"}[1m]))");
    rule.comparator = AlertComparator::LessOrEqual;
    rule.threshold = 0.125;
    rule.forMs = 90000;
    rule.keepFiringForMs = 1500;
    rule.severity = AlertSeverity::Info;
    rule.labels.insert(QStringLiteral("team"), QStringLiteral("search <ops>"));
    rule.summary = QStringLiteral("{{value}} ≤ {{threshold}}");
    rule.noData = NoDataBehaviour::Alerting;
    rule.intervalMs = 30000;
    rule.route = QStringLiteral("pager");
    rule.unit = QStringLiteral("percent");
    rule.enabled = false;
    const auto result = AlertRuleJson::parse(AlertRuleJson::serialize({rule}));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(int(result.value.size()), 1);
    const AlertRule& back = result.value.front();
    QCOMPARE(back.name, rule.name);
    QCOMPARE(back.expression, rule.expression);
    QCOMPARE(back.comparator, rule.comparator);
    QCOMPARE(back.threshold, rule.threshold);
    QCOMPARE(back.forMs, rule.forMs);
    QCOMPARE(back.keepFiringForMs, rule.keepFiringForMs);
    QCOMPARE(back.severity, rule.severity);
    QCOMPARE(back.labels, rule.labels);
    QCOMPARE(back.summary, rule.summary);
    QCOMPARE(back.noData, rule.noData);
    QCOMPARE(back.intervalMs, rule.intervalMs);
    QCOMPARE(back.route, rule.route);
    QCOMPARE(back.unit, rule.unit);
    QCOMPARE(back.enabled, rule.enabled);
}

void TestAlertRuleJson::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const QByteArray ok = R"("name":"A","expr":"up")";
    QTest::newRow("not json") << QByteArray("{rules: [") << "rules file: not valid JSON at byte";
    QTest::newRow("empty") << QByteArray() << "rules file: not valid JSON";
    QTest::newRow("array") << QByteArray("[]") << "rules file: expected an object";
    QTest::newRow("no rules") << QByteArray("{}") << "rules: expected an array";
    QTest::newRow("rule not object")
        << QByteArray(R"({"rules":[42]})") << "rules[0]: expected an object, got 42";
    QTest::newRow("missing name") << QByteArray(R"({"rules":[{"expr":"up"}]})")
                                  << "rules[0].name: must not be empty";
    QTest::newRow("bad expr") << QByteArray(R"({"rules":[{"name":"A","expr":"sum("}]})")
                              << "rules[0].expression: ";
    QTest::newRow("threshold string")
        << QByteArray("{\"rules\":[{" + ok + R"(,"threshold":"ten"}]})") << "rules[0].threshold";
    QTest::newRow("bad op") << QByteArray("{\"rules\":[{" + ok + R"(,"op":"=="}]})")
                            << "rules[0].op";
    QTest::newRow("bad for") << QByteArray("{\"rules\":[{" + ok + R"(,"for":"5 minutes"}]})")
                             << "rules[0].for: \"5 minutes\" is not a duration";
    QTest::newRow("for array") << QByteArray("{\"rules\":[{" + ok + R"(,"for":[]}]})")
                               << "rules[0].for: expected a duration";
    QTest::newRow("negative for seconds") << QByteArray("{\"rules\":[{" + ok + R"(,"for":-3}]})")
                                          << "rules[0].for: expected a duration";
    QTest::newRow("bad severity") << QByteArray("{\"rules\":[{" + ok + R"(,"severity":"page"}]})")
                                  << "rules[0].severity";
    QTest::newRow("labels not object")
        << QByteArray("{\"rules\":[{" + ok + R"(,"labels":"x"}]})") << "rules[0].labels: expected";
    QTest::newRow("label not string")
        << QByteArray("{\"rules\":[{" + ok + R"(,"labels":{"a":1}}]})") << "rules[0].labels.a";
    QTest::newRow("duplicate") << QByteArray("{\"rules\":[{" + ok + "},{" + ok + "}]}")
                               << "rules[1].name: \"A\" is already used";
    QTest::newRow("second rule bad") << QByteArray("{\"rules\":[{" + ok + R"(},{"name":"B"}]})")
                                     << "rules[1].expression: must not be empty";
    QTest::newRow("oversized") << QByteArray(AlertRuleJson::kMaxDocumentBytes + 1, ' ')
                               << "rules file: larger than";
    QByteArray many = "{\"rules\":[";
    for (int i = 0; i <= AlertRuleJson::kMaxRules; ++i)
        many += "{},";
    many.chop(1);
    many += "]}";
    QTest::newRow("too many") << many << "rules: more than 1000 rules";
}

void TestAlertRuleJson::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto result = AlertRuleJson::parse(json);
    QVERIFY(result.value.empty()); // any error loads nothing
    QVERIFY(!result.errors.isEmpty());
    QVERIFY2(result.errors.first().startsWith(error), qPrintable(result.errors.join('\n')));
}

void TestAlertRuleJson::unknownKeysWarn()
{
    const auto result = AlertRuleJson::parse(R"({"rules":[{"name":"A","expr":"up","tresh":1}],
                                                "version":2})");
    QVERIFY(result.errors.isEmpty());
    QCOMPARE(int(result.value.size()), 1);
    QCOMPARE(result.warnings.size(), 2);
    QVERIFY2(result.warnings.join('\n').contains(QStringLiteral("rules[0].tresh")),
             qPrintable(result.warnings.join('\n')));
}

void TestAlertRuleJson::fileErrorsAndAtomicSave()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rules.json"));
    QVERIFY(AlertRuleJson::loadFile(path).errors.first().startsWith(path));
    QString error;
    QVERIFY(AlertRuleJson::saveFile(path, AlertRuleJson::defaults(), &error));
    QCOMPARE(int(AlertRuleJson::loadFile(path).value.size()), 10);
    QVERIFY(
        !AlertRuleJson::saveFile(dir.filePath(QStringLiteral("missing/rules.json")), {}, &error));
    QVERIFY(error.contains(QStringLiteral("missing/rules.json")));
    // The failed save left the good file alone.
    QCOMPARE(int(AlertRuleJson::loadFile(path).value.size()), 10);
}

QTEST_GUILESS_MAIN(TestAlertRuleJson)
#include "tst_alertrulejson.moc"
