#include "backend/alerting/AlertRuleJson.h"
#include "backend/metrics/PromQlWriter.h"
#include "backend/promrules/PrometheusRuleExporter.h"
#include "backend/promrules/PrometheusRuleImporter.h"
#include "backend/promrules/YamlReader.h"

#include <QTest>

using namespace querydeck;

class TestPrometheusRuleExporter : public QObject
{
    Q_OBJECT

private slots:
    void defaultExpressions_data();
    void defaultExpressions();
    void promql_data();
    void promql();
    void refusedExpressions_data();
    void refusedExpressions();
    void comparators_data();
    void comparators();
    void hostileScalars_data();
    void hostileScalars();
    void templates_data();
    void templates();
    void groupsPerInterval();
    void durationsAndKeepFiringFor();
    void refusedRulesAreListed();
    void hostileRuleRoundTrips();
};

namespace {

AlertRule rule(const QString& name, const QString& expression)
{
    AlertRule r;
    r.name = name;
    r.expression = expression;
    r.threshold = 1;
    return r;
}

} // namespace

void TestPrometheusRuleExporter::defaultExpressions_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expr");
    QTest::newRow("ServiceDown") << "ServiceDown"
                                 << R"((sum(up{job="service"})) < 1)";
    QTest::newRow("HighErrorRate")
        << "HighErrorRate"
        << R"((sum(rate(querydeck_http_requests_total{route="/v1/query",code=~"5.."}[5m])) / )"
           R"(sum(rate(querydeck_http_requests_total{route="/v1/query"}[5m])) * 100) > 10)";
    QTest::newRow("HighP95Latency")
        << "HighP95Latency"
        << R"((histogram_quantile(0.95, sum by (le) )"
           R"((rate(querydeck_http_request_duration_seconds_bucket{route="/v1/query"}[5m])))) > 60)";
    QTest::newRow("LowCacheHitRate")
        << "LowCacheHitRate"
        << R"(((1 - sum(rate(querydeck_cache_lookups_total{result="miss"}[5m])) / )"
           R"(sum(rate(querydeck_cache_lookups_total[5m]))) * 100) < 40)";
    QTest::newRow("CacheEvictions") << "CacheEvictions"
                                    << R"((sum(rate(querydeck_cache_evictions_total[5m]))) > 0)";
}

void TestPrometheusRuleExporter::defaultExpressions()
{
    QFETCH(QString, name);
    QFETCH(QString, expr);
    for (const AlertRule& r : AlertRuleJson::defaults()) {
        if (r.name != name)
            continue;
        QString error;
        QCOMPARE(PrometheusRuleExporter::alertExpression(r, &error), expr);
        QCOMPARE(error, QString());
        return;
    }
    QFAIL("rule not among the defaults");
}

void TestPrometheusRuleExporter::promql_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("promql");
    QTest::newRow("plain") << "up"
                           << "up";
    QTest::newRow("regex escapes are PromQL string escapes") << R"(x{code=~"5\d\d"})"
                                                             << R"(x{code=~"5\\d\\d"})";
    QTest::newRow("single quotes become double") << R"(x{a='say "hi"'})"
                                                 << R"(x{a="say \"hi\""})";
    QTest::newRow("newline and tab in a value") << "x{a=\"l1\\nl2\\t\"}"
                                                << R"(x{a="l1\nl2\t"})";
    QTest::newRow("unicode value") << "x{city=\"Zürich ✓\"}"
                                   << "x{city=\"Zürich ✓\"}";
    QTest::newRow("all matchers") << R"(x{a="1",b!="2",c=~"3",d!~"4"})"
                                  << R"(x{a="1",b!="2",c=~"3",d!~"4"})";
    QTest::newRow("keyword metric name") << R"(sum{job="a"})"
                                         << R"({__name__="sum",job="a"})";
    QTest::newRow("keyword metric in rate") << "rate(offset[5m])"
                                            << R"(rate({__name__="offset"}[5m]))";
    QTest::newRow("grouping after the argument") << "sum(x) by (a, b)"
                                                 << "sum by (a, b) (x)";
    QTest::newRow("duration normalised") << "rate(x[90s])"
                                         << "rate(x[1m30s])";
    QTest::newRow("needed parentheses kept") << "a - (b - c)"
                                             << "a - (b - c)";
    QTest::newRow("redundant parentheses dropped") << "((a - b)) - c"
                                                   << "a - b - c";
    QTest::newRow("precedence") << "(a + b) * c / (d - 1)"
                                << "(a + b) * c / (d - 1)";
    QTest::newRow("division chain") << "a / (b * c)"
                                    << "a / (b * c)";
    QTest::newRow("negation") << "-(a + b)"
                              << "-(a + b)";
    QTest::newRow("numbers shortest") << "0.1 + 1e300 * x"
                                      << "0.1 + 1e+300 * x";
    QTest::newRow("all functions")
        << "increase(a[1m]) + avg_over_time(b[1h]) + min_over_time(c[1d]) + max_over_time(d[2w])"
        << "increase(a[1m]) + avg_over_time(b[1h]) + min_over_time(c[1d]) + max_over_time(d[2w])";
    QTest::newRow("aggregators") << "count(avg(min(max(x))))"
                                 << "count(avg(min(max(x))))";
}

