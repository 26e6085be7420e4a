#pragma once

#include "backend/autoscale/AutoscalePolicy.h"

namespace querydeck {

// Threshold rules of the scaling plans. Defaults are the plans' numbers.
struct RulePolicyConfig
{
    double cpuUpPercent = 70.0;     // scale up: CPU above this ...
    int cpuUpForSeconds = 300;      // ... for 5 min
    double latencyUpSeconds = 10.0; // or average latency above this ...
    int latencyUpForSeconds = 180;  // ... for 3 min
    double queueUpDepth = 50.0;     // or queue depth above this (at once)
    double cpuDownPercent = 30.0;   // scale down: CPU below this ...
    int cpuDownForSeconds = 600;    // ... for 10 min
    double queueDownDepth = 10.0;   // ... and queue depth below this
    int stepUp = 1;                 // replicas added per decision
    int stepDown = 1;               // replicas removed per decision
    int cooldownUpSeconds = 60;     // no scale-up within this of the last scale-up
    int cooldownDownSeconds = 300;  // no scale-down within this of the last change
    int minReplicas = 2;
    int maxReplicas = 10;
    StepLimits upLimits; // per-period step limits (none by default)
    StepLimits downLimits;

    // The first bad field, named by its config key ("cpu_down_percent"), or nullopt.
    std::optional<FieldProblem> problem() const;
    // problem() as text ("cpu_up_percent: must be in (0, 100], got 150"), or empty.
    QString validate() const;

    friend bool operator==(const RulePolicyConfig&, const RulePolicyConfig&) = default;
};

// Rule-based policy: a condition must hold at every snapshot for its whole
// `for` duration (as a Prometheus alert's `for`); a missing metric breaks the
// condition, so missing data never scales down. Cooldowns come from the
// replica changes observed in the snapshots, so a scale made by hand counts too.
class RulePolicy final : public AutoscalePolicy
{
public:
    explicit RulePolicy(RulePolicyConfig config = {});

    QString kind() const override { return QStringLiteral("rules"); }
    void reset() override;
    const RulePolicyConfig& config() const { return m_config; }

protected:
    Proposal propose(const MetricSnapshot& snapshot) override;

private:
    // When a condition has held continuously since; 0 when it does not hold.
    struct Held
    {
        qint64 since = 0;
        void update(bool holds, qint64 t) { since = holds ? (since ? since : t) : 0; }
        bool forAtLeast(qint64 t, int seconds) const
        {
            return since != 0 && t - since >= qint64(seconds) * 1000;
        }
    };

    RulePolicyConfig m_config;
    Held m_cpuHigh;
    Held m_latencyHigh;
    Held m_cpuLow;
};

} // namespace querydeck
