#pragma once

#include "backend/alerting/AlertRule.h"

#include <QString>
#include <vector>

namespace querydeck {

class AlertEngine;
class MainWindow;
class TimeSeriesStore;
class WallWindow;

// Connects the AlertEngine (telemetry thread) to the windows (GUI thread):
// snapshots and history into the alerts dock, the tray, the panels' threshold
// lines and the wall banner; silences, acknowledgements and the threshold
// wizard's saves back to the engine. Every crossing is a queued call — the
// GUI never waits on the engine, and the engine's state is only touched on
// its own thread.
namespace AlertsWiring {

// `rules` and `rulesFile`: what the engine started with, so the windows
// draw thresholds before the first evaluation.
void connectMain(AlertEngine* engine, const TimeSeriesStore& store,
                 const std::vector<AlertRule>& rules, const QString& rulesFile, MainWindow* main);
void connectWall(AlertEngine* engine, const std::vector<AlertRule>& rules, WallWindow* wall);

} // namespace AlertsWiring

} // namespace querydeck
