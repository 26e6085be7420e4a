#include "backend/autoscale/RulePolicy.h"

#include "backend/dashboards/UnitFormat.h"

namespace querydeck {

namespace {

QString duration(int seconds)
{
    if (seconds % 60 == 0 && seconds >= 60)
        return QStringLiteral("%1m").arg(seconds / 60);
    return QStringLiteral("%1s").arg(seconds);
}

} // namespace

std::optional<FieldProblem> RulePolicyConfig::problem() const
{
    const auto bad = [](const char* field, const QString& message) {
        return FieldProblem{QLatin1String(field), message};
    };
    if (cpuUpPercent <= 0 || cpuUpPercent > 100)
        return bad("cpu_up_percent",
                   QStringLiteral("must be in (0, 100], got %1").arg(cpuUpPercent));
    if (cpuDownPercent < 0 || cpuDownPercent >= cpuUpPercent)
        return bad("cpu_down_percent",
                   QStringLiteral("must be in [0, cpu_up_percent) = [0, %1), got %2")
                       .arg(cpuUpPercent)
                       .arg(cpuDownPercent));
    if (latencyUpSeconds <= 0)
        return bad("latency_up_seconds",
                   QStringLiteral("must be positive, got %1").arg(latencyUpSeconds));
    if (queueUpDepth <= 0)
        return bad("queue_up_depth", QStringLiteral("must be positive, got %1").arg(queueUpDepth));
    if (queueDownDepth < 0 || queueDownDepth >= queueUpDepth)
        return bad("queue_down_depth",
                   QStringLiteral("must be in [0, queue_up_depth) = [0, %1), got %2")
                       .arg(queueUpDepth)
                       .arg(queueDownDepth));
    for (auto [name, value] : {std::pair{"cpu_up_for_seconds", cpuUpForSeconds},
                               {"latency_up_for_seconds", latencyUpForSeconds},
                               {"cpu_down_for_seconds", cpuDownForSeconds},
                               {"cooldown_up_seconds", cooldownUpSeconds},
                               {"cooldown_down_seconds", cooldownDownSeconds}})
        if (value < 0 || value > 24 * 3600)
            return bad(name, QStringLiteral("must be in 0..86400, got %1").arg(value));
    if (stepUp < 1)
        return bad("step_up", QStringLiteral("must be at least 1, got %1").arg(stepUp));
    if (stepDown < 1)
        return bad("step_down", QStringLiteral("must be at least 1, got %1").arg(stepDown));
    if (auto p = AutoscalePolicy::stepLimitsProblem(upLimits, downLimits))
        return p;
    return AutoscalePolicy::boundsProblem(minReplicas, maxReplicas);
}

QString RulePolicyConfig::validate() const
{
    const auto p = problem();
    return p ? p->toString() : QString();
}

RulePolicy::RulePolicy(RulePolicyConfig config)
    : AutoscalePolicy(config.minReplicas, config.maxReplicas, config.upLimits, config.downLimits)
    , m_config(std::move(config))
{
}

void RulePolicy::reset()
{
    AutoscalePolicy::reset();
    m_cpuHigh = {};
    m_latencyHigh = {};
    m_cpuLow = {};
}

AutoscalePolicy::Proposal RulePolicy::propose(const MetricSnapshot& s)
{
    const RulePolicyConfig& c = m_config;
    const qint64 t = s.t;
    m_cpuHigh.update(s.cpuPercent && *s.cpuPercent > c.cpuUpPercent, t);
    m_latencyHigh.update(s.latencySeconds && *s.latencySeconds > c.latencyUpSeconds, t);
    m_cpuLow.update(s.cpuPercent && *s.cpuPercent < c.cpuDownPercent, t);
    const int current = s.replicas;

    QString upReason;
    if (s.queueDepth && *s.queueDepth > c.queueUpDepth)
        upReason = QStringLiteral("queue depth %1 > %2").arg(*s.queueDepth).arg(c.queueUpDepth);
    else if (m_cpuHigh.forAtLeast(t, c.cpuUpForSeconds))
        upReason = QStringLiteral("CPU %1% > %2% for %3")
                       .arg(*s.cpuPercent, 0, 'f', 0)
                       .arg(c.cpuUpPercent)
                       .arg(duration(c.cpuUpForSeconds));
    else if (m_latencyHigh.forAtLeast(t, c.latencyUpForSeconds))
        upReason =
            QStringLiteral("latency %1 > %2 for %3")
                .arg(UnitFormat::format(*s.latencySeconds, "s", 1),
                     UnitFormat::format(c.latencyUpSeconds, "s"), duration(c.latencyUpForSeconds));
    if (!upReason.isEmpty()) {
        if (current >= maxReplicas())
            return {current, upReason + QStringLiteral("; already at the maximum")};
        if (lastScaleUp() && t - lastScaleUp() < qint64(c.cooldownUpSeconds) * 1000)
            return {current,
                    upReason +
                        QStringLiteral("; in scale-up cooldown (%1 left)")
                            .arg(duration(int(
                                (lastScaleUp() + c.cooldownUpSeconds * 1000LL - t + 999) / 1000)))};
        return {current + c.stepUp, upReason};
    }

    const bool queueLow = s.queueDepth && *s.queueDepth < c.queueDownDepth;
    if (m_cpuLow.forAtLeast(t, c.cpuDownForSeconds) && queueLow) {
        const QString reason = QStringLiteral("CPU %1% < %2% for %3 and queue %4 < %5")
                                   .arg(*s.cpuPercent, 0, 'f', 0)
                                   .arg(c.cpuDownPercent)
                                   .arg(duration(c.cpuDownForSeconds))
                                   .arg(*s.queueDepth)
                                   .arg(c.queueDownDepth);
        if (current <= minReplicas())
            return {current, reason + QStringLiteral("; already at the minimum")};
        const qint64 lastChange = std::max(lastScaleUp(), lastScaleDown());
        if (lastChange && t - lastChange < qint64(c.cooldownDownSeconds) * 1000)
            return {current,
                    reason +
                        QStringLiteral("; in scale-down cooldown (%1 left)")
                            .arg(duration(int(
                                (lastChange + c.cooldownDownSeconds * 1000LL - t + 999) / 1000)))};
        return {current - c.stepDown, reason};
    }

    if (!s.cpuPercent || !s.queueDepth || !s.latencySeconds)
        return {current, QStringLiteral("hold: metrics missing (never scale down without data)")};
    return {current, QStringLiteral("hold: within thresholds")};
}

} // namespace querydeck
