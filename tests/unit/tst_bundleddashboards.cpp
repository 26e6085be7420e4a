#include "backend/dashboards/DashboardLoader.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QTest>
#include <functional>
#include <tuple>

using namespace querydeck;

// Evaluates every panel of the bundled dashboards over synthetic samples named
// as ProcSource and the query service export them: proves the dashboards and
// the metric names agree, and that each derived panel computes what its title
// says.
namespace {

constexpr qint64 Now = 1'790'000'000'000;
constexpr qint64 History = 10 * 60 * 1000;

using Labels = QList<QPair<QString, QString>>;

void addSeries(TimeSeriesStore& store, const QString& name, Labels labels,
               const std::function<double(double seconds)>& value)
{
    const SeriesKey key = SeriesKey::make(name, std::move(labels));
    for (qint64 t = Now - History; t <= Now; t += 1000)
        store.append(key, t, value(double(t - (Now - History)) / 1000.0));
}

void gauge(TimeSeriesStore& store, const QString& name, double v, Labels labels = {})
{
    addSeries(store, name, std::move(labels), [v](double) { return v; });
}

// A counter growing by `perSecond`.
void counter(TimeSeriesStore& store, const QString& name, double perSecond, Labels labels = {})
{
    addSeries(store, name, std::move(labels), [perSecond](double s) { return perSecond * s; });
}

// A histogram whose observations all fall in (0.1, 0.5]: P95 interpolates to 0.48.
void histogram(TimeSeriesStore& store, const QString& name, double perSecond, Labels labels = {})
{
    const QList<QPair<QString, double>> buckets{
        {"0.1", 0.0}, {"0.5", perSecond}, {"1", perSecond}, {"+Inf", perSecond}};
    for (const auto& [le, rate] : buckets) {
        Labels withLe = labels;
        withLe.append({"le", le});
        counter(store, name + "_bucket", rate, withLe);
    }
    counter(store, name + "_count", perSecond, labels);
    counter(store, name + "_sum", perSecond * 0.3, labels);
}

} // namespace

class TestBundledDashboards : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyPanelHasData_data();
    void everyPanelHasData();
    void derivedPanelValues_data();
    void derivedPanelValues();
    void redisTargetsEmptyWithoutRedis();
    void fleetPanelsPerReplica();
    void fleetWideGaugesCountedOnce();

private:
    QList<PanelDefinition> allPanels() const;
    double valueOf(const QString& panelId, int target = 0) const;

    TimeSeriesStore m_store;
    QList<DashboardDefinition> m_dashboards;
};

