#include "backend/scaling/FleetConsoleConfig.h"

namespace querydeck {

void applyLocalFleetOptions(const FleetConsoleConfig& fleet, int serviceDrainTimeoutMs,
                            LocalFleetOptions& options)
{
    options.nginxBinary = fleet.nginx;
    options.frontPort = fleet.port;
    options.replicaBasePort = fleet.basePort;
    options.drainTimeoutMs = fleet.drainTimeoutMs.value_or(serviceDrainTimeoutMs);
    options.frontDoor = fleet.frontDoor;
}

ScaleRequest FleetConsoleConfig::scaleDefaults() const
{
    ScaleRequest request;
    request.pricePerInstanceMonth = pricePerInstanceMonth;
    return request;
}

} // namespace querydeck
