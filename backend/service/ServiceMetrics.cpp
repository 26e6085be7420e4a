#include "backend/service/ServiceMetrics.h"

#include "backend/common/ProcessStats.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <string>

namespace querydeck {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

const prometheus::Histogram::BucketBoundaries& requestBuckets()
{
    static const prometheus::Histogram::BucketBoundaries buckets{
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
        0.5,    1,     2.5,    5,     10,   30,    60,   120};
    return buckets;
}

const prometheus::Histogram::BucketBoundaries& stageBuckets()
{
    static const prometheus::Histogram::BucketBoundaries buckets{
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1,     0.25,   0.5,     1,      2.5,   5,      10,    30,   60,    120};
    return buckets;
}

} // namespace

const char* ServiceMetrics::routeLabel(Route route)
{
    switch (route) {
    case Route::Query:
        return "/v1/query";
    case Route::Health:
        return "/health";
    case Route::Ready:
        return "/ready";
    case Route::Metrics:
        return "/metrics";
    case Route::Info:
        return "/v1/info";
    case Route::Drain:
        return "/admin/drain";
    case Route::Other:
    case Route::Count:
        break;
    }
    return "other";
}

ServiceMetrics::ServiceMetrics(const QString& replicaId, const QString& version)
    : m_registry(std::make_shared<prometheus::Registry>())
{
    auto& reg = *m_registry;
    m_requests = &BuildCounter()
                      .Name("querydeck_http_requests_total")
                      .Help("HTTP requests answered, by route and status code.")
                      .Register(reg);
    auto& durations = BuildHistogram()
                          .Name("querydeck_http_request_duration_seconds")
                          .Help("Time from request received to response sent, by route.")
                          .Register(reg);
    for (int r = 0; r < int(Route::Count); ++r)
        m_durations[r] = &durations.Add({{"route", routeLabel(Route(r))}}, requestBuckets());

    m_inFlight = &BuildGauge()
                      .Name("querydeck_http_in_flight_requests")
                      .Help("HTTP requests being handled right now.")
                      .Register(reg)
                      .Add({});
    auto& lookups = BuildCounter()
                        .Name("querydeck_cache_lookups_total")
                        .Help("Semantic cache lookups by result: exact, semantic or miss.")
                        .Register(reg);
    m_lookups[int(LookupResult::Exact)] = &lookups.Add({{"result", "exact"}});
    m_lookups[int(LookupResult::Semantic)] = &lookups.Add({{"result", "semantic"}});
    m_lookups[int(LookupResult::Miss)] = &lookups.Add({{"result", "miss"}});

    auto stage = [&reg](const char* name, const char* help) {
        return &BuildHistogram().Name(name).Help(help).Register(reg).Add({}, stageBuckets());
    };
    m_embedding = stage("querydeck_embedding_duration_seconds", "Time to embed a query.");
    m_retrieval = stage("querydeck_retrieval_duration_seconds",
                        "Time to retrieve the top-k corpus chunks for a query.");
    m_generation = stage("querydeck_generation_duration_seconds",
                         "Time to generate an answer, queue wait excluded.");

    auto counter = [&reg](const char* name, const char* help) {
        return &BuildCounter().Name(name).Help(help).Register(reg).Add({});
    };
    auto gauge = [&reg](const char* name, const char* help) {
        return &BuildGauge().Name(name).Help(help).Register(reg).Add({});
    };
    m_rateLimited = counter("querydeck_rate_limited_total",
                            "Queries refused with 429 by the per-client token bucket.");
    m_cacheEntries =
        gauge("querydeck_cache_entries", "Entries in this replica's in-memory answer cache.");
    m_fleetCacheEntriesFamily =
        &BuildGauge()
             .Name("querydeck_fleet_cache_entries")
             .Help("Entries in the Redis cache shared by the fleet (DBSIZE); the same on every "
                   "replica: aggregate with max, never sum.")
             .Register(reg);
    m_cacheBytes = gauge("querydeck_cache_bytes", "Bytes held by the answer cache.");
    m_cacheEvictions = counter("querydeck_cache_evictions_total",
                               "Cache entries evicted to stay under the byte bound.");
    m_queueDepth =
        gauge("querydeck_generation_queue_depth", "Generations waiting for a free slot.");
    m_generationInFlight = gauge("querydeck_generation_in_flight", "Generations running now.");
    m_generationRejected =
        counter("querydeck_generation_rejected_total",
                "Queries refused with 503 because the generation queue was full.");
    m_activeUsers = gauge("querydeck_active_users",
                          "Distinct clients this replica served in the last 5 minutes.");
    m_fleetActiveUsersFamily =
        &BuildGauge()
             .Name("querydeck_fleet_active_users")
             .Help("Distinct clients of every replica sharing the Redis in the last 5 minutes; "
                   "the same on every replica: aggregate with max, never sum.")
             .Register(reg);
    m_ready = gauge("querydeck_ready", "1 when /ready answers 200, else 0.");
    m_cacheFallbacks = counter(
        "querydeck_cache_redis_fallbacks_total",
        "Cache reads and writes served by the in-memory tier because Redis did not answer.");
    m_cacheDegraded = gauge("querydeck_cache_degraded",
                            "1 while /ready reports degraded: cache (Redis unreachable or the "
                            "semantic index rebuilding), else 0.");
    m_connectionsOpen =
        gauge("querydeck_http_connections_open", "Client connections open to the HTTP server.");
    auto& refused = BuildCounter()
                        .Name("querydeck_http_connections_refused_total")
                        .Help("Connections answered 503 and closed at accept, by the limit "
                              "reached: max_connections or max_connections_per_address.")
                        .Register(reg);
    m_refusedGlobal = &refused.Add({{"reason", "max_connections"}});
    m_refusedAddress = &refused.Add({{"reason", "max_connections_per_address"}});
    auto& timedOut = BuildCounter()
                         .Name("querydeck_http_connections_timed_out_total")
                         .Help("Connections closed because a deadline passed, by reason: "
                               "header, body, write (http.*_timeout_ms) or keep_alive (idle).")
                         .Register(reg);
    m_timedOutHeader = &timedOut.Add({{"reason", "header"}});
    m_timedOutBody = &timedOut.Add({{"reason", "body"}});
    m_timedOutWrite = &timedOut.Add({{"reason", "write"}});
    m_timedOutIdle = &timedOut.Add({{"reason", "keep_alive"}});
    m_cpuSeconds =
        counter("querydeck_process_cpu_seconds_total", "User and system CPU time of the process.");
    m_residentBytes =
        gauge("querydeck_process_resident_memory_bytes", "Resident memory of the process.");
    m_startTime =
        gauge("querydeck_process_start_time_seconds", "Start time of the process since the epoch.");
    BuildGauge()
        .Name("querydeck_build_info")
        .Help("Version and replica id of this service; always 1.")
        .Register(reg)
        .Add({{"version", version.toStdString()}, {"replica", replicaId.toStdString()}})
        .Set(1);
    // Series for the outcomes every dashboard divides by exist from the start
    // at 0, so "error rate" reads 0% on a healthy replica instead of no data.
    for (int status : {200, 400, 429, 500, 502, 503})
        requestCounter(Route::Query, status);
}

