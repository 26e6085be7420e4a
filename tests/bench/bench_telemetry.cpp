// Telemetry core figures: exposition parse (samples/s) for a 10k-series
// scrape, store ingest (samples/s) for 10k series x 60 appends, and the
// time to evaluate a dashboard's worth of expressions (12 panels, 1 h of
// 1 s data, 600 points each) with Expression::range().
// Usage: bench_telemetry [series=10000] [refreshes=20]
#include "backend/common/ProcessStats.h"
#include "backend/metrics/ExpositionParser.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace querydeck;
using SteadyClock = std::chrono::steady_clock;

namespace {

double secondsSince(SteadyClock::time_point start)
{
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, std::size_t(p * double(values.size())))];
}

double rssMiB()
{
    const auto stats = ProcessStats::read();
    return stats ? stats->residentBytes / 1048576.0 : 0.0;
}

QByteArray syntheticScrape(int series)
{
    QByteArray text;
    text.append("# HELP bench_requests_total Requests.\n# TYPE bench_requests_total counter\n");
    for (int i = 0; i < series; ++i) {
        text.append(QStringLiteral("bench_requests_total{route=\"/api/v1/r%1\",code=\"%2\","
                                   "method=\"GET\",pod=\"pod-%3\"} %4\n")
                        .arg(i % 100)
                        .arg(200 + (i % 5) * 100)
                        .arg(i / 500)
                        .arg(double(i) * 17.25, 0, 'g', 10)
                        .toUtf8());
    }
    return text;
}

void benchParse(int series)
{
    const QByteArray text = syntheticScrape(series);
    std::vector<double> rates;
    for (int round = 0; round < 10; ++round) {
        const auto start = SteadyClock::now();
        const SourceResult result = ExpositionParser::parse(text, 1'700'000'000'000, "host:9100");
        const double seconds = secondsSince(start);
        if (int(result.samples.size()) != series || result.malformedLines != 0) {
            std::fprintf(stderr, "parse produced %zu samples, %d malformed\n",
                         result.samples.size(), result.malformedLines);
            std::exit(1);
        }
        rates.push_back(double(series) / seconds);
    }
    std::printf("exposition parse: %d series, %.1f KiB: median %.0f samples/s (best %.0f)\n",
                series, text.size() / 1024.0, percentile(rates, 0.5),
                *std::max_element(rates.begin(), rates.end()));
}

void benchIngest(int series)
{
    // Keys built once, as a source would hand them over in SourceResults.
    std::vector<Sample> scrape(static_cast<std::size_t>(series));
    for (int i = 0; i < series; ++i) {
        scrape[std::size_t(i)].key = SeriesKey::make(
            "bench_requests_total", {{"route", QStringLiteral("/r%1").arg(i % 100)},
                                     {"code", QString::number(200 + i % 5)},
                                     {"pod", QStringLiteral("pod-%1").arg(i / 500)}});
    }
    TimeSeriesStore store;
    const double before = rssMiB();
    const auto start = SteadyClock::now();
    for (int round = 0; round < 60; ++round) {
        for (int i = 0; i < series; ++i) {
            scrape[std::size_t(i)].timestampMs = 1'700'000'000'000 + qint64(round) * 1000;
            scrape[std::size_t(i)].value = double(round * i);
        }
        store.append(scrape);
    }
    const double seconds = secondsSince(start);
    std::printf("store ingest: %d series x 60 appends: %.0f samples/s; memoryBytes %.1f MiB, "
                "RSS +%.1f MiB\n",
                series, double(series) * 60 / seconds, store.memoryBytes() / 1048576.0,
                rssMiB() - before);
}

