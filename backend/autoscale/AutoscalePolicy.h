#pragma once

#include "backend/autoscale/AutoscaleTypes.h"

#include <deque>

namespace querydeck {

// A pure, deterministic scaling policy: feed it metric snapshots in time
// order and it returns one decision per snapshot. No I/O and no clock of its
// own — time is the snapshots' `t` — so tests replay recorded or synthetic
// series and get the same answers. It remembers what it needs (for-durations,
// the replica changes it observed for cooldowns and step limits, past
// recommendations for stabilization), bounded by its longest window.
//
// Both policies share the final stage: step limits per period (HPA
// behaviour) and the min/max bounds. Not thread-safe; one owner.
class AutoscalePolicy
{
public:
    virtual ~AutoscalePolicy() = default;

    virtual QString kind() const = 0; // "rules", "hpa"
    ScaleDecision evaluate(const MetricSnapshot& snapshot);
    // Forgets every observation (for a new simulation run).
    virtual void reset();

    // The shared checks of both configs, naming the config keys:
    // min_replicas / max_replicas, and scale_up / scale_down step limits.
    static std::optional<FieldProblem> boundsProblem(int minReplicas, int maxReplicas);
    static std::optional<FieldProblem> stepLimitsProblem(const StepLimits& up,
                                                         const StepLimits& down);

    int minReplicas() const { return m_min; }
    int maxReplicas() const { return m_max; }

protected:
    AutoscalePolicy(int minReplicas, int maxReplicas, StepLimits up, StepLimits down);

    // The policy's own proposal before step limits and bounds.
    struct Proposal
    {
        int desired = 0;
        QString reason;
    };
    virtual Proposal propose(const MetricSnapshot& snapshot) = 0;

    // Time of the last observed change of the replica count in a direction
    // (0: none seen).
    qint64 lastScaleUp() const { return m_lastUp; }
    qint64 lastScaleDown() const { return m_lastDown; }

private:
    struct Change
    {
        qint64 t;
        int delta;
    };
    void observe(const MetricSnapshot& snapshot);
    int limitUp(int current, int desired, qint64 now) const;
    int limitDown(int current, int desired, qint64 now) const;

    int m_min;
    int m_max;
    StepLimits m_up;
    StepLimits m_down;
    int m_lastReplicas = -1;
    qint64 m_lastUp = 0;
    qint64 m_lastDown = 0;
    std::deque<Change> m_changes; // within the longest step period
};

} // namespace querydeck
