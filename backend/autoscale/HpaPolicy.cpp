#include "backend/autoscale/HpaPolicy.h"

#include "backend/dashboards/UnitFormat.h"

#include <QStringList>
#include <algorithm>
#include <cmath>

namespace querydeck {

std::optional<FieldProblem> HpaPolicyConfig::problem() const
{
    const auto bad = [](const char* field, const QString& message) {
        return FieldProblem{QLatin1String(field), message};
    };
    if (cpuTargetPercent < 0 || cpuTargetPercent > 100)
        return bad("cpu_target_percent",
                   QStringLiteral("must be in 0..100, got %1").arg(cpuTargetPercent));
    if (latencyTargetSeconds < 0)
        return bad("latency_target_seconds", QStringLiteral("must not be negative"));
    if (queuePerReplicaTarget < 0)
        return bad("queue_per_replica_target", QStringLiteral("must not be negative"));
    if (cpuTargetPercent == 0 && latencyTargetSeconds == 0 && queuePerReplicaTarget == 0)
        return bad("cpu_target_percent",
                   QStringLiteral("at least one target (cpu_target_percent, "
                                  "latency_target_seconds, queue_per_replica_target) must be set"));
    if (tolerance < 0 || tolerance >= 1)
        return bad("tolerance", QStringLiteral("must be in [0, 1), got %1").arg(tolerance));
    if (upStabilizationSeconds < 0 || upStabilizationSeconds > 3600)
        return bad("scale_up.stabilization_window_seconds",
                   QStringLiteral("must be in 0..3600, got %1").arg(upStabilizationSeconds));
    if (downStabilizationSeconds < 0 || downStabilizationSeconds > 3600)
        return bad("scale_down.stabilization_window_seconds",
                   QStringLiteral("must be in 0..3600, got %1").arg(downStabilizationSeconds));
    if (auto p = AutoscalePolicy::stepLimitsProblem(upLimits, downLimits))
        return p;
    return AutoscalePolicy::boundsProblem(minReplicas, maxReplicas);
}

QString HpaPolicyConfig::validate() const
{
    const auto p = problem();
    return p ? p->toString() : QString();
}

HpaPolicy::HpaPolicy(HpaPolicyConfig config)
    : AutoscalePolicy(config.minReplicas, config.maxReplicas, config.upLimits, config.downLimits)
    , m_config(std::move(config))
{
}

void HpaPolicy::reset()
{
    AutoscalePolicy::reset();
    m_recommendations.clear();
}

AutoscalePolicy::Proposal HpaPolicy::propose(const MetricSnapshot& s)
{
    const int current = s.replicas;
    struct Metric
    {
        const char* name;
        std::optional<double> value;
        double target;
        const char* unit; // UnitFormat's
    };
    std::optional<double> queuePerReplica;
    if (s.queueDepth && current > 0)
        queuePerReplica = *s.queueDepth / current;
    const Metric metrics[] = {
        {"cpu", s.cpuPercent, m_config.cpuTargetPercent, "percent"},
        {"latency", s.latencySeconds, m_config.latencyTargetSeconds, "s"},
        {"queue/replica", queuePerReplica, m_config.queuePerReplicaTarget, "none"},
    };

    std::optional<int> raw;
    QString rawReason;
    QStringList missing;
    for (const Metric& metric : metrics) {
        if (metric.target <= 0)
            continue;
        if (!metric.value) {
            missing << metric.name;
            continue;
        }
        const double ratio = *metric.value / metric.target;
        const int proposal = std::abs(ratio - 1.0) <= m_config.tolerance
                                 ? current
                                 : int(std::ceil(current * ratio - 1e-9));
        if (!raw || proposal > *raw) {
            raw = proposal;
            rawReason = QStringLiteral("%1 %2 vs target %3 -> %4")
                            .arg(QLatin1String(metric.name),
                                 UnitFormat::format(*metric.value, metric.unit, 2),
                                 UnitFormat::format(metric.target, metric.unit))
                            .arg(proposal);
        }
    }
    if (!raw)
        return {current, QStringLiteral("hold: every metric missing")};
    if (!missing.isEmpty() && *raw < current) {
        raw = current;
        rawReason += QStringLiteral("; no scale-down: %1 missing").arg(missing.join(", "));
    }

    m_recommendations.push_back({s.t, *raw});
    const qint64 longest =
        qint64(std::max(m_config.upStabilizationSeconds, m_config.downStabilizationSeconds)) * 1000;
    while (!m_recommendations.empty() && m_recommendations.front().t < s.t - longest)
        m_recommendations.pop_front();

    // Up: the lowest recommendation of the up window; down: the highest of the down window.
    int upRecommendation = *raw;
    int downRecommendation = *raw;
    for (const Recommendation& r : m_recommendations) {
        if (r.t >= s.t - qint64(m_config.upStabilizationSeconds) * 1000)
            upRecommendation = std::min(upRecommendation, r.replicas);
        if (r.t >= s.t - qint64(m_config.downStabilizationSeconds) * 1000)
            downRecommendation = std::max(downRecommendation, r.replicas);
    }
    int desired = current;
    if (upRecommendation > current)
        desired = upRecommendation;
    else if (downRecommendation < current)
        desired = downRecommendation;
    QString reason = rawReason;
    if (desired != *raw)
        reason += QStringLiteral("; stabilized to %1").arg(desired);
    return {desired, reason};
}

} // namespace querydeck
