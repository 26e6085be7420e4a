#include "backend/scaling/FleetAdvisor.h"

namespace querydeck {

std::optional<double> FleetState::perReplicaQps() const
{
    if (!queriesPerSecond || replicas <= 0 || *queriesPerSecond <= 0)
        return std::nullopt;
    return *queriesPerSecond / replicas;
}

// The decision matrix of the scaling plans (plan 2, "Scaling Decision
// Matrix"): the symptom names the bottleneck, and only some bottlenecks are
// fixed by more replicas.
QList<Finding> FleetAdvisor::diagnose(const FleetState& s, const AdvisorThresholds& t)
{
    QList<Finding> findings;
    if (s.cpuPercent && *s.cpuPercent > t.cpuHighPercent)
        findings.append({QStringLiteral("API CPU %1% (> %2%)")
                             .arg(*s.cpuPercent, 0, 'f', 0)
                             .arg(t.cpuHighPercent),
                         QStringLiteral("API compute"), QStringLiteral("scale out: add replicas"),
                         true});
    if (s.redisEvictionsPerSecond && *s.redisEvictionsPerSecond > t.evictionsPerSecond)
        findings.append(
            {QStringLiteral("Redis evictions %1/s").arg(*s.redisEvictionsPerSecond, 0, 'f', 1),
             QStringLiteral("Redis memory pressure"),
             QStringLiteral("increase Redis memory or shorten TTLs, not more replicas"), false});
    if (s.retrievalP95Seconds && *s.retrievalP95Seconds > t.retrievalSlowSeconds)
        findings.append({QStringLiteral("retrieval p95 %1 s (> %2 s)")
                             .arg(*s.retrievalP95Seconds, 0, 'f', 2)
                             .arg(t.retrievalSlowSeconds),
                         QStringLiteral("slow retrieval"),
                         QStringLiteral("tune the cache or the index, not more replicas"), false});
    if (s.cacheHitPercent && *s.cacheHitPercent < t.cacheHitLowPercent)
        findings.append(
            {QStringLiteral("cache hit rate %1% (< %2%)")
                 .arg(*s.cacheHitPercent, 0, 'f', 0)
                 .arg(t.cacheHitLowPercent),
             QStringLiteral("cache effectiveness"),
             QStringLiteral("review the similarity threshold and TTLs before adding replicas"),
             false});
    if (s.latencySeconds && *s.latencySeconds > t.latencyHighSeconds &&
        !(s.cpuPercent && *s.cpuPercent > t.cpuHighPercent))
        findings.append(
            {QStringLiteral("latency %1 s (> %2 s) with CPU not saturated")
                 .arg(*s.latencySeconds, 0, 'f', 1)
                 .arg(t.latencyHighSeconds),
             QStringLiteral("generation or a dependency"),
             QStringLiteral(
                 "check the model server and queue; replicas help only if the queue is full"),
             false});
    return findings;
}

QList<CapacityTier> FleetAdvisor::tiers()
{
    return {{QStringLiteral("Dev"), 1},
            {QStringLiteral("Small"), 2},
            {QStringLiteral("Medium"), 4},
            {QStringLiteral("Large"), 8}};
}

CapacityProjection FleetAdvisor::project(const FleetState& state, int replicas,
                                         double pricePerInstanceMonth, double targetUtilisation)
{
    CapacityProjection p;
    p.replicas = replicas;
    p.costPerMonth = replicas * pricePerInstanceMonth;
    // Measured throughput per replica is what one replica does at its present
    // utilisation; scale it to the planning utilisation when CPU is known.
    if (const auto perReplica = state.perReplicaQps()) {
        double capacity = *perReplica;
        if (state.cpuPercent && *state.cpuPercent > 1.0)
            capacity = *perReplica * (targetUtilisation * 100.0) / *state.cpuPercent;
        p.queriesPerDay = capacity * replicas * 86400.0;
    }
    return p;
}

} // namespace querydeck
