#pragma once

#include <QByteArray>
#include <QString>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T> class Family;
} // namespace prometheus

namespace querydeck {

enum class Route : int
{
    Query,
    Health,
    Ready,
    Metrics,
    Info,
    Drain,
    Other,
    Count
};
enum class LookupResult : int
{
    Exact,
    Semantic,
    Miss,
    Count
};

// The service's Prometheus metrics, all prefixed querydeck_. Families are
// built once; per-request updates touch only pre-resolved Counter/Histogram
// references (the (route, code) counters are resolved once per pair and
// cached). Thread-safe: HTTP handlers record, /metrics renders.
class ServiceMetrics
{
public:
    // Values owned elsewhere (cache, queue, active-user tracker), read at scrape time.
    struct Snapshot
    {
        double cacheEntries = 0;
        double cacheBytes = 0;
        double cacheEvictionsTotal = 0;
        double queueDepth = 0;
        double generationInFlight = 0;
        double generationRejectedTotal = 0;
        double activeUsers = 0; // this replica's own distinct clients
        // Fleet-wide figures read from the Redis every replica shares; only
        // exported while known (the same value on every replica: max, never sum).
        std::optional<double> fleetActiveUsers;
        std::optional<double> fleetCacheEntries;
        bool ready = false;
        double cacheFallbacksTotal = 0; // shared store unreachable: the memory tier answered
        bool cacheDegraded = false;
        // The HTTP server's connection counters (HttpServerStats).
        double httpConnectionsOpen = 0;
        double httpRefusedGlobalTotal = 0;  // http.max_connections reached
        double httpRefusedAddressTotal = 0; // http.max_connections_per_address reached
        double httpTimedOutHeaderTotal = 0;
        double httpTimedOutBodyTotal = 0;
        double httpTimedOutWriteTotal = 0;
        double httpTimedOutIdleTotal = 0; // keep-alive connections closed when idle
    };

    ServiceMetrics(const QString& replicaId, const QString& version);
    ~ServiceMetrics();

    std::shared_ptr<prometheus::Registry> registry() const { return m_registry; }

    void observeRequest(Route route, int status, double seconds);
    void requestStarted();
    void requestFinished();
    void observeLookup(LookupResult result);
    void observeEmbedding(double seconds);
    void observeRetrieval(double seconds);
    void observeGeneration(double seconds);
    void observeRateLimited();

    // Sets the gauges and mirrored counters owned elsewhere, and the process
    // figures; called before every collection (HTTP scrape or in-process).
    void update(const Snapshot& snapshot);
    // update() then the Prometheus text exposition format 0.0.4.
    QByteArray render(const Snapshot& snapshot);

    static const char* routeLabel(Route route);

private:
    prometheus::Counter& requestCounter(Route route, int status);
    static void setCounter(prometheus::Counter& counter, double total);
    // Sets a series that exists only while its value is known: added on the
    // first value, removed (so it goes stale) when the value is not known.
    static void setOptional(prometheus::Family<prometheus::Gauge>& family,
                            prometheus::Gauge*& gauge, const std::optional<double>& value);

    static constexpr int kStatusSlots = 600;
    std::shared_ptr<prometheus::Registry> m_registry;
    prometheus::Family<prometheus::Counter>* m_requests = nullptr;
    std::mutex m_addMutex;
    std::array<std::array<std::atomic<prometheus::Counter*>, kStatusSlots>, int(Route::Count)>
        m_requestCounters{};
    std::array<prometheus::Histogram*, int(Route::Count)> m_durations{};
    std::array<prometheus::Counter*, int(LookupResult::Count)> m_lookups{};
    prometheus::Gauge* m_inFlight = nullptr;
    prometheus::Histogram* m_embedding = nullptr;
    prometheus::Histogram* m_retrieval = nullptr;
    prometheus::Histogram* m_generation = nullptr;
    prometheus::Counter* m_rateLimited = nullptr;
    prometheus::Gauge* m_cacheEntries = nullptr;
    prometheus::Gauge* m_cacheBytes = nullptr;
    prometheus::Counter* m_cacheEvictions = nullptr;
    prometheus::Gauge* m_queueDepth = nullptr;
    prometheus::Gauge* m_generationInFlight = nullptr;
    prometheus::Counter* m_generationRejected = nullptr;
    prometheus::Gauge* m_activeUsers = nullptr;
    prometheus::Family<prometheus::Gauge>* m_fleetActiveUsersFamily = nullptr;
    prometheus::Gauge* m_fleetActiveUsers = nullptr;
    prometheus::Family<prometheus::Gauge>* m_fleetCacheEntriesFamily = nullptr;
    prometheus::Gauge* m_fleetCacheEntries = nullptr;
    prometheus::Gauge* m_ready = nullptr;
    prometheus::Counter* m_cacheFallbacks = nullptr;
    prometheus::Gauge* m_cacheDegraded = nullptr;
    prometheus::Gauge* m_connectionsOpen = nullptr;
    prometheus::Counter* m_refusedGlobal = nullptr;
    prometheus::Counter* m_refusedAddress = nullptr;
    prometheus::Counter* m_timedOutHeader = nullptr;
    prometheus::Counter* m_timedOutBody = nullptr;
    prometheus::Counter* m_timedOutWrite = nullptr;
    prometheus::Counter* m_timedOutIdle = nullptr;
    prometheus::Counter* m_cpuSeconds = nullptr;
    prometheus::Gauge* m_residentBytes = nullptr;
    prometheus::Gauge* m_startTime = nullptr;
    std::mutex m_renderMutex;
};

} // namespace querydeck
