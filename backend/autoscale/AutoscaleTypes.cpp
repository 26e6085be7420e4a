#include "backend/autoscale/AutoscaleTypes.h"

#include "backend/dashboards/UnitFormat.h"

#include <QDateTime>
#include <algorithm>

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
    return value ? UnitFormat::format(*value, unit, precision) : QStringLiteral("missing");
}

} // namespace

int MetricSnapshot::failedSlots() const
{
    if (working < 0)
        return 0;
    return std::max(0, replicas - std::clamp(working, 0, std::max(0, replicas)));
}

QString ScaleDecision::describe() const
{
    const QString when = QDateTime::fromMSecsSinceEpoch(t).toUTC().toString("HH:mm:ss");
    QString replicas;
    if (inputs.ready >= 0 && (inputs.ready != inputs.replicas || inputs.failed > 0)) {
        replicas = QStringLiteral("%1 of %2 ready").arg(inputs.ready).arg(inputs.replicas);
        if (inputs.failed > 0)
            replicas += QStringLiteral(", %1 failed").arg(inputs.failed);
        replicas += QStringLiteral("; ");
    }
    return QStringLiteral("%1 %2 -> %3: %4 (%5cpu %6, latency %7, queue %8)")
        .arg(when)
        .arg(current)
        .arg(desired)
        .arg(reason, replicas, metricText(inputs.cpuPercent, "percent", 0),
             metricText(inputs.latencySeconds, "s", 1), metricText(inputs.queueDepth, "none", 0));
}

} // namespace querydeck
