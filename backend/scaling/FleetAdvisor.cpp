#include "backend/scaling/FleetAdvisor.h"

#include "backend/dashboards/UnitFormat.h"

#include <algorithm>
#include <cmath>

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

ReplicaCapacity FleetAdvisor::capacity(const FleetState& state, const ReplicaResources& resources,
                                       double targetUtilisation)
{
    ReplicaCapacity c;
    c.targetUtilisation = targetUtilisation;
    c.loadQps = state.perReplicaQps();
    if (!state.queriesMeasured || *state.queriesMeasured < kMinQueriesMeasured) {
        c.unknownReason =
            state.queriesMeasured && *state.queriesMeasured >= 1
                ? QStringLiteral("only %1 queries in the last 5 min; measuring what a query "
                                 "costs needs at least %2")
                      .arg(std::llround(*state.queriesMeasured))
                      .arg(int(kMinQueriesMeasured))
                : QStringLiteral("no queries measured in the last 5 min; capacity is measured "
                                 "from what queries cost, so it needs traffic");
        return c;
    }
    const auto bound = [&](const QString& resource, double servers,
                           const std::optional<double>& seconds) {
        if (servers > 0 && seconds && *seconds > 0)
            c.bounds.append({resource, servers, *seconds, servers / *seconds});
    };
    bound(QStringLiteral("CPU"), resources.cores, state.cpuSecondsPerQuery);
    bound(QStringLiteral("handler threads"), resources.handlerThreads, state.serviceTimeSeconds);
    bound(QStringLiteral("generation slots"), resources.generationSlots,
          state.generationSecondsPerQuery);
    // Without the CPU's share the first bottleneck of a CPU-bound service is
    // missing, and the others alone would overstate what a replica can do.
    const bool cpuKnown = !c.bounds.isEmpty() && c.bounds.first().resource == QLatin1String("CPU");
    if (!cpuKnown) {
        c.bounds.clear();
        c.unknownReason = QStringLiteral("the replicas' CPU time per query was not measured "
                                         "(querydeck_process_cpu_seconds_total)");
        return c;
    }
    std::stable_sort(c.bounds.begin(), c.bounds.end(), [](const auto& a, const auto& b) {
        return a.queriesPerSecond < b.queriesPerSecond;
    });
    c.saturationQps = c.bounds.first().queriesPerSecond;
    c.plannedQps = *c.saturationQps * targetUtilisation;
    return c;
}

CapacityProjection FleetAdvisor::project(const ReplicaCapacity& capacity, int replicas,
                                         double pricePerInstanceMonth)
{
    CapacityProjection p;
    p.replicas = replicas;
    p.costPerMonth = replicas * pricePerInstanceMonth;
    if (capacity.plannedQps)
        p.queriesPerDay = *capacity.plannedQps * replicas * 86400.0;
    return p;
}

CapacityProjection FleetAdvisor::project(const FleetState& state, int replicas,
                                         double pricePerInstanceMonth, double targetUtilisation)
{
    FleetState measured = state;
    // A state read before the per-query measures existed: CPU per query from
    // the average utilisation and the load, where both are known.
    if (!measured.cpuSecondsPerQuery && state.cpuPercent && state.perReplicaQps())
        measured.cpuSecondsPerQuery = *state.cpuPercent / 100.0 / *state.perReplicaQps();
    return project(capacity(measured, {}, targetUtilisation), replicas, pricePerInstanceMonth);
}

} // namespace querydeck
