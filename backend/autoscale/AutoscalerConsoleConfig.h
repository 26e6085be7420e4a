#pragma once

#include "backend/autoscale/AutoscaleTypes.h"
#include "backend/autoscale/HpaPolicy.h"
#include "backend/autoscale/RulePolicy.h"

#include <QString>

namespace querydeck {

// `console.autoscaler`: the policy the console runs over the fleet's metrics.
struct AutoscalerConsoleConfig
{
    AutoscaleMode mode = AutoscaleMode::Off;
    QString policy = QStringLiteral("rules"); // "rules", "hpa"
    int intervalMs = 15000;                   // one evaluation per interval
    RulePolicyConfig rules;
    HpaPolicyConfig hpa;

    friend bool operator==(const AutoscalerConsoleConfig&,
                           const AutoscalerConsoleConfig&) = default;
};

} // namespace querydeck
