#include "backend/alerting/AlertRuleJson.h"
#include "backend/promrules/PrometheusRuleExporter.h"
#include "backend/promrules/PrometheusRuleImporter.h"
#include "backend/promrules/YamlReader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

class TestPrometheusRuleImporter : public QObject
{
    Q_OBJECT

private slots:
    void defaultsRoundTrip();
    void conditions_data();
    void conditions();
    void unsupported_data();
    void unsupported();
    void handWrittenFile();
    void skippedRulesNameTheirLine();
    void notesForWhatHasNoPlace();
    void yamlFeatures_data();
    void yamlFeatures();
    void malformedYaml_data();
    void malformedYaml();
    void notARulesFile_data();
    void notARulesFile();
    void oversizedAndDeep();
    void fileErrors();
};

namespace {

PrometheusRuleImporter::Result importOne(const QString& ruleYaml)
{
    const QString yaml = QStringLiteral("groups:\n  - name: g\n    rules:\n") + ruleYaml;
    return PrometheusRuleImporter::importRules(yaml.toUtf8());
}

} // namespace

void TestPrometheusRuleImporter::defaultsRoundTrip()
{
    const std::vector<AlertRule> defaults = AlertRuleJson::defaults();
    const auto exported = PrometheusRuleExporter::exportRules(defaults);
    const auto imported = PrometheusRuleImporter::importRules(exported.yaml);
    QCOMPARE(imported.errors, QStringList());
    QCOMPARE(imported.skipped, QStringList());
    QCOMPARE(imported.notes, QStringList());
    QCOMPARE(imported.rules.size(), defaults.size());
    // Same rules, field by field (groups reorder them by interval).
    std::vector<AlertRule> sorted = imported.rules;
    for (const AlertRule& original : defaults) {
        const auto it = std::find_if(sorted.begin(), sorted.end(),
                                     [&](const AlertRule& r) { return r.name == original.name; });
        QVERIFY2(it != sorted.end(), qPrintable(original.name));
        QCOMPARE(AlertRuleJson::serialize({*it}), AlertRuleJson::serialize({original}));
    }
}

void TestPrometheusRuleImporter::conditions_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("op");
    QTest::addColumn<double>("threshold");
    QTest::newRow("plain") << "up < 1"
                           << "up"
                           << "<" << 1.0;
    QTest::newRow("outer parentheses stripped") << "(sum(x)) >= 0.5"
                                                << "sum(x)"
                                                << ">=" << 0.5;
    QTest::newRow("two groups keep parentheses") << "(a) / (b) > 2"
                                                 << "(a) / (b)"
                                                 << ">" << 2.0;
    QTest::newRow("arithmetic binds tighter") << "a + b * 2 <= 3"
                                              << "a + b * 2"
                                              << "<=" << 3.0;
    QTest::newRow("number first is mirrored") << "10 < sum(x)"
                                              << "sum(x)"
                                              << ">" << 10.0;
    QTest::newRow("negative") << "x > -2.5"
                              << "x"
                              << ">" << -2.5;
    QTest::newRow("exponent") << "x < 1e-3"
                              << "x"
                              << "<" << 0.001;
    QTest::newRow("hex") << "x > 0x10"
                         << "x"
                         << ">" << 16.0;
    QTest::newRow("matcher operators are not comparisons") << R"(x{a!="1",b=~"2>3"} > 4)"
                                                           << R"(x{a!="1",b=~"2>3"})"
                                                           << ">" << 4.0;
    QTest::newRow("multi-line") << "sum(rate(x[5m]))\n  /\nsum(rate(y[5m])) > 0.1"
                                << "sum(rate(x[5m]))\n  /\nsum(rate(y[5m]))"
                                << ">" << 0.1;
}

void TestPrometheusRuleImporter::conditions()
{
    QFETCH(QString, expr);
    QFETCH(QString, expression);
    QFETCH(QString, op);
    QFETCH(double, threshold);
    QString error;
    const auto condition = PrometheusRuleImporter::splitCondition(expr, &error);
    QVERIFY2(condition, qPrintable(error));
    QCOMPARE(condition->expression, expression);
    QCOMPARE(comparatorSymbol(condition->comparator), op);
    QCOMPARE(condition->threshold, threshold);
}