ServiceMetrics::~ServiceMetrics() = default;

prometheus::Counter& ServiceMetrics::requestCounter(Route route, int status)
{
    const int slot = (status >= 0 && status < kStatusSlots) ? status : 0;
    auto& cached = m_requestCounters[int(route)][slot];
    if (auto* counter = cached.load(std::memory_order_acquire))
        return *counter;
    std::lock_guard lock(m_addMutex);
    if (auto* counter = cached.load(std::memory_order_relaxed))
        return *counter;
    auto* counter = &m_requests->Add(
        {{"route", routeLabel(route)}, {"code", slot ? std::to_string(slot) : "other"}});
    cached.store(counter, std::memory_order_release);
    return *counter;
}

void ServiceMetrics::observeRequest(Route route, int status, double seconds)
{
    requestCounter(route, status).Increment();
    m_durations[int(route)]->Observe(seconds);
}

void ServiceMetrics::requestStarted()
{
    m_inFlight->Increment();
}

void ServiceMetrics::requestFinished()
{
    m_inFlight->Decrement();
}

void ServiceMetrics::observeLookup(LookupResult result)
{
    m_lookups[int(result)]->Increment();
}

void ServiceMetrics::observeEmbedding(double seconds)
{
    m_embedding->Observe(seconds);
}