void TestBundledDashboards::initTestCase()
{
    for (const QString& path : DashboardLoader::bundledDashboards()) {
        DashboardLoadResult result = DashboardLoader::loadFile(path);
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        m_dashboards.append(std::move(result.value));
    }

    const Labels host{{"instance", "localhost"}};
    gauge(m_store, "querydeck_host_cpu_usage_percent", 42, host);
    gauge(m_store, "querydeck_host_memory_used_bytes", 4e9, host);
    gauge(m_store, "querydeck_host_memory_total_bytes", 8e9, host);
    gauge(m_store, "querydeck_host_disk_read_bytes_per_second", 1000, host);
    gauge(m_store, "querydeck_host_disk_write_bytes_per_second", 2000, host);

    const QPair<QString, QString> local{"instance", "local"};
    counter(m_store, "querydeck_http_requests_total", 9,
            {local, {"route", "/v1/query"}, {"code", "200"}});
    counter(m_store, "querydeck_http_requests_total", 1,
            {local, {"route", "/v1/query"}, {"code", "503"}});
    counter(m_store, "querydeck_http_requests_total", 5, // not a query: left out of traffic
            {local, {"route", "/health"}, {"code", "200"}});
    histogram(m_store, "querydeck_http_request_duration_seconds", 10,
              {local, {"route", "/v1/query"}});
    histogram(m_store, "querydeck_http_request_duration_seconds", 5, {local, {"route", "/health"}});
    histogram(m_store, "querydeck_retrieval_duration_seconds", 10, {local});
    histogram(m_store, "querydeck_generation_duration_seconds", 4, {local});
    gauge(m_store, "querydeck_active_users", 7, {local});
    gauge(m_store, "querydeck_fleet_active_users", 20, {local});
    counter(m_store, "querydeck_cache_lookups_total", 3, {local, {"result", "exact"}});
    counter(m_store, "querydeck_cache_lookups_total", 1, {local, {"result", "semantic"}});
    counter(m_store, "querydeck_cache_lookups_total", 4, {local, {"result", "miss"}});
    gauge(m_store, "querydeck_generation_queue_depth", 5, {local});
    gauge(m_store, "querydeck_generation_in_flight", 1, {local});
    gauge(m_store, "querydeck_http_in_flight_requests", 2, {local});
    gauge(m_store, "querydeck_cache_bytes", 1e6, {local});
    counter(m_store, "querydeck_process_cpu_seconds_total", 0.25, {local});
    gauge(m_store, "querydeck_process_resident_memory_bytes", 5e7, {local});
    gauge(m_store, "querydeck_cache_entries", 100, {local});
    gauge(m_store, "querydeck_fleet_cache_entries", 400, {local});
    counter(m_store, "querydeck_cache_evictions_total", 0.5, {local});
    // As RedisInfoSource writes them.
    const QPair<QString, QString> redis{"instance", "127.0.0.1:6379"};
    gauge(m_store, "querydeck_redis_used_memory_bytes", 2e6, {redis});
    gauge(m_store, "querydeck_redis_keys", 40, {redis, {"db", "all"}});
    gauge(m_store, "querydeck_redis_keys", 30, {redis, {"db", "0"}});
    gauge(m_store, "querydeck_redis_keys", 10, {redis, {"db", "1"}});
    counter(m_store, "querydeck_redis_evicted_keys_total", 0.25, {redis});
    counter(m_store, "querydeck_redis_keyspace_hits_total", 3, {redis});
    counter(m_store, "querydeck_redis_keyspace_misses_total", 1, {redis});
}

QList<PanelDefinition> TestBundledDashboards::allPanels() const
{
    QList<PanelDefinition> panels;
    for (const DashboardDefinition& dashboard : m_dashboards) {
        for (const RowDefinition& row : dashboard.rows)
            panels.append(QList<PanelDefinition>(row.panels.begin(), row.panels.end()));
    }
    return panels;
}

double TestBundledDashboards::valueOf(const QString& panelId, int target) const
{
    for (const PanelDefinition& panel : allPanels()) {
        if (panel.id != panelId)
            continue;
        const Expression expression = Expression::parse(panel.targets.at(std::size_t(target)).expr);
        const auto values = expression.instant(m_store, Now);
        return values.size() == 1 ? values.front().second : std::nan("");
    }
    return std::nan("");
}

void TestBundledDashboards::everyPanelHasData_data()
{
    QTest::addColumn<QString>("expr");
    for (const PanelDefinition& panel : allPanels()) {
        for (std::size_t t = 0; t < panel.targets.size(); ++t) {
            QTest::addRow("%s[%d]", qPrintable(panel.id), int(t)) << panel.targets[t].expr;
        }
    }
}