void TestPrometheusRuleImporter::unsupported_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("message");
    QTest::newRow("no comparison") << "sum(rate(x[5m]))"
                                   << "no comparison";
    QTest::newRow("two comparisons") << "x > 1 < 2"
                                     << "more than one comparison ('>' and '<')";
    QTest::newRow("and") << "x > 1 and y > 2"
                         << "set operator 'and' is not supported";
    QTest::newRow("or") << "x > 1 or y"
                        << "set operator 'or'";
    QTest::newRow("unless") << "x > 1 unless y"
                            << "set operator 'unless'";
    QTest::newRow("bool") << "x > bool 1"
                          << "'bool' comparisons";
    QTest::newRow("equality") << "x == 1"
                              << "comparison '==' is not supported";
    QTest::newRow("inequality") << "x != 1"
                                << "comparison '!=' is not supported";
    QTest::newRow("unsupported function") << "absent(up) > 0"
                                          << "unknown function 'absent'";
    QTest::newRow("offset") << "x offset 5m > 1"
                            << "offset modifier";
    QTest::newRow("at") << "x @ 1700000000 > 1"
                        << "@ modifier";
    QTest::newRow("subquery") << "max_over_time(rate(x[1m])[5m:1m]) > 1"
                              << "subqueries";
    QTest::newRow("vector matching") << "a / on(job) b > 1"
                                     << "vector matching with 'on'";
    QTest::newRow("without") << "sum without (a) (x) > 1"
                             << "'without (...)'";
    QTest::newRow("two expressions") << "a > b"
                                     << "one side of '>' must be a number";
    QTest::newRow("infinite threshold") << "x > +Inf"
                                        << "finite number";
    QTest::newRow("unbalanced") << "sum(x > 1"
                                << "unbalanced";
    QTest::newRow("unterminated string") << R"(x{a="1} > 1)"
                                         << "unterminated string";
    QTest::newRow("raw string not in our language") << "x{a=`1`} > 1"
                                                    << "not in QueryDeck's expression language";
}

