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

// Projection of a replica count: capacity from measured per-replica
// throughput, cost from a price per instance.
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
    static CapacityProjection project(const FleetState& state, int replicas,
                                      double pricePerInstanceMonth, double targetUtilisation = 0.7);
};

} // namespace querydeck
