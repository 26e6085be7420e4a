#pragma once

#include "backend/alerting/AlertRule.h"

#include <QColor>

namespace querydeck {

// Alert colours from the Theme: critical red, warning amber, info blue; and
// per state for the history timeline. GUI thread only (follows the theme).
QColor severityColor(AlertSeverity severity);
QColor stateColor(AlertState state, AlertSeverity severity);

} // namespace querydeck