void TestPrometheusRuleImporter::unsupported()
{
    QFETCH(QString, expr);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!PrometheusRuleImporter::splitCondition(expr, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestPrometheusRuleImporter::handWrittenFile()
{
    // The styles found in real rule files: folded and literal blocks,
    // single quotes, multi-line plain scalars, comments, "---".
    const QByteArray yaml = R"(---
# team rules
groups:
- name: api
  interval: 30s
  rules:
  - alert: SlowQueries   # trailing comment
    expr: >-
      histogram_quantile(0.95,
        sum by (le) (rate(querydeck_http_request_duration_seconds_bucket[5m])))
      > 2
    for: 10m
    labels:
      severity: "critical"
      team: 'core ''api'''
    annotations:
      summary: P95 {{ $value }}s over {{ 2 }}s on {{ $labels.instance }}
      description: |
        Line one.
          Indented.

        After a blank line.
  - alert: Backlog
    expr: sum(querydeck_generation_queue_depth)
      > 100
    keep_firing_for: 2m
)";
    const auto result = PrometheusRuleImporter::importRules(yaml);
    QCOMPARE(result.errors, QStringList());
    QCOMPARE(result.skipped, QStringList());
    QCOMPARE(result.rules.size(), size_t(2));
    const AlertRule& slow = result.rules[0];
    QCOMPARE(slow.name, QStringLiteral("SlowQueries"));
    QCOMPARE(slow.expression,
             QStringLiteral("histogram_quantile(0.95,\n  sum by (le) "
                            "(rate(querydeck_http_request_duration_seconds_bucket[5m])))"));
    QCOMPARE(slow.comparator, AlertComparator::Greater);
    QCOMPARE(slow.threshold, 2.0);
    QCOMPARE(slow.forMs, qint64(600000));
    QCOMPARE(slow.intervalMs, qint64(30000));
    QCOMPARE(slow.severity, AlertSeverity::Critical);
    QCOMPARE(slow.labels.value(QStringLiteral("team")), QStringLiteral("core 'api'"));
    QCOMPARE(slow.summary,
             QStringLiteral("P95 {{value}}s over {{threshold}}s on {{labels.instance}}"));
    QCOMPARE(slow.description, QStringLiteral("Line one.\n  Indented.\n\nAfter a blank line.\n"));
    QCOMPARE(slow.noData, NoDataBehaviour::Ok);
    const AlertRule& backlog = result.rules[1];
    QCOMPARE(backlog.expression, QStringLiteral("sum(querydeck_generation_queue_depth)"));
    QCOMPARE(backlog.threshold, 100.0);
    QCOMPARE(backlog.keepFiringForMs, qint64(120000));
    QCOMPARE(backlog.forMs, qint64(0));
    QCOMPARE(backlog.severity, AlertSeverity::Warning); // no severity label
}

void TestPrometheusRuleImporter::skippedRulesNameTheirLine()
{
    const auto result = importOne(QStringLiteral(R"(      - record: job:up:sum
        expr: sum(up)
      - alert: Both
        expr: up < 1 and up > 0
      - alert: Good
        expr: up < 1
      - alert: BadFor
        expr: up < 1
        for: 5 minutes
      - alert: Page
        expr: up < 1
        labels:
          severity: page
      - alert: Good
        expr: up < 2
      - alert: Extra
        expr: up < 1
        interval: 5s
      - expr: up < 1
)"));
    QCOMPARE(result.errors, QStringList());
    QCOMPARE(result.rules.size(), size_t(1));
    QCOMPARE(result.rules[0].name, QStringLiteral("Good"));
    const QStringList expected{
        "line 4: rule \"\": recording rule \"job:up:sum\": only alerting rules are imported",
        "line 6: rule \"Both\": expr: set operator 'and' is not supported: a QueryDeck rule is "
        "one condition",
        "line 10: rule \"BadFor\": for: \"5 minutes\" is not a duration like 30s, 5m or 1h30m",
        "line 13: rule \"Page\": labels.severity: \"page\" is not critical, warning or info",
        "line 17: rule \"Good\": the name is already used by another rule",
        "line 19: rule \"Extra\": unknown field \"interval\"",
        "line 22: rule \"\": no alert name"};
    QCOMPARE(result.skipped, expected);
}

void TestPrometheusRuleImporter::notesForWhatHasNoPlace()
{
    const auto result = importOne(QStringLiteral(R"(      - alert: Noted
        expr: up < 1
        annotations:
          runbook_url: https://example.invalid/runbook
          summary: '{{ $value | humanize }} {{ range $x := . }}{{ end }}'
)"));
    QCOMPARE(result.rules.size(), size_t(1));
    QCOMPARE(result.notes.size(), 2);
    QVERIFY2(result.notes[0].contains(QLatin1String("annotations.runbook_url: a QueryDeck rule has "
                                                    "no place for it")),
             qPrintable(result.notes[0]));
    QVERIFY2(result.notes[1].contains(QLatin1String("{{ $value | humanize }}")),
             qPrintable(result.notes[1]));
    QCOMPARE(result.rules[0].summary, QStringLiteral("{{value}} {{ range $x := . }}{{ end }}"));
}

void TestPrometheusRuleImporter::yamlFeatures_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("value");
    QTest::newRow("plain") << QByteArray("k: a b  # c\n") << "a b";
    QTest::newRow("plain multi-line") << QByteArray("k: a\n  b\n\n  c\nx: 1\n") << "a b\nc";
    QTest::newRow("single quoted") << QByteArray("k: 'it''s # x'\n") << "it's # x";
    QTest::newRow("single quoted folded") << QByteArray("k: 'a\n  b\n\n  c'\n") << "a b\nc";
    QTest::newRow("double escapes")
        << QByteArray(R"(k: "tab\t nl\n q\" bs\\ u\u00fc U\U0001F600 x\x41")"
                      "\n")
        << QString::fromUtf8("tab\t nl\n q\" bs\\ u\u00fc U\U0001F600 xA");
    QTest::newRow("double escaped break") << QByteArray("k: \"ab\\\n   cd\"\n") << "abcd";
    QTest::newRow("literal") << QByteArray("k: |\n  a\n   b\n\nx: 1\n") << "a\n b\n";
    QTest::newRow("literal strip") << QByteArray("k: |-\n  a\n  b\n\n") << "a\nb";
    QTest::newRow("literal keep") << QByteArray("k: |+\n  a\n\n\nx: 1\n") << "a\n\n\n";
    QTest::newRow("tab inside a literal block") << QByteArray("k: |\n  a\n  \tb\n") << "a\n\tb\n";
    QTest::newRow("literal indent indicator") << QByteArray("k: |2\n    a\n  b\n") << "  a\nb\n";
    QTest::newRow("folded") << QByteArray("k: >\n  a\n  b\n\n  c\n    d\n  e\n")
                            << "a b\nc\n  d\ne\n";
    QTest::newRow("empty value is null") << QByteArray("k:\nx: 1\n") << "";
    QTest::newRow("tab-only and tab-comment lines are blank")
        << QByteArray("\t\nk: a\n \t# note\nx: 1\n") << "a";
    QTest::newRow("crlf") << QByteArray("k: a\r\nx: 1\r\n") << "a";
    QTest::newRow("bom") << QByteArray("\xef\xbb\xbfk: a\n") << "a";
    QTest::newRow("url is not a key") << QByteArray("k: http://x:80/a\n") << "http://x:80/a";
    QTest::newRow("quoted key") << QByteArray("\"k\": v\n") << "v";
}

void TestPrometheusRuleImporter::yamlFeatures()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, value);
    const YamlReader::Result result = YamlReader::parse(yaml);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    const YamlNode* node = result.root.value(QStringLiteral("k"));
    QVERIFY(node);
    QCOMPARE(node->scalar, value);
}

