#include "backend/promrules/PrometheusRuleMapper.h"
#include "backend/promrules/YamlReader.h"

#include <QTest>

using namespace querydeck;

// One parsed rule to one AlertRule: the fields that map, the notes for what
// has no place, and the reasons a rule is refused.
class TestPrometheusRuleMapper : public QObject
{
    Q_OBJECT

    static YamlNode rule(const char* yaml)
    {
        const YamlReader::Result parsed = YamlReader::parse(yaml);
        if (!parsed.error.isEmpty())
            qFatal("test YAML: %s", qPrintable(parsed.error));
        return parsed.root;
    }

private slots:
    void mapsAnAlertingRule()
    {
        const YamlNode node = rule("alert: HighLatency\n"
                                   "expr: 5 < p95_ms\n"
                                   "for: 2m\n"
                                   "labels:\n  severity: critical\n  team: search\n"
                                   "annotations:\n  summary: 'p95 {{ $value }} over {{ 5 }}'\n"
                                   "  runbook: http://wiki/x\n");
        AlertRule out;
        QString why;
        QStringList notes;
        QVERIFY2(PrometheusRuleMapper::toAlertRule(node, 30000, &out, &why, &notes),
                 qPrintable(why));
        QCOMPARE(out.name, QStringLiteral("HighLatency"));
        QCOMPARE(out.expression, QStringLiteral("p95_ms"));
        QCOMPARE(out.comparator, AlertComparator::Greater); // "5 < x" is "x > 5"
        QCOMPARE(out.threshold, 5.0);
        QCOMPARE(out.forMs, 120000);
        QCOMPARE(out.intervalMs, 30000);
        QCOMPARE(out.severity, AlertSeverity::Critical);
        QCOMPARE(out.labels.value(QStringLiteral("team")), QStringLiteral("search"));
        QCOMPARE(out.summary, QStringLiteral("p95 {{value}} over {{threshold}}"));
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes.first().startsWith(QStringLiteral("annotations.runbook:")),
                 qPrintable(notes.first()));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("why");
        QTest::newRow("recording")
            << QByteArray("record: x:sum\nexpr: sum(x)\n") << "recording rule \"x:sum\"";
        QTest::newRow("unknown field")
            << QByteArray("alert: A\nexpr: x > 1\nlimit: 3\n") << "unknown field \"limit\"";
        QTest::newRow("no comparison")
            << QByteArray("alert: A\nexpr: x\n") << "expr: no comparison";
        QTest::newRow("bad for") << QByteArray("alert: A\nexpr: x > 1\nfor: soon\n") << "for: ";
        QTest::newRow("bad severity")
            << QByteArray("alert: A\nexpr: x > 1\nlabels:\n  severity: loud\n")
            << "labels.severity: \"loud\"";
    }
    void refusals()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, why);
        AlertRule out;
        QString reason;
        QStringList notes;
        QVERIFY(!PrometheusRuleMapper::toAlertRule(rule(yaml.constData()), 60000, &out, &reason,
                                                   &notes));
        QVERIFY2(reason.startsWith(why), qPrintable(reason));
    }
};

QTEST_APPLESS_MAIN(TestPrometheusRuleMapper)
#include "tst_prometheusrulemapper.moc"
