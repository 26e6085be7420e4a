#pragma once

#include "backend/autoscale/AutoscalePolicy.h"

#include <deque>

namespace querydeck {

// Targets and behaviour of the HPA-style policy (autoscaling/v2 semantics).
// A target of 0 leaves that metric out.
struct HpaPolicyConfig
{
    double cpuTargetPercent = 70.0;      // average utilisation
    double latencyTargetSeconds = 10.0;  // average latency
    double queuePerReplicaTarget = 10.0; // average queue depth per replica
    double tolerance = 0.1;              // |ratio - 1| within this: no change
    int upStabilizationSeconds = 0;
    int downStabilizationSeconds = 300;
    int minReplicas = 2;
    int maxReplicas = 10;
    // HPA's defaults: up by the larger of 100% or 4 pods per 15 s; down 100% per 15 s.
    StepLimits upLimits{{{StepPolicy::Type::Percent, 100, 15}, {StepPolicy::Type::Pods, 4, 15}},
                        StepLimits::Select::Max};
    StepLimits downLimits{{{StepPolicy::Type::Percent, 100, 15}}, StepLimits::Select::Max};

    // The first bad field, named by its config key ("tolerance"), or nullopt.
    std::optional<FieldProblem> problem() const;
    QString validate() const; // problem() as text, or empty

    friend bool operator==(const HpaPolicyConfig&, const HpaPolicyConfig&) = default;
};

// The Kubernetes HPA algorithm: per metric desired = ceil(current × value /
// target), unchanged within the tolerance; the max over metrics; a missing
// metric never lets the result go below the current count; then the
// stabilization windows (the lowest recommendation of the up window, the
// highest of the down window), step limits and min/max.
class HpaPolicy final : public AutoscalePolicy
{
public:
    explicit HpaPolicy(HpaPolicyConfig config = {});

    QString kind() const override { return QStringLiteral("hpa"); }
    void reset() override;
    const HpaPolicyConfig& config() const { return m_config; }

protected:
    Proposal propose(const MetricSnapshot& snapshot) override;

private:
    struct Recommendation
    {
        qint64 t;
        int replicas;
    };
    HpaPolicyConfig m_config;
    std::deque<Recommendation> m_recommendations;
};

} // namespace querydeck