void TestPrometheusRuleExporter::promql()
{
    QFETCH(QString, expression);
    QFETCH(QString, promql);
    const Expression parsed = Expression::parse(expression);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.error()));
    const PromQlWriter::Result written = PromQlWriter::write(parsed);
    QCOMPARE(written.error, QString());
    QCOMPARE(written.text, promql);
    // What we write reads back into the same tree (our language has no
    // {__name__="..."} selector, so keyword metric names stop at PromQL).
    if (promql.contains(QLatin1String("__name__")))
        return;
    const Expression again = Expression::parse(written.text);
    QVERIFY2(again.isValid(), qPrintable(again.error()));
    QCOMPARE(PromQlWriter::write(again).text, promql);
}

void TestPrometheusRuleExporter::refusedExpressions_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("error");
    QTest::newRow("label name with a colon") << R"(x{a:b="1"})"
                                             << "label name \"a:b\" is not valid in PromQL";
    QTest::newRow("grouping label with a colon") << "sum by (a:b) (x)"
                                                 << "label name \"a:b\" is not valid";
    QTest::newRow("lookahead") << R"(x{a=~"(?=foo).*"})"
                               << "Prometheus (RE2) does not support";
    QTest::newRow("backreference") << R"(x{a=~"(a)\1"})"
                                   << "Prometheus (RE2) does not support";
    QTest::newRow("not an expression") << "sum("
                                       << "at 4:";
}

void TestPrometheusRuleExporter::refusedExpressions()
{
    QFETCH(QString, expression);
    QFETCH(QString, error);
    const PromQlWriter::Result written = PromQlWriter::write(Expression::parse(expression));
    QCOMPARE(written.text, QString());
    QVERIFY2(written.error.contains(error), qPrintable(written.error));
}

void TestPrometheusRuleExporter::comparators_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<QString>("expr");
    QTest::newRow(">") << ">" << 80.0 << "(x) > 80";
    QTest::newRow(">=") << ">=" << 0.5 << "(x) >= 0.5";
    QTest::newRow("<") << "<" << -3.25 << "(x) < -3.25";
    QTest::newRow("<=") << "<=" << 1e-9 << "(x) <= 1e-09";
    QTest::newRow("zero") << ">" << 0.0 << "(x) > 0";
    QTest::newRow("large") << "<" << 12345678901.0 << "(x) < 12345678901";
}

void TestPrometheusRuleExporter::comparators()
{
    QFETCH(QString, op);
    QFETCH(double, threshold);
    QFETCH(QString, expr);
    AlertRule r = rule(QStringLiteral("R"), QStringLiteral("x"));
    QVERIFY(parseComparator(op, &r.comparator));
    r.threshold = threshold;
    QString error;
    QCOMPARE(PrometheusRuleExporter::alertExpression(r, &error), expr);
    const auto back = PrometheusRuleImporter::splitCondition(expr, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->expression, QStringLiteral("x"));
    QCOMPARE(back->comparator, r.comparator);
    QCOMPARE(back->threshold, threshold);
}

