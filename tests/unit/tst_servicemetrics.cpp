#include "backend/service/ServiceMetrics.h"

#include <QTest>
#include <ctime>
#include <thread>
#include <vector>

using namespace querydeck;

namespace {

double sampleValue(const QByteArray& text, const QByteArray& series)
{
    for (const QByteArray& line : text.split('\n'))
        if (line.startsWith(series + ' '))
            return line.mid(series.size() + 1).toDouble();
    return -1;
}

} // namespace

class ServiceMetricsTest : public QObject
{
    Q_OBJECT

private slots:
    void countsRequestsByRouteAndCode()
    {
        ServiceMetrics metrics(QStringLiteral("r1"), QStringLiteral("1.2.3"));
        metrics.observeRequest(Route::Query, 200, 0.002);
        metrics.observeRequest(Route::Query, 200, 0.004);
        metrics.observeRequest(Route::Query, 429, 0.0001);
        metrics.observeRequest(Route::Other, 404, 0.0001);
        const QByteArray text = metrics.render({});
        QCOMPARE(
            sampleValue(text, R"(querydeck_http_requests_total{code="200",route="/v1/query"})"),
            2.0);
        QCOMPARE(
            sampleValue(text, R"(querydeck_http_requests_total{code="429",route="/v1/query"})"),
            1.0);
        QCOMPARE(sampleValue(text, R"(querydeck_http_requests_total{code="404",route="other"})"),
                 1.0);
        QCOMPARE(sampleValue(text,
                             R"(querydeck_http_request_duration_seconds_count{route="/v1/query"})"),
                 3.0);
        QCOMPARE(
            sampleValue(
                text,
                R"(querydeck_http_request_duration_seconds_bucket{route="/v1/query",le="0.0025"})"),
            2.0);
        QCOMPARE(sampleValue(text, R"(querydeck_build_info{replica="r1",version="1.2.3"})"), 1.0);
    }

    void snapshotGaugesAndMirroredCounters()
    {
        // Burn a little CPU so the process counter has ticks to show.
        const std::clock_t start = std::clock();
        volatile double sink = 0;
        while (std::clock() - start < CLOCKS_PER_SEC / 20)
            sink = sink + 1.0;
        ServiceMetrics metrics(QStringLiteral("r1"), QStringLiteral("1"));
        ServiceMetrics::Snapshot s;
        s.cacheEntries = 12;
        s.cacheBytes = 4096;
        s.cacheEvictionsTotal = 5;
        s.queueDepth = 3;
        s.generationInFlight = 2;
        s.activeUsers = 7;
        s.ready = true;
        QByteArray text = metrics.render(s);
        QCOMPARE(sampleValue(text, "querydeck_cache_entries"), 12.0);
        QCOMPARE(sampleValue(text, "querydeck_cache_bytes"), 4096.0);
        QCOMPARE(sampleValue(text, "querydeck_cache_evictions_total"), 5.0);
        QCOMPARE(sampleValue(text, "querydeck_generation_queue_depth"), 3.0);
        QCOMPARE(sampleValue(text, "querydeck_active_users"), 7.0);
        QCOMPARE(sampleValue(text, "querydeck_ready"), 1.0);
        QVERIFY(sampleValue(text, "querydeck_process_resident_memory_bytes") > 1e6);
        QVERIFY(sampleValue(text, "querydeck_process_cpu_seconds_total") > 0);
        // A mirrored counter never goes down, even if the source resets.
        s.cacheEvictionsTotal = 2;
        text = metrics.render(s);
        QCOMPARE(sampleValue(text, "querydeck_cache_evictions_total"), 5.0);
    }

    // The fleet-wide figures (from the shared Redis) are exported only while
    // known: a replica without Redis, or whose Redis stopped answering, has no
    // such series, rather than a 0 or a stale copy a dashboard would take up.
    void fleetWideSeriesOnlyWhileKnown()
    {
        ServiceMetrics metrics(QStringLiteral("r1"), QStringLiteral("1"));
        ServiceMetrics::Snapshot s;
        s.activeUsers = 3;
        QByteArray text = metrics.render(s);
        QVERIFY(!text.contains("querydeck_fleet_active_users "));
        QVERIFY(!text.contains("querydeck_fleet_cache_entries "));
        s.fleetActiveUsers = 20;
        s.fleetCacheEntries = 400;
        text = metrics.render(s);
        QCOMPARE(sampleValue(text, "querydeck_fleet_active_users"), 20.0);
        QCOMPARE(sampleValue(text, "querydeck_fleet_cache_entries"), 400.0);
        QCOMPARE(sampleValue(text, "querydeck_active_users"), 3.0);
        s.fleetActiveUsers.reset();
        s.fleetCacheEntries.reset();
        text = metrics.render(s);
        QVERIFY(!text.contains("querydeck_fleet_active_users "));
        QVERIFY(!text.contains("querydeck_fleet_cache_entries "));
    }

    void everyNameFollowsTheContract()
    {
        ServiceMetrics metrics(QStringLiteral("r1"), QStringLiteral("1"));
        metrics.observeLookup(LookupResult::Semantic);
        const QByteArray text = metrics.render({});
        for (const QByteArray& line : text.split('\n')) {
            if (line.startsWith("# TYPE ")) {
                const QList<QByteArray> parts = line.split(' ');
                QVERIFY2(parts.value(2).startsWith("querydeck_"), line.constData());
                if (parts.value(3) == "counter")
                    QVERIFY2(parts.value(2).endsWith("_total"), line.constData());
            }
        }
        QCOMPARE(sampleValue(text, R"(querydeck_cache_lookups_total{result="semantic"})"), 1.0);
    }

    void concurrentRecording()
    {
        ServiceMetrics metrics(QStringLiteral("r1"), QStringLiteral("1"));
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&metrics, t] {
                for (int i = 0; i < 5000; ++i)
                    metrics.observeRequest(Route::Query, 200 + (t % 2) * 303, 0.001);
            });
        for (auto& t : threads)
            t.join();
        const QByteArray text = metrics.render({});
        QCOMPARE(
            sampleValue(text, R"(querydeck_http_requests_total{code="200",route="/v1/query"})"),
            20000.0);
        QCOMPARE(
            sampleValue(text, R"(querydeck_http_requests_total{code="503",route="/v1/query"})"),
            20000.0);
    }
};

QTEST_GUILESS_MAIN(ServiceMetricsTest)
#include "tst_servicemetrics.moc"
