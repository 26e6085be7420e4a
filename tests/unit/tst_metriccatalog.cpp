#include "backend/alerting/AlertRuleJson.h"
#include "backend/autoscale/AutoscaleOperator.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/MetricCatalog.h"
#include "backend/scaling/FleetProbe.h"
#include "backend/service/ServiceMetrics.h"

#include <QFile>
#include <QRegularExpression>
#include <QtTest>

using namespace querydeck;

// The declared semantics of every metric (MetricCatalog) against everything
// that uses or states them: every bundled dashboard target, every default
// alert rule and the built-in probe and auto-scaler expressions aggregate each
// metric as its scope allows (no sum over a fleet-wide gauge); the service
// exports only declared metrics, with their declared type; the README's
// metrics reference states each one's scope and aggregation.
class TestMetricCatalog : public QObject
{
    Q_OBJECT

private slots:
    void checkFindsWrongAggregations_data();
    void checkFindsWrongAggregations();
    void bundledExpressions_data();
    void bundledExpressions();
    void serviceExportsDeclaredMetrics();
    void readmeStatesEveryMetric();
};

void TestMetricCatalog::checkFindsWrongAggregations_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("problem"); // empty: none expected
    QTest::newRow("sum over a fleet-wide gauge") << "sum(querydeck_fleet_active_users)"
                                                 << "fleet-wide";
    QTest::newRow("max over a fleet-wide gauge") << "max(querydeck_fleet_active_users)"
                                                 << "";
    QTest::newRow("per replica, kept apart") << "sum by (instance) (querydeck_fleet_active_users)"
                                             << "";
    QTest::newRow("sum of distinct counts") << "sum(querydeck_active_users)"
                                            << "never sum";
    QTest::newRow("sum of a percentage") << "sum(querydeck_host_cpu_usage_percent) / 2"
                                         << "never sum";
    QTest::newRow("inside arithmetic") << "sum(querydeck_fleet_cache_entries * 2)"
                                       << "fleet-wide";
    QTest::newRow("max inside a sum") << "sum(max(querydeck_fleet_cache_entries))"
                                      << "";
    QTest::newRow("additive counter") << "sum(rate(querydeck_http_requests_total[1m]))"
                                      << "";
    QTest::newRow("histogram by its series")
        << "histogram_quantile(0.95, sum by (le) "
           "(rate(querydeck_http_request_duration_seconds_bucket[5m])))"
        << "";
    QTest::newRow("rollup counted twice") << "sum(querydeck_redis_keys)"
                                          << "db=\"all\"";
    QTest::newRow("rollup selected") << "sum(querydeck_redis_keys{db=\"all\"})"
                                     << "";
    QTest::newRow("undeclared metric") << "sum(querydeck_no_such_thing)"
                                       << "not in the metric";
}

void TestMetricCatalog::checkFindsWrongAggregations()
{
    QFETCH(QString, expr);
    QFETCH(QString, problem);
    const QStringList problems = MetricCatalog::check(Expression::parse(expr));
    if (problem.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    } else {
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().contains(problem), qPrintable(problems.front()));
    }
}

void TestMetricCatalog::bundledExpressions_data()
{
    QTest::addColumn<QString>("expr");
    int dashboards = 0;
    for (const QString& path : DashboardLoader::bundledDashboards()) {
        const DashboardLoadResult result = DashboardLoader::loadFile(path);
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        for (const RowDefinition& row : result.value.rows)
            for (const PanelDefinition& panel : row.panels)
                for (std::size_t t = 0; t < panel.targets.size(); ++t)
                    QTest::addRow("%s %s[%d]", qPrintable(path), qPrintable(panel.id), int(t))
                        << panel.targets[t].expr;
        ++dashboards;
    }
    QVERIFY(dashboards >= 3); // never a check of nothing
    const std::vector<AlertRule> rules = AlertRuleJson::defaults();
    QVERIFY(rules.size() >= 10);
    for (const AlertRule& rule : rules)
        QTest::addRow("alert %s", qPrintable(rule.name)) << rule.expression;
    const FleetQueries probe;
    for (const auto& [name, expr] : {std::pair{"queriesPerSecond", probe.queriesPerSecond},
                                     {"cpuPercent", probe.cpuPercent},
                                     {"latencySeconds", probe.latencySeconds},
                                     {"cacheHitPercent", probe.cacheHitPercent},
                                     {"evictionsPerSecond", probe.evictionsPerSecond},
                                     {"retrievalP95Seconds", probe.retrievalP95Seconds},
                                     {"errorPercent", probe.errorPercent},
                                     {"requestsByInstance", probe.requestsByInstance.arg(60)}})
        QTest::addRow("fleet probe %s", name) << expr;
    const AutoscaleMetrics autoscaler;
    for (const auto& [name, expr] : {std::pair{"cpuPercent", autoscaler.cpuPercent},
                                     {"latencySeconds", autoscaler.latencySeconds},
                                     {"queueDepth", autoscaler.queueDepth}})
        QTest::addRow("autoscaler %s", name) << expr;
}

