#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace querydeck {

// The fleet as measured now: what the scale wizard's first page shows.
struct FleetState
{
    int replicas = 0;
    // Of `replicas`: starting or ready (capacity now or soon), ready, failed
    // (not capacity: named by diagnose()). -1: not known, all count.
    int working = -1;
    int ready = -1;
    int failed = 0;
    std::optional<double> queriesPerSecond; // whole fleet
    std::optional<double> cpuPercent;       // average utilisation of the replicas
    std::optional<double> latencySeconds;   // average query latency
    std::optional<double> cacheHitPercent;
    std::optional<double> redisEvictionsPerSecond;
    std::optional<double> retrievalP95Seconds;
    std::optional<double> errorPercent;
    // What one query costs, over the capacity window (FleetQueries, 5 min),
    // all replicas together: CPU time, time holding a handler thread (the
    // mean of the request-duration histogram) and time holding a generation
    // slot (generation-duration sum per query: misses pay it, hits do not).
    std::optional<double> cpuSecondsPerQuery;
    std::optional<double> serviceTimeSeconds;
    std::optional<double> generationSecondsPerQuery;
    std::optional<double> queriesMeasured; // queries answered in that window

    // The replicas that serve or are about to: all but the failed ones.
    int serving() const { return working >= 0 ? working : replicas; }
    // Measured throughput per serving replica; nullopt without traffic or replicas.
    std::optional<double> perReplicaQps() const;
};

// One row of the scaling plans' decision matrix that the live metrics match.
struct Finding
{
    QString symptom;    // "API CPU 85% (> 70%)"
    QString bottleneck; // "API compute"
    QString action;     // "scale out: add replicas"
    bool replicasHelp = false;
};

// A capacity tier of the plans (Dev / Small / Medium / Large) with the
// replica count it stands for.
struct CapacityTier
{
    QString name;
    int replicas = 1;
};

// What one replica has to serve queries with: each is a number of servers
// (cores, handler threads, generation slots) that a query holds for its
// measured service time. The scale wizard takes them from the ScaleRequest.
struct ReplicaResources
{
    double cores = 1.0;      // ScaleRequest::cpuPerReplica
    int handlerThreads = 32; // the service's http.threads
    int generationSlots = 4; // the service's queue.concurrency
};

// One replica's saturation point, from what it was measured doing: for each
// resource, servers ÷ service time per query (Little's law with every server
// busy; the utilisation law for CPU), and the smallest of them, which is the
// bottleneck. Planned capacity is that at the target utilisation.
struct ReplicaCapacity
{
    struct Bound
    {
        QString resource; // "CPU", "handler threads", "generation slots"
        double servers = 0;
        double secondsPerQuery = 0;
        double queriesPerSecond = 0; // servers / secondsPerQuery
    };
    std::optional<double> saturationQps; // per replica; nullopt: not measured
    std::optional<double> plannedQps;    // saturation × target utilisation
    double targetUtilisation = 0.7;
    QList<Bound> bounds;           // the limits measured, the bottleneck first
    std::optional<double> loadQps; // per replica, now: beside capacity, never as it
    QString unknownReason;         // why there is no saturation point
};

// Projection of a replica count: capacity from the measured saturation point
// per replica at the target utilisation, cost from a price per instance.
struct CapacityProjection
{
    int replicas = 0;
    std::optional<double> queriesPerDay; // nullopt without a throughput measure
    double costPerMonth = 0.0;
};

// Where a symptom starts (the plans' numbers).
struct AdvisorThresholds
{
    double cpuHighPercent = 70.0;
    double latencyHighSeconds = 10.0;
    double evictionsPerSecond = 0.0; // any eviction is memory pressure
    double retrievalSlowSeconds = 1.0;
    double cacheHitLowPercent = 30.0;
    double targetUtilisation = 0.7; // capacity is planned at this share of the measured peak
};

// Pure advice from a FleetState: which bottleneck, and what fixes it.
class FleetAdvisor
{
public:
    static QList<Finding> diagnose(const FleetState& state,
                                   const AdvisorThresholds& thresholds = {});
    static QList<CapacityTier> tiers(); // Dev 1, Small 2, Medium 4, Large 8
    // Fewer queries than this in the capacity window and the cost of a query
    // is noise: no saturation point is given.
    static constexpr double kMinQueriesMeasured = 100;
    static ReplicaCapacity capacity(const FleetState& state, const ReplicaResources& resources = {},
                                    double targetUtilisation = 0.7);
    static CapacityProjection project(const ReplicaCapacity& capacity, int replicas,
                                      double pricePerInstanceMonth);
    // capacity(state, {}, targetUtilisation), projected.
    static CapacityProjection project(const FleetState& state, int replicas,
                                      double pricePerInstanceMonth, double targetUtilisation = 0.7);
};

} // namespace querydeck
