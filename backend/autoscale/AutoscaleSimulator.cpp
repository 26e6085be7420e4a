#include "backend/autoscale/AutoscaleSimulator.h"

#include "backend/metrics/Expression.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace querydeck {

std::vector<LoadPoint> AutoscaleSimulator::ramp(qint64 start, double fromDemand, double toDemand,
                                                qint64 rampMs, qint64 holdMs, qint64 tailMs,
                                                qint64 stepMs)
{
    std::vector<LoadPoint> points;
    if (stepMs <= 0)
        return points;
    const qint64 total = rampMs + holdMs + tailMs;
    for (qint64 offset = 0; offset <= total; offset += stepMs) {
        double demand = fromDemand;
        if (offset < rampMs)
            demand = fromDemand + (toDemand - fromDemand) * double(offset) / double(rampMs);
        else if (offset < rampMs + holdMs)
            demand = toDemand;
        points.push_back({start + offset, demand});
    }
    return points;
}

std::vector<LoadPoint> AutoscaleSimulator::fromStore(const TimeSeriesStore& store,
                                                     const QString& cpuExpr,
                                                     const QString& replicasExpr, qint64 from,
                                                     qint64 to, qint64 stepMs, QString* error)
{
    std::vector<LoadPoint> points;
    const Expression cpu = Expression::parse(cpuExpr);
    const Expression replicas = Expression::parse(replicasExpr);
    for (const Expression* e : {&cpu, &replicas})
        if (!e->isValid()) {
            if (error)
                *error = QStringLiteral("expression %1: %2").arg(e->text(), e->error());
            return points;
        }
    const auto cpuSeries = cpu.range(store, from, to, stepMs);
    const auto replicaSeries = replicas.range(store, from, to, stepMs);
    if (cpuSeries.empty() || replicaSeries.empty()) {
        if (error)
            *error = QStringLiteral("no stored data for %1 and %2 in the range")
                         .arg(cpuExpr, replicasExpr);
        return points;
    }
    std::map<qint64, double> replicaAt;
    for (const Point& p : replicaSeries.front().points)
        replicaAt[p.t] = p.v;
    for (const Point& p : cpuSeries.front().points) {
        const auto it = replicaAt.find(p.t);
        if (it != replicaAt.end())
            points.push_back({p.t, p.v * it->second / 100.0});
    }
    return points;
}

MetricSnapshot AutoscaleSimulator::metricsFor(qint64 t, double demand, int replicas,
                                              const SimulationModel& model)
{
    MetricSnapshot s;
    s.t = t;
    s.replicas = replicas;
    const double capacity = std::max(1, replicas);
    const double utilisation = demand / capacity;
    s.cpuPercent = std::min(100.0, 100.0 * utilisation);
    s.queueDepth = std::max(0.0, demand - capacity) * model.queuePerExcessReplica;
    s.latencySeconds = model.baseLatencySeconds / (1.0 - std::min(0.95, utilisation));
    return s;
}

std::vector<SimulationStep> AutoscaleSimulator::run(AutoscalePolicy& policy,
                                                    const std::vector<LoadPoint>& profile,
                                                    const SimulationModel& model)
{
    policy.reset();
    std::vector<SimulationStep> steps;
    steps.reserve(profile.size());
    int replicas = model.initialReplicas;
    int pending = -1; // a count decided but not yet observed
    qint64 pendingAt = 0;
    for (const LoadPoint& load : profile) {
        if (pending >= 0 && load.t >= pendingAt) {
            replicas = pending;
            pending = -1;
        }
        SimulationStep step;
        step.demand = load.demand;
        step.snapshot = metricsFor(load.t, load.demand, replicas, model);
        step.decision = policy.evaluate(step.snapshot);
        if (step.decision.changes()) {
            if (model.actuationDelayMs <= 0) {
                replicas = step.decision.desired;
            } else if (pending != step.decision.desired) {
                // Asking again for the count already on its way does not restart the wait.
                pending = step.decision.desired;
                pendingAt = load.t + model.actuationDelayMs;
            }
        }
        steps.push_back(std::move(step));
    }
    return steps;
}

} // namespace querydeck
