#include "backend/autoscale/AutoscaleTypes.h"

#include <QDateTime>

namespace querydeck {

QString autoscaleModeName(AutoscaleMode mode)
{
    switch (mode) {
    case AutoscaleMode::Off:
        return QStringLiteral("off");
    case AutoscaleMode::Recommend:
        return QStringLiteral("recommend");
    case AutoscaleMode::Apply:
        return QStringLiteral("apply");
    }
    return QStringLiteral("off");
}

std::optional<AutoscaleMode> parseAutoscaleMode(const QString& text)
{
    const QString lower = text.trimmed().toLower();
    for (AutoscaleMode mode : {AutoscaleMode::Off, AutoscaleMode::Recommend, AutoscaleMode::Apply})
        if (lower == autoscaleModeName(mode))
            return mode;
    return std::nullopt;
}

std::optional<FieldProblem> StepLimits::problem() const
{
    if (policies.size() > kMaxPolicies)
        return FieldProblem{
            QStringLiteral("policies"),
            QStringLiteral("at most %1 policies, got %2").arg(kMaxPolicies).arg(policies.size())};
    for (int i = 0; i < policies.size(); ++i) {
        const StepPolicy& policy = policies[i];
        const QString at = QStringLiteral("policies[%1].").arg(i);
        if (policy.value < 1)
            return FieldProblem{at + QStringLiteral("value"),
                                QStringLiteral("must be at least 1, got %1").arg(policy.value)};
        if (policy.type == StepPolicy::Type::Percent && policy.value > 1000)
            return FieldProblem{
                at + QStringLiteral("value"),
                QStringLiteral("a percentage must be at most 1000, got %1").arg(policy.value)};
        if (policy.periodSeconds < 1 || policy.periodSeconds > kMaxPeriodSeconds)
            return FieldProblem{at + QStringLiteral("period_seconds"),
                                QStringLiteral("must be in 1..%1, got %2")
                                    .arg(kMaxPeriodSeconds)
                                    .arg(policy.periodSeconds)};
    }
    return std::nullopt;
}

namespace {

QString metricText(const std::optional<double>& value, const QString& unit, int precision)
{
    return value ? QString::number(*value, 'f', precision) + unit : QStringLiteral("missing");
}

} // namespace

QString ScaleDecision::describe() const
{
    const QString when = QDateTime::fromMSecsSinceEpoch(t).toUTC().toString("HH:mm:ss");
    return QStringLiteral("%1 %2 -> %3: %4 (cpu %5, latency %6, queue %7)")
        .arg(when)
        .arg(current)
        .arg(desired)
        .arg(reason, metricText(inputs.cpuPercent, "%", 0),
             metricText(inputs.latencySeconds, " s", 2), metricText(inputs.queueDepth, "", 0));
}

} // namespace querydeck
