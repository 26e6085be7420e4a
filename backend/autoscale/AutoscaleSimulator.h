#pragma once

#include "backend/autoscale/AutoscalePolicy.h"

#include <vector>

namespace querydeck {

class TimeSeriesStore;

// Load at one instant, in replica-equivalents of work: 2.5 means two and a
// half replicas' worth of CPU. A profile is replayed through a policy.
struct LoadPoint
{
    qint64 t = 0;
    double demand = 0.0;
};

// How metrics follow from demand and replica count in the simulation. The
// model is deliberately simple and stated here: CPU = 100 × demand/replicas
// (capped at 100), a queue of `queuePerExcessReplica` per replica-equivalent
// of demand above capacity, and latency = base / (1 - utilisation), with
// utilisation capped at 0.95.
struct SimulationModel
{
    double baseLatencySeconds = 1.0;
    double queuePerExcessReplica = 40.0;
    int initialReplicas = 2;
    // Time from a decision to the new count being observed (start-up of replicas).
    qint64 actuationDelayMs = 0;
};

struct SimulationStep
{
    double demand = 0.0; // the load asked for, whatever the replicas could serve
    MetricSnapshot snapshot;
    ScaleDecision decision;
};

class AutoscaleSimulator
{
public:
    // A linear ramp from `fromDemand` to `toDemand` over `rampMs`, then held
    // for `holdMs`, then back to `fromDemand` for `tailMs`; one point per stepMs.
    static std::vector<LoadPoint> ramp(qint64 start, double fromDemand, double toDemand,
                                       qint64 rampMs, qint64 holdMs, qint64 tailMs, qint64 stepMs);
    // Demand from stored history: CPU% × replicas / 100 at each step, where the
    // two expressions give average CPU and the replica count. Points without
    // either value are skipped. Empty when the expressions are invalid.
    static std::vector<LoadPoint> fromStore(const TimeSeriesStore& store, const QString& cpuExpr,
                                            const QString& replicasExpr, qint64 from, qint64 to,
                                            qint64 stepMs, QString* error = nullptr);

    // Replays the profile through the policy (which is reset first), applying
    // every decision after model.actuationDelayMs.
    static std::vector<SimulationStep> run(AutoscalePolicy& policy,
                                           const std::vector<LoadPoint>& profile,
                                           const SimulationModel& model = {});
    static MetricSnapshot metricsFor(qint64 t, double demand, int replicas,
                                     const SimulationModel& model);
};

} // namespace querydeck
