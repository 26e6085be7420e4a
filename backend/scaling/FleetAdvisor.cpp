#include "backend/scaling/FleetAdvisor.h"

#include "backend/dashboards/UnitFormat.h"

namespace querydeck {

std::optional<double> FleetState::perReplicaQps() const
{
    // A failed replica serves nothing: the load is on the others.
    if (!queriesPerSecond || serving() <= 0 || *queriesPerSecond <= 0)
        return std::nullopt;
    return *queriesPerSecond / serving();
}

// The decision matrix of the scaling plans (plan 2, "Scaling Decision
// Matrix"): the symptom names the bottleneck, and only some bottlenecks are
// fixed by more replicas.
QList<Finding> FleetAdvisor::diagnose(const FleetState& s, const AdvisorThresholds& t)
{
    QList<Finding> findings;
    if (s.failed > 0)
        findings.append({QStringLiteral("%1 of %2 replicas failed").arg(s.failed).arg(s.replicas),
                         QStringLiteral("failed replicas: not capacity"),
                         QStringLiteral("restart or replace them before sizing: the others carry "
                                        "their load"),
                         false});
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
        findings.append({QStringLiteral("retrieval p95 %1 (> %2)")
                             .arg(UnitFormat::format(*s.retrievalP95Seconds, "s", 2),
                                  UnitFormat::format(t.retrievalSlowSeconds, "s")),
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
            {QStringLiteral("latency %1 (> %2) with CPU not saturated")
                 .arg(UnitFormat::format(*s.latencySeconds, "s", 1),
                      UnitFormat::format(t.latencyHighSeconds, "s")),
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