void TestPrometheusRuleExporter::hostileScalars_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("word") << "HighCpu";
    QTest::newRow("quotes") << R"(say "hi" and 'bye')";
    QTest::newRow("lone single quote") << "'";
    QTest::newRow("colon space") << "key: value";
    QTest::newRow("trailing colon") << "key:";
    QTest::newRow("hash") << "# not a comment";
    QTest::newRow("space hash") << "a #b";
    QTest::newRow("newlines") << "line1\nline2\n\nline4\n";
    QTest::newRow("leading and trailing spaces") << "  lead and trail  ";
    QTest::newRow("tab") << "a\tb";
    QTest::newRow("control characters") << QString::fromUtf8("bell\x07 esc\x1b nul") + QChar(0);
    QTest::newRow("unicode") << "Zürich ✓ 日本 😀";
    QTest::newRow("line separator") << QString(QChar(0x2028)) + "x" + QChar(0x85);
    QTest::newRow("yaml booleans") << "yes";
    QTest::newRow("yaml null") << "null";
    QTest::newRow("tilde") << "~";
    QTest::newRow("number") << "1e3";
    QTest::newRow("dash") << "- item";
    QTest::newRow("indicators") << "@at *star &amp !tag %pct |bar >gt {a} [b] `tick`";
    QTest::newRow("backslash") << R"(C:\path\n)";
    QTest::newRow("template braces") << "{{ .Foo }} }} {{";
    QTest::newRow("document marker") << "---";
}

void TestPrometheusRuleExporter::hostileScalars()
{
    QFETCH(QString, text);
    const QString scalar = PrometheusRuleExporter::yamlScalar(text);
    QVERIFY2(!scalar.contains(u'\n'), qPrintable(scalar));
    const YamlReader::Result read =
        YamlReader::parse(QStringLiteral("key: %1 # comment\nnext: x\n").arg(scalar).toUtf8());
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error + " in " + scalar));
    const YamlNode* value = read.root.value(QStringLiteral("key"));
    QVERIFY(value);
    QCOMPARE(value->kind, YamlNode::Kind::Scalar);
    QCOMPARE(value->scalar, text);
    QCOMPARE(read.root.value(QStringLiteral("next"))->scalar, QStringLiteral("x"));
}

void TestPrometheusRuleExporter::templates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("go");
    QTest::newRow("value") << "CPU {{value}}%"
                           << "CPU {{ $value }}%";
    QTest::newRow("spaced value") << "{{ value }}"
                                  << "{{ $value }}";
    QTest::newRow("label") << "Replica {{labels.instance}}"
                           << "Replica {{ $labels.instance }}";
    QTest::newRow("threshold") << "over {{threshold}}"
                               << "over {{ 2.5 }}";
    QTest::newRow("foreign action is literal") << "a {{ .Foo }} b"
                                               << "a {{ \"{{\" }} .Foo }} b";
    QTest::newRow("closing braces alone") << "}} x"
                                          << "}} x";
    QTest::newRow("bad label name is literal") << "{{labels.a-b}}"
                                               << "{{ \"{{\" }}labels.a-b}}";
    QTest::newRow("no placeholders") << "plain text"
                                     << "plain text";
}

void TestPrometheusRuleExporter::templates()
{
    QFETCH(QString, text);
    QFETCH(QString, go);
    QCOMPARE(PrometheusRuleExporter::goTemplate(text, 2.5), go);
    QString note;
    const QString back = PrometheusRuleImporter::fromGoTemplate(go, 2.5, &note);
    QCOMPARE(note, QString());
    // Back to a template that renders the same.
    AlertRule a;
    a.threshold = 2.5;
    QCOMPARE(a.render(back, 7, {{"instance", "r1"}}), a.render(text, 7, {{"instance", "r1"}}));
}

void TestPrometheusRuleExporter::groupsPerInterval()
{
    const auto result = PrometheusRuleExporter::exportRules(AlertRuleJson::defaults());
    QCOMPARE(result.exported, 10);
    QCOMPARE(result.refused, QStringList());
    const YamlReader::Result read = YamlReader::parse(result.yaml);
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
    const YamlNode* groups = read.root.value(QStringLiteral("groups"));
    QVERIFY(groups);
    QStringList names;
    QStringList intervals;
    QList<int> counts;
    for (const YamlNode& group : groups->sequence) {
        names << group.value(QStringLiteral("name"))->scalar;
        intervals << group.value(QStringLiteral("interval"))->scalar;
        counts << int(group.value(QStringLiteral("rules"))->sequence.size());
    }
    QCOMPARE(names,
             QStringList({"querydeck-every-15s", "querydeck-every-30s", "querydeck-every-1m"}));
    QCOMPARE(intervals, QStringList({"15s", "30s", "1m"}));
    QCOMPARE(counts, QList<int>({7, 2, 1}));
}