void TestBundledDashboards::everyPanelHasData()
{
    QFETCH(QString, expr);
    const Expression expression = Expression::parse(expr);
    QVERIFY2(expression.isValid(), qPrintable(expression.error()));
    const auto values = expression.instant(m_store, Now);
    QVERIFY2(!values.empty(), qPrintable("no value for " + expr));
    const auto series = expression.range(m_store, Now - 60'000, Now, 1000);
    QVERIFY(!series.empty());
    QVERIFY(!series.front().points.empty());
}

void TestBundledDashboards::derivedPanelValues_data()
{
    QTest::addColumn<QString>("panel");
    QTest::addColumn<int>("target");
    QTest::addColumn<double>("expected");
    QTest::newRow("cpu %") << "cpu" << 0 << 42.0;
    QTest::newRow("memory % = used / total * 100") << "memory" << 0 << 50.0;
    QTest::newRow("disk read") << "disk-io" << 0 << 1000.0;
    QTest::newRow("disk write") << "disk-io" << 1 << 2000.0;
    QTest::newRow("requests/min, queries only") << "requests-per-minute" << 0 << 600.0;
    QTest::newRow("active users, fleet-wide") << "active-users" << 0 << 20.0;
    QTest::newRow("active users") << "active-users" << 1 << 7.0;
    QTest::newRow("error rate % = 5xx / total") << "error-rate" << 0 << 10.0;
    QTest::newRow("p95 latency, queries only") << "latency-p95" << 0 << 0.48;
    QTest::newRow("cache hit rate % = 1 - miss / lookups") << "cache-hit-rate" << 0 << 50.0;
    QTest::newRow("queue depth") << "queue-depth" << 0 << 5.0;
    QTest::newRow("Redis used memory") << "cache-memory" << 0 << 2e6;
    QTest::newRow("cache bytes") << "cache-memory" << 1 << 1e6;
    QTest::newRow("Redis keys, all dbs once") << "cache-entries" << 0 << 40.0;
    QTest::newRow("shared cache entries") << "cache-entries" << 1 << 400.0;
    QTest::newRow("cache entries") << "cache-entries" << 2 << 100.0;
    QTest::newRow("Redis evictions/s") << "cache-evictions" << 0 << 0.25;
    QTest::newRow("evictions/s") << "cache-evictions" << 1 << 0.5;
    QTest::newRow("Redis hit rate % = hits / (hits + misses)")
        << "cache-store-hit-rate" << 0 << 75.0;
    QTest::newRow("in-process hit rate fallback") << "cache-store-hit-rate" << 1 << 50.0;
    QTest::newRow("retrieval p95") << "retrieval-p95" << 0 << 0.48;
    QTest::newRow("generation p95") << "generation-p95" << 0 << 0.48;
    QTest::newRow("http in flight") << "http-in-flight" << 0 << 2.0;
    QTest::newRow("generation in flight") << "http-in-flight" << 1 << 1.0;
    QTest::newRow("fleet: queries/s") << "fleet-requests" << 0 << 10.0;
    QTest::newRow("fleet: error rate %") << "fleet-error-rate" << 0 << 10.0;
    QTest::newRow("fleet: p95 latency") << "fleet-latency-p95" << 0 << 0.48;
    QTest::newRow("fleet: in flight") << "fleet-load" << 0 << 2.0;
    QTest::newRow("fleet: queued") << "fleet-load" << 1 << 5.0;
    QTest::newRow("fleet: cpu % of a core") << "fleet-cpu" << 0 << 25.0;
    QTest::newRow("fleet: rss") << "fleet-rss" << 0 << 5e7;
}

// The Fleet dashboard draws one series per replica (label instance, as
// ScrapeSource adds it), named by the instance, each with that replica's figure.
void TestBundledDashboards::fleetPanelsPerReplica()
{
    TimeSeriesStore store;
    const QList<QPair<QString, double>> replicas{{"127.0.0.1:8101", 1.0}, {"127.0.0.1:8102", 3.0}};
    for (const auto& [instance, f] : replicas) {
        const QPair<QString, QString> label{"instance", instance};
        counter(store, "querydeck_http_requests_total", 4 * f,
                {label, {"route", "/v1/query"}, {"code", "200"}});
        counter(store, "querydeck_http_requests_total", f,
                {label, {"route", "/v1/query"}, {"code", "503"}});
        histogram(store, "querydeck_http_request_duration_seconds", 5 * f,
                  {label, {"route", "/v1/query"}});
        gauge(store, "querydeck_http_in_flight_requests", 2 * f, {label});
        gauge(store, "querydeck_generation_queue_depth", 10 * f, {label});
        counter(store, "querydeck_process_cpu_seconds_total", 0.1 * f, {label});
        gauge(store, "querydeck_process_resident_memory_bytes", 1e7 * f, {label});
    }
    // panel id, target, value per unit of f (NaN: the same for both replicas)
    const QList<std::tuple<QString, int, double, double>> expected{
        {"fleet-requests", 0, 5.0, 15.0},
        {"fleet-error-rate", 0, 20.0, 20.0},
        {"fleet-latency-p95", 0, 0.48, 0.48},
        {"fleet-load", 0, 2.0, 6.0},
        {"fleet-load", 1, 10.0, 30.0},
        {"fleet-cpu", 0, 10.0, 30.0},
        {"fleet-rss", 0, 1e7, 3e7}};
    int checked = 0;
    for (const PanelDefinition& panel : allPanels()) {
        for (const auto& [id, target, first, second] : expected) {
            if (panel.id != id)
                continue;
            const PanelTarget& t = panel.targets.at(std::size_t(target));
            const auto series =
                Expression::parse(t.expr).range(store, Now - 60'000, Now, 1000, t.legend);
            QCOMPARE(series.size(), std::size_t(2));
            for (const EvaluatedSeries& s : series) {
                const bool isFirst = s.legend.startsWith(replicas[0].first);
                QVERIFY2(isFirst || s.legend.startsWith(replicas[1].first), qPrintable(s.legend));
                const double want = isFirst ? first : second;
                const double got = s.points.back().v;
                QVERIFY2(std::abs(got - want) <= 1e-6 * std::max(1.0, want),
                         qPrintable(QStringLiteral("%1 %2: got %3, expected %4")
                                        .arg(id, s.legend)
                                        .arg(got)
                                        .arg(want)));
            }
            ++checked;
        }
    }
    QCOMPARE(checked, int(expected.size()));
}

// Four replicas sharing a Redis each export the fleet's 20 distinct users
// and 400 shared entries (and their own figures beside them): the stat panels
// (first target with data) show 20 and 400, not four times as much. Without
// the shared figures (no Redis) they fall back to the replicas' own.
void TestBundledDashboards::fleetWideGaugesCountedOnce()
{
    const auto statValue = [this](const TimeSeriesStore& store, const QString& panelId) {
        for (const PanelDefinition& panel : allPanels()) {
            if (panel.id != panelId)
                continue;
            for (const PanelTarget& target : panel.targets) {
                const auto values = Expression::parse(target.expr).instant(store, Now);
                if (!values.empty())
                    return values.front().second;
            }
        }
        return std::nan("");
    };
    TimeSeriesStore shared;
    TimeSeriesStore alone;
    for (int replica = 1; replica <= 4; ++replica) {
        const Labels instance{{"instance", QStringLiteral("127.0.0.1:810%1").arg(replica)}};
        gauge(shared, "querydeck_fleet_active_users", 20, instance);
        gauge(shared, "querydeck_fleet_cache_entries", 400, instance);
        for (TimeSeriesStore* store : {&shared, &alone}) {
            gauge(*store, "querydeck_active_users", 4 + replica, instance);
            gauge(*store, "querydeck_cache_entries", 10 * replica, instance);
        }
    }
    QCOMPARE(statValue(shared, "active-users"), 20.0);
    QCOMPARE(statValue(shared, "cache-entries"), 400.0);
    QCOMPARE(statValue(alone, "active-users"), 8.0);    // the busiest replica's own count
    QCOMPARE(statValue(alone, "cache-entries"), 100.0); // own memory tiers add up
}

void TestBundledDashboards::derivedPanelValues()
{
    QFETCH(QString, panel);
    QFETCH(int, target);
    QFETCH(double, expected);
    const double actual = valueOf(panel, target);
    QVERIFY2(
        std::abs(actual - expected) <= 1e-6 * std::max(1.0, std::abs(expected)),
        qPrintable(QStringLiteral("%1: got %2, expected %3").arg(panel).arg(actual).arg(expected)));
}

// Stat and gauge panels show their first series: the Cache row lists the
// Redis target first, so it must give no series at all (not a NaN or 0
// series) when no Redis is watched, leaving the in-process target shown.
void TestBundledDashboards::redisTargetsEmptyWithoutRedis()
{
    TimeSeriesStore withoutRedis;
    gauge(withoutRedis, "querydeck_cache_entries", 100, {{"instance", "local"}});
    int checked = 0;
    for (const PanelDefinition& panel : allPanels()) {
        for (const PanelTarget& target : panel.targets) {
            if (!target.expr.contains("querydeck_redis_"))
                continue;
            const Expression expression = Expression::parse(target.expr);
            QVERIFY2(expression.instant(withoutRedis, Now).empty(), qPrintable(target.expr));
            QVERIFY2(expression.range(withoutRedis, Now - 60'000, Now, 1000).empty(),
                     qPrintable(target.expr));
            ++checked;
        }
    }
    QCOMPARE(checked, 4);
}

QTEST_GUILESS_MAIN(TestBundledDashboards)
#include "tst_bundleddashboards.moc"