void ServiceMetrics::observeRetrieval(double seconds)
{
    m_retrieval->Observe(seconds);
}

void ServiceMetrics::observeGeneration(double seconds)
{
    m_generation->Observe(seconds);
}

void ServiceMetrics::observeRateLimited()
{
    m_rateLimited->Increment();
}

void ServiceMetrics::setCounter(prometheus::Counter& counter, double total)
{
    // Counters owned elsewhere are mirrored by their increase; never decrease.
    const double delta = total - counter.Value();
    if (delta > 0)
        counter.Increment(delta);
}

void ServiceMetrics::setOptional(prometheus::Family<prometheus::Gauge>& family,
                                 prometheus::Gauge*& gauge, const std::optional<double>& value)
{
    if (value) {
        if (!gauge)
            gauge = &family.Add({});
        gauge->Set(*value);
    } else if (gauge) {
        family.Remove(gauge);
        gauge = nullptr;
    }
}

QByteArray ServiceMetrics::render(const Snapshot& snapshot)
{
    update(snapshot);
    const std::string text = prometheus::TextSerializer().Serialize(m_registry->Collect());
    return QByteArray(text.data(), qsizetype(text.size()));
}

void ServiceMetrics::update(const Snapshot& snapshot)
{
    std::lock_guard lock(m_renderMutex);
    m_cacheEntries->Set(snapshot.cacheEntries);
    m_cacheBytes->Set(snapshot.cacheBytes);
    setCounter(*m_cacheEvictions, snapshot.cacheEvictionsTotal);
    m_queueDepth->Set(snapshot.queueDepth);
    m_generationInFlight->Set(snapshot.generationInFlight);
    setCounter(*m_generationRejected, snapshot.generationRejectedTotal);
    m_activeUsers->Set(snapshot.activeUsers);
    setOptional(*m_fleetActiveUsersFamily, m_fleetActiveUsers, snapshot.fleetActiveUsers);
    setOptional(*m_fleetCacheEntriesFamily, m_fleetCacheEntries, snapshot.fleetCacheEntries);
    m_ready->Set(snapshot.ready ? 1 : 0);
    setCounter(*m_cacheFallbacks, snapshot.cacheFallbacksTotal);
    m_cacheDegraded->Set(snapshot.cacheDegraded ? 1 : 0);
    m_connectionsOpen->Set(snapshot.httpConnectionsOpen);
    setCounter(*m_refusedGlobal, snapshot.httpRefusedGlobalTotal);
    setCounter(*m_refusedAddress, snapshot.httpRefusedAddressTotal);
    setCounter(*m_timedOutHeader, snapshot.httpTimedOutHeaderTotal);
    setCounter(*m_timedOutBody, snapshot.httpTimedOutBodyTotal);
    setCounter(*m_timedOutWrite, snapshot.httpTimedOutWriteTotal);
    setCounter(*m_timedOutIdle, snapshot.httpTimedOutIdleTotal);
    if (const auto process = ProcessStats::read()) {
        setCounter(*m_cpuSeconds, process->cpuSeconds);
        m_residentBytes->Set(process->residentBytes);
        m_startTime->Set(process->startTimeSeconds);
    }
}

} // namespace querydeck