void benchDashboard(int refreshes)
{
    // The default dashboard's shape: service counters, a latency histogram
    // per route, cache counters and host gauges, one hour at 1 s.
    TimeSeriesStore store;
    const qint64 end = 1'700'000'000'000;
    const qint64 start = end - 3600 * 1000;
    const QStringList routes{"/v1/query", "/v1/ask", "/healthz", "/metrics"};
    const QStringList codes{"200", "429", "500"};
    const QStringList les{"0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                          "0.5",   "1",    "2.5",   "5",    "10",  "+Inf"};
    const QStringList results{"exact", "semantic", "miss"};
    std::vector<Sample> scrape;
    const auto add = [&](const QString& name, QList<QPair<QString, QString>> labels) {
        labels.append(qMakePair(QStringLiteral("instance"), QStringLiteral("local")));
        Sample sample;
        sample.key = SeriesKey::make(name, std::move(labels));
        scrape.push_back(sample);
        return scrape.size() - 1;
    };
    for (const QString& route : routes) {
        for (const QString& code : codes)
            add("querydeck_http_requests_total", {{"route", route}, {"code", code}});
        for (const QString& le : les)
            add("querydeck_http_request_duration_seconds_bucket", {{"route", route}, {"le", le}});
    }
    for (const QString& result : results)
        add("querydeck_cache_lookups_total", {{"result", result}});
    for (const char* gauge :
         {"querydeck_host_cpu_usage_percent", "querydeck_host_memory_used_bytes",
          "querydeck_host_disk_read_bytes_per_second", "querydeck_host_disk_write_bytes_per_second",
          "querydeck_active_users", "querydeck_generation_queue_depth", "querydeck_cache_bytes",
          "querydeck_cache_entries", "querydeck_cache_evictions_total"})
        add(gauge, {});
    for (qint64 t = start - 300'000; t <= end; t += 1000) {
        const double s = double(t - start) / 1000.0;
        for (std::size_t i = 0; i < scrape.size(); ++i) {
            scrape[i].timestampMs = t;
            scrape[i].value = (s + 400) * double(i % 7 + 1) + 10 * std::sin(s / 60.0 + double(i));
        }
        store.append(scrape);
    }

    const QStringList panels{
        "querydeck_host_cpu_usage_percent",
        "querydeck_host_memory_used_bytes",
        "querydeck_host_disk_read_bytes_per_second + querydeck_host_disk_write_bytes_per_second",
        "sum(rate(querydeck_http_requests_total[1m])) * 60",
        "querydeck_active_users",
        R"(sum(rate(querydeck_http_requests_total{code=~"5.."}[5m])) / sum(rate(querydeck_http_requests_total[5m])))",
        "histogram_quantile(0.95, sum by (le) "
        "(rate(querydeck_http_request_duration_seconds_bucket[5m]))) * 1000",
        R"(sum(rate(querydeck_cache_lookups_total{result!="miss"}[5m])) / sum(rate(querydeck_cache_lookups_total[5m])))",
        "querydeck_generation_queue_depth",
        "querydeck_cache_bytes",
        "querydeck_cache_entries",
        "rate(querydeck_cache_evictions_total[1m])",
    };
    std::vector<Expression> expressions;
    for (const QString& text : panels) {
        expressions.push_back(Expression::parse(text));
        if (!expressions.back().isValid()) {
            std::fprintf(stderr, "%s\n", qPrintable(expressions.back().error()));
            std::exit(1);
        }
    }
    const qint64 step = 3600 * 1000 / 600;
    std::vector<double> refreshMs;
    std::vector<double> perPanelMs(panels.size(), 0.0);
    std::size_t points = 0;
    for (int r = 0; r < refreshes; ++r) {
        const auto refreshStart = SteadyClock::now();
        points = 0;
        for (qsizetype p = 0; p < panels.size(); ++p) {
            const auto panelStart = SteadyClock::now();
            const auto series = expressions[std::size_t(p)].range(store, start, end, step);
            perPanelMs[std::size_t(p)] += secondsSince(panelStart) * 1000.0;
            for (const EvaluatedSeries& s : series)
                points += s.points.size();
        }
        refreshMs.push_back(secondsSince(refreshStart) * 1000.0);
    }
    std::printf("dashboard range(): %lld panels, 1 h of 1 s data (%zu series), 600 steps, "
                "%zu points/refresh: p50 %.2f ms, max %.2f ms per refresh\n",
                static_cast<long long>(panels.size()), store.seriesCount(), points,
                percentile(refreshMs, 0.5), *std::max_element(refreshMs.begin(), refreshMs.end()));
    for (qsizetype p = 0; p < panels.size(); ++p)
        std::printf("  %6.2f ms  %s\n", perPanelMs[std::size_t(p)] / refreshes,
                    qPrintable(panels[p]));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int series = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10000;
    const int refreshes = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
    benchParse(series);
    benchIngest(series);
    benchDashboard(refreshes);
    return 0;
}
