#include "fleet/ScalingTypes.h"

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
