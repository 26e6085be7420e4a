#include "ui/common/AlertColors.h"

#include "ui/common/Theme.h"

namespace querydeck {

QColor severityColor(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical:
        return Theme::color(QStringLiteral("red"));
    case AlertSeverity::Warning:
        return Theme::color(QStringLiteral("amber"));
    case AlertSeverity::Info:
        return Theme::color(QStringLiteral("blue"));
    }
    return Theme::color(QStringLiteral("grey"));
}

QColor stateColor(AlertState state, AlertSeverity severity)
{
    switch (state) {
    case AlertState::Normal:
        return Theme::color(QStringLiteral("green"));
    case AlertState::Pending:
        return Theme::color(QStringLiteral("orange")).lighter(130);
    case AlertState::Firing:
        return severityColor(severity);
    case AlertState::Recovering:
        return severityColor(severity).lighter(140);
    case AlertState::NoData:
        return Theme::color(QStringLiteral("grey"));
    case AlertState::Error:
        return Theme::color(QStringLiteral("purple"));
    }
    return Theme::color(QStringLiteral("grey"));
}

} // namespace querydeck
