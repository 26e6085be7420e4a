#pragma once

#include "backend/autoscale/AutoscalerConsoleConfig.h"
#include "backend/common/LoadResult.h"
#include "backend/scaling/FleetConsoleConfig.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <memory>

namespace querydeck {

class AutoscalePolicy;

// The top-level "fleet" section of the config file: what the headless
// `querydeck fleet` runs beside its replicas. Its "autoscaler" block has the
// fields of console.autoscaler (one reader for both); a fleet on a server
// has no console, so it does not read the console's block.
struct FleetCommandConfig
{
    int scrapeIntervalMs = 5000; // each replica's /metrics, for the auto-scaler
    AutoscalerConsoleConfig autoscaler;
    FrontDoorLimits frontDoor; // fleet.front_door: nginx's client timeouts and per-address limit

    friend bool operator==(const FleetCommandConfig&, const FleetCommandConfig&) = default;
};

// Each error names the dotted field ("fleet.autoscaler.mode: ...").
using FleetCommandConfigLoadResult = LoadResult<FleetCommandConfig>;

// Reads the "fleet" section of the same JSON file ConfigLoader reads (that
// loader leaves the section to this one). Stateless; any thread.
class FleetCommandConfigLoader
{
public:
    static FleetCommandConfigLoadResult loadFile(const QString& path);
    static FleetCommandConfigLoadResult loadJson(const QByteArray& json);
};

// The policy an auto-scaler config names ("rules" or "hpa"), with its settings.
std::unique_ptr<AutoscalePolicy> makeAutoscalePolicy(const AutoscalerConsoleConfig& config);

} // namespace querydeck
