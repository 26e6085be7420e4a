#pragma once

#include "backend/autoscale/AutoscalerConsoleConfig.h"
#include "backend/scaling/FleetConsoleConfig.h"

namespace querydeck {

class JsonFieldReader;

// Readers of the two sections; errors name the dotted field (see JsonFieldReader).
void readFleetSection(JsonFieldReader& fleet, FleetConsoleConfig& out);
void readAutoscalerSection(JsonFieldReader& autoscaler, AutoscalerConsoleConfig& out);
// `front_door` (console.fleet.local and fleet): nginx's client limits.
void readFrontDoorSection(JsonFieldReader& frontDoor, FrontDoorLimits& out);

} // namespace querydeck
