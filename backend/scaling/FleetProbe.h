#pragma once

#include "backend/common/Clock.h"
#include "backend/scaling/FleetAdvisor.h"

#include <QHash>
#include <memory>

namespace querydeck {

class Expression;
class TimeSeriesStore;

// The value of the first series an expression gives at time t; nullopt when
// the expression is invalid, gives nothing, or gives NaN/infinity.
std::optional<double> instantValue(const Expression& expression, const TimeSeriesStore& store,
                                   qint64 t);

// Reads the measured state of the fleet for the scale wizard and its
// verification. An interface so the source of the numbers (the console's
// store, Prometheus) can change without touching the wizard.
class FleetProbe
{
public:
    virtual ~FleetProbe() = default;
    // Everything but `replicas`, which the replica set knows.
    virtual FleetState read() const = 0;
    // Query requests per scrape instance ("host:port") over the last windowMs.
    virtual QHash<QString, double> requestsByInstance(qint64 windowMs) const = 0;
};

// Expressions the store probe evaluates; each should give one series, except
// requestsByInstance which is grouped by `instance` and takes the window in
// seconds as %1.
struct FleetQueries
{
    QString queriesPerSecond =
        QStringLiteral("sum(rate(querydeck_http_requests_total{route=\"/v1/query\"}[1m]))");
    QString cpuPercent = QStringLiteral("avg(rate(querydeck_process_cpu_seconds_total[1m])) * 100");
    QString latencySeconds = QStringLiteral(
        "sum(rate(querydeck_http_request_duration_seconds_sum{route=\"/v1/query\"}[1m])) / "
        "sum(rate(querydeck_http_request_duration_seconds_count{route=\"/v1/query\"}[1m]))");
    QString cacheHitPercent =
        QStringLiteral("(1 - sum(rate(querydeck_cache_lookups_total{result=\"miss\"}[5m])) / "
                       "sum(rate(querydeck_cache_lookups_total[5m]))) * 100");
    QString evictionsPerSecond = QStringLiteral("sum(rate(querydeck_cache_evictions_total[1m]))");
    QString retrievalP95Seconds =
        QStringLiteral("histogram_quantile(0.95, sum by (le) "
                       "(rate(querydeck_retrieval_duration_seconds_bucket[5m])))");
    QString errorPercent = QStringLiteral(
        "sum(rate(querydeck_http_requests_total{route=\"/v1/query\",code=~\"5..\"}[1m])) / "
        "sum(rate(querydeck_http_requests_total{route=\"/v1/query\"}[1m])) * 100");
    // What a query costs, over 5 minutes (FleetAdvisor::capacity): rates of
    // the replicas' own counters, all replicas summed, per query answered.
    QString cpuSecondsPerQuery =
        QStringLiteral("sum(rate(querydeck_process_cpu_seconds_total[5m])) / "
                       "sum(rate(querydeck_http_requests_total{route=\"/v1/query\"}[5m]))");
    QString serviceTimeSeconds = QStringLiteral(
        "sum(rate(querydeck_http_request_duration_seconds_sum{route=\"/v1/query\"}[5m])) / "
        "sum(rate(querydeck_http_request_duration_seconds_count{route=\"/v1/query\"}[5m]))");
    QString generationSecondsPerQuery =
        QStringLiteral("sum(rate(querydeck_generation_duration_seconds_sum[5m])) / "
                       "sum(rate(querydeck_http_requests_total{route=\"/v1/query\"}[5m]))");
    QString queriesMeasured =
        QStringLiteral("sum(increase(querydeck_http_requests_total{route=\"/v1/query\"}[5m]))");
    QString requestsByInstance = QStringLiteral(
        "sum by (instance) (increase(querydeck_http_requests_total{route=\"/v1/query\"}[%1s]))");
};

// FleetProbe over the console's TimeSeriesStore. Reads take the store's
// shared lock, so any thread may call it.
class StoreFleetProbe final : public FleetProbe
{
public:
    StoreFleetProbe(const TimeSeriesStore& store, FleetQueries queries = {},
                    Clock clock = systemClock());
    ~StoreFleetProbe() override;

    // A query that does not parse, named; empty when all do.
    QString error() const { return m_error; }
    FleetState read() const override;
    QHash<QString, double> requestsByInstance(qint64 windowMs) const override;

private:
    struct Parsed;
    const TimeSeriesStore& m_store;
    FleetQueries m_queries;
    Clock m_clock;
    std::unique_ptr<Parsed> m_parsed;
    QString m_error;
};

} // namespace querydeck