void TestPrometheusRuleExporter::durationsAndKeepFiringFor()
{
    AlertRule r = rule(QStringLiteral("Flappy"), QStringLiteral("x"));
    r.forMs = 5400000;
    r.keepFiringForMs = 90000;
    r.intervalMs = 2500;
    const auto result = PrometheusRuleExporter::exportRules({r});
    const QString yaml = QString::fromUtf8(result.yaml);
    QVERIFY2(yaml.contains(QLatin1String("\n        for: 1h30m\n")), qPrintable(yaml));
    QVERIFY2(yaml.contains(QLatin1String("\n        keep_firing_for: 1m30s\n")), qPrintable(yaml));
    QVERIFY2(yaml.contains(QLatin1String("\n    interval: 2s500ms\n")), qPrintable(yaml));
    // No keep_firing_for key at all when it is zero.
    r.keepFiringForMs = 0;
    QVERIFY(!PrometheusRuleExporter::exportRules({r}).yaml.contains("keep_firing_for"));
}

void TestPrometheusRuleExporter::refusedRulesAreListed()
{
    AlertRule disabled = rule(QStringLiteral("Off"), QStringLiteral("x"));
    disabled.enabled = false;
    AlertRule lookahead = rule(QStringLiteral("Look"), QStringLiteral(R"re(x{a=~"(?!b)"})re"));
    AlertRule invalid = rule(QStringLiteral("Bad"), QStringLiteral("x"));
    invalid.labels.insert(QStringLiteral("severity"), QStringLiteral("page"));
    const auto result = PrometheusRuleExporter::exportRules(
        {disabled, lookahead, invalid, rule(QStringLiteral("Good"), QStringLiteral("x"))});
    QCOMPARE(result.exported, 1);
    QCOMPARE(result.refused.size(), 3);
    QVERIFY(result.refused[0].startsWith(QLatin1String("rule \"Off\": disabled")));
    QVERIFY2(result.refused[1].contains(QLatin1String("rule \"Look\": expression cannot be "
                                                      "written as PromQL")),
             qPrintable(result.refused[1]));
    QVERIFY2(result.refused[2].contains(QLatin1String("\"severity\" is set by QueryDeck")),
             qPrintable(result.refused[2]));
    QVERIFY(result.yaml.contains("alert: Good"));
    QVERIFY(!result.yaml.contains("Look"));
    // Nothing exportable: still a valid, empty rules file.
    const auto none = PrometheusRuleExporter::exportRules({disabled});
    QVERIFY(PrometheusRuleImporter::importRules(none.yaml).errors.isEmpty());
}

void TestPrometheusRuleExporter::hostileRuleRoundTrips()
{
    AlertRule r =
        rule(QStringLiteral("Hostile \"rule\": #1 — ✓"),
             QStringLiteral("sum by (le) (rate(x{a=~\"5\\d\\d\",b=\"it\x27s: #\"}[5m]))"));
    r.comparator = AlertComparator::LessOrEqual;
    r.threshold = -0.125;
    r.forMs = 61000;
    r.keepFiringForMs = 300000;
    r.severity = AlertSeverity::Info;
    r.labels = {{"team", "  ops: \"night\" #2\n"}, {"city", "Zürich {{value}}"}};
    r.summary = QStringLiteral("{{value}} <= {{threshold}} on {{labels.instance}}: \"bad\" {{ x");
    r.description = QStringLiteral("line 1\n  line 2 # not a comment\n\n- dash\n");
    r.noData = NoDataBehaviour::Alerting;
    r.intervalMs = 45000;
    r.route = QStringLiteral("pager: night");
    r.unit = QStringLiteral("percent");
    const auto exported = PrometheusRuleExporter::exportRules({r});
    QCOMPARE(exported.refused, QStringList());
    const auto imported = PrometheusRuleImporter::importRules(exported.yaml);
    QVERIFY2(imported.errors.isEmpty(), qPrintable(imported.errors.join('\n')));
    QCOMPARE(imported.skipped, QStringList());
    QCOMPARE(imported.notes, QStringList());
    QCOMPARE(imported.rules.size(), size_t(1));
    AlertRule expected = r;
    // The expression comes back as the PromQL we wrote; it means the same.
    expected.expression =
        QStringLiteral("sum by (le) (rate(x{a=~\"5\\\\d\\\\d\",b=\"it\x27s: #\"}[5m]))");
    QCOMPARE(AlertRuleJson::serialize(imported.rules), AlertRuleJson::serialize({expected}));
}

QTEST_GUILESS_MAIN(TestPrometheusRuleExporter)
#include "tst_prometheusruleexporter.moc"