void TestPrometheusRuleImporter::malformedYaml_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error");
    QTest::newRow("tab indentation")
        << QByteArray("groups:\n\t- name: x\n") << "line 2, column 1: tab in indentation";
    QTest::newRow("tab before a nested key")
        << QByteArray("groups:\n  - name: g\n    rules:\n\t  - alert: A\n")
        << "line 4, column 1: tab in indentation";
    QTest::newRow("unterminated double quote")
        << QByteArray("groups:\n  - name: \"abc\n    rules: []\n")
        << "line 2, column 11: unterminated double-quoted value";
    QTest::newRow("unterminated single quote")
        << QByteArray("a: 'x\n") << "line 1, column 4: unterminated single-quoted";
    QTest::newRow("bad indentation")
        << QByteArray("groups:\n  - name: x\n    rules: []\n   bad: 1\n")
        << "line 4, column 4: unexpected indentation (the sequence's items are at column 3)";
    QTest::newRow("continuation with a key")
        << QByteArray("groups:\n  - name: x\n      rules: []\n")
        << "line 3, column 7: \": \" inside a plain value";
    QTest::newRow("duplicate key") << QByteArray("a: 1\nb: 2\na: 3\n")
                                   << "line 3, column 1: duplicate key \"a\" (first at line 1)";
    QTest::newRow("flow mapping") << QByteArray("labels: {a: b}\n")
                                  << "line 1, column 9: flow collections";
    QTest::newRow("anchor") << QByteArray("a: &x 1\n") << "line 1, column 4: anchors, aliases";
    QTest::newRow("alias") << QByteArray("a: *x\n") << "line 1, column 4: anchors, aliases";
    QTest::newRow("colon in plain value")
        << QByteArray("a: b: c\n") << "line 1, column 5: \": \" inside a plain value";
    QTest::newRow("unknown escape")
        << QByteArray("a: \"\\q\"\n") << "line 1, column 5: unknown escape \"\\q\"";
    QTest::newRow("text after quote")
        << QByteArray("a: \"x\" y\n") << "line 1, column 8: unexpected text after the quoted";
    QTest::newRow("two documents")
        << QByteArray("a: 1\n---\nb: 2\n") << "line 2, column 1: more than one document";
    QTest::newRow("sequence where key expected") << QByteArray("a: 1\n- b\n")
                                                 << "line 2, column 1: a sequence item where a "
                                                    "mapping key";
    QTest::newRow("no colon") << QByteArray("a: 1\nb\n")
                              << "line 2, column 1: expected \"key: value\"";
    QTest::newRow("bad block header")
        << QByteArray("a: |x\n  b\n") << "line 1, column 5: bad block scalar header";
    QTest::newRow("directive") << QByteArray("%YAML 1.2\n---\na: 1\n")
                               << "line 1, column 1: directives";
    QTest::newRow("invalid utf-8") << QByteArray("a: \xff\xfe\n") << "not valid UTF-8";
}

void TestPrometheusRuleImporter::malformedYaml()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    const auto result = PrometheusRuleImporter::importRules(yaml);
    QCOMPARE(result.rules.size(), size_t(0));
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().startsWith(error), qPrintable(result.errors.first()));
}