void TestMetricCatalog::bundledExpressions()
{
    QFETCH(QString, expr);
    const QStringList problems = MetricCatalog::check(Expression::parse(expr));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
}

// Every family the service exports — the fleet-wide ones included, as a
// replica sharing Redis exports them — is declared, with its type.
void TestMetricCatalog::serviceExportsDeclaredMetrics()
{
    ServiceMetrics metrics(QStringLiteral("r1"), QStringLiteral("1.0"));
    ServiceMetrics::Snapshot snapshot;
    snapshot.fleetActiveUsers = 20;
    snapshot.fleetCacheEntries = 400;
    const QString text = QString::fromUtf8(metrics.render(snapshot));
    static const QRegularExpression typeLine(QStringLiteral(R"(^# TYPE (\S+) (\S+)$)"),
                                             QRegularExpression::MultilineOption);
    int families = 0;
    for (auto it = typeLine.globalMatch(text); it.hasNext(); ++families) {
        const auto match = it.next();
        const MetricSemantics* s = MetricCatalog::find(match.captured(1));
        QVERIFY2(s, qPrintable(match.captured(1) + " is exported but not declared"));
        QCOMPARE(MetricSemantics::typeName(s->type), match.captured(2));
        QCOMPARE(s->name, match.captured(1));
    }
    QVERIFY(families >= 25);
    QVERIFY(text.contains("querydeck_fleet_active_users 20"));
    QVERIFY(text.contains("querydeck_fleet_cache_entries 400"));
}

// The README's "Metrics reference" table: one row per declared metric,
// `| name | type | scope | aggregation |`, saying what the catalog says.
void TestMetricCatalog::readmeStatesEveryMetric()
{
    QFile file(QStringLiteral(QUERYDECK_SOURCE_DIR "/README.md"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString readme = QString::fromUtf8(file.readAll());
    const qsizetype start = readme.indexOf(QStringLiteral("### Metrics reference"));
    QVERIFY(start >= 0);
    const qsizetype end = readme.indexOf(QStringLiteral("\n#"), start + 4);
    const QString section = readme.mid(start, end - start);
    QHash<QString, QStringList> rows;
    static const QRegularExpression row(QStringLiteral(R"(^\| `([a-z_]+)` \|(.*)$)"),
                                        QRegularExpression::MultilineOption);
    for (auto it = row.globalMatch(section); it.hasNext();) {
        const auto match = it.next();
        QStringList cells = match.captured(2).split('|');
        for (QString& cell : cells)
            cell = cell.trimmed();
        rows.insert(match.captured(1), cells);
    }
    for (const MetricSemantics& s : MetricCatalog::all()) {
        QVERIFY2(rows.contains(s.name), qPrintable(s.name + " has no row"));
        const QStringList cells = rows.value(s.name);
        QVERIFY2(cells.size() >= 3, qPrintable(s.name));
        QCOMPARE(cells[0], MetricSemantics::typeName(s.type));
        QCOMPARE(cells[1], MetricSemantics::scopeName(s.scope));
        QVERIFY2(cells[2].startsWith(s.aggregation()),
                 qPrintable(s.name + ": " + cells[2] + " vs " + s.aggregation()));
    }
    QCOMPARE(rows.size(), MetricCatalog::all().size());
}

QTEST_GUILESS_MAIN(TestMetricCatalog)
#include "tst_metriccatalog.moc"
