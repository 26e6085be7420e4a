#pragma once

namespace querydeck {

class ConsoleFleetHost;
class MainWindow;

// Puts the console's fleet into the main window: the replicas dock (tabbed
// with Logs, replica logs resolved through the host), the Fleet menu's scale
// wizard and quick scale dialog (through the host's ScaleOperatorMirror), the
// auto-scaler panel (mode requests and decisions through queued connections
// to the AutoscaleOperator; history simulation through the host) and the
// replica count in the status bar. Without a fleet it adds nothing.
// GUI thread only.
class FleetAttachment
{
public:
    static void attach(ConsoleFleetHost* fleet, MainWindow* main);
};

} // namespace querydeck