void TestPrometheusRuleImporter::notARulesFile_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray("") << "not a Prometheus rules file";
    QTest::newRow("comments only") << QByteArray("# nothing\n") << "not a Prometheus rules file";
    QTest::newRow("scalar") << QByteArray("hello\n") << "not a Prometheus rules file";
    QTest::newRow("groups not a list")
        << QByteArray("groups: 3\n") << "not a Prometheus rules file";
    QTest::newRow("unknown top-level key") << QByteArray("groups: []\nrules: []\n")
                                           << "line 2, column 8: unknown top-level field \"rules\"";
    QTest::newRow("group without name")
        << QByteArray("groups:\n  - rules: []\n") << "line 2: a group needs a name";
    QTest::newRow("duplicate group") << QByteArray("groups:\n  - name: a\n    rules: []\n"
                                                   "  - name: a\n    rules: []\n")
                                     << "line 4: group \"a\" is defined twice";
    QTest::newRow("bad interval") << QByteArray("groups:\n  - name: a\n    interval: soon\n"
                                                "    rules: []\n")
                                  << "line 3, column 15: group \"a\" interval:";
    QTest::newRow("unknown group field") << QByteArray("groups:\n  - name: a\n    color: red\n"
                                                       "    rules: []\n")
                                         << "line 3, column 12: group \"a\": unknown field";
}

void TestPrometheusRuleImporter::notARulesFile()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    const auto result = PrometheusRuleImporter::importRules(yaml);
    QCOMPARE(result.rules.size(), size_t(0));
    QVERIFY(!result.errors.isEmpty());
    QVERIFY2(result.errors.first().startsWith(error), qPrintable(result.errors.first()));
}

void TestPrometheusRuleImporter::oversizedAndDeep()
{
    QByteArray big("groups: []\n# ");
    big.append(QByteArray(YamlReader::kMaxBytes, 'x'));
    auto result = PrometheusRuleImporter::importRules(big);
    QCOMPARE(result.errors, QStringList{QStringLiteral("larger than 4 MiB")});

    QByteArray deep;
    for (int i = 0; i < 40; ++i)
        deep += QByteArray(i * 2, ' ') + "k" + QByteArray::number(i) + ":\n";
    deep += QByteArray(80, ' ') + "v\n";
    result = PrometheusRuleImporter::importRules(deep);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().contains(QLatin1String("nested deeper than 32 levels")),
             qPrintable(result.errors.first()));

    QByteArray deepSequence;
    for (int i = 0; i < 100; ++i)
        deepSequence += "- ";
    deepSequence += "x\n";
    result = PrometheusRuleImporter::importRules(deepSequence);
    QVERIFY2(result.errors.value(0).contains(QLatin1String("nested deeper than 32 levels")),
             qPrintable(result.errors.value(0)));

    // Issue 12: the hostile sizes, not just one past the limit.
    result = PrometheusRuleImporter::importRules(QByteArray("- ").repeated(100000) + "x\n");
    QVERIFY2(result.errors.value(0).contains(QLatin1String("nested deeper than 32 levels")),
             qPrintable(result.errors.value(0)));
    QByteArray deepMapping;
    for (int i = 0; i < 1000; ++i)
        deepMapping += QByteArray(i, ' ') + "k:\n";
    result = PrometheusRuleImporter::importRules(deepMapping + QByteArray(1000, ' ') + "v\n");
    QVERIFY2(result.errors.value(0).contains(QLatin1String("nested deeper than 32 levels")),
             qPrintable(result.errors.value(0)));
    QByteArray mixed;
    for (int i = 0; i < 1000; ++i)
        mixed += QByteArray(i * 2, ' ') + "- k:\n";
    result = PrometheusRuleImporter::importRules(mixed);
    QVERIFY2(result.errors.value(0).contains(QLatin1String("nested deeper than 32 levels")),
             qPrintable(result.errors.value(0)));
}

void TestPrometheusRuleImporter::fileErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto missing = PrometheusRuleImporter::importFile(dir.filePath("missing.yml"));
    QCOMPARE(missing.errors.size(), 1);
    QVERIFY(missing.errors.first().startsWith(dir.filePath("missing.yml") + ": "));
}

QTEST_GUILESS_MAIN(TestPrometheusRuleImporter)
#include "tst_prometheusruleimporter.moc"
