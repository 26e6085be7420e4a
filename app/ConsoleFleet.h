#pragma once

#include "backend/config/ConsoleConfig.h"
#include "backend/service/ServiceConfig.h"

#include <QObject>
#include <memory>

class QThread;

namespace querydeck {

class AutoscaleOperator;
class MainWindow;
class ReplicaSet;
class ReplicaSetMirror;
class ScaleOperator;
class FleetThreadHost;
class SecretStore;
class TelemetryEngine;

// The console's fleet (console.fleet / console.autoscaler): builds the
// configured ReplicaSet, the ScaleOperator with its pre-flight checks and
// the AutoscaleOperator, adds a ScrapeSource per replica address (label
// instance="host:port", which the scale wizard's verify step reads), and
// attaches the replicas dock, the Fleet menu and the auto-scaler panel.
//
// Thread rules: the ReplicaSet (its QProcess children, nginx and network
// replies), the ScaleOperator and the AutoscaleOperator live on the
// control thread. The GUI reaches them only through a ReplicaSetMirror (the
// latest replica snapshot, updated by queued signals; scale, restart and drain
// forwarded with queued calls) and a ScaleOperatorMirror (the wizard's and the quick
// scale dialog's handle), both on the GUI thread, so no widget waits on a
// process or a socket (see FleetThreadHost). The destructor stops the
// autoscaler, then deletes the controller and the set on the control thread
// (killing what still runs, with bounded waits there) before it may quit.
class ConsoleFleet : public QObject
{
    Q_OBJECT

public:
    ConsoleFleet(ConsoleConfig console, ServiceConfig service, TelemetryEngine* engine,
                 QThread* controlThread, QObject* parent = nullptr);
    ~ConsoleFleet() override;

    // Builds the configured set and starts it at its configured count. Returns
    // an error, empty on success (and when the fleet kind is "none").
    QString start();
    void attach(MainWindow* main);
    // The set as the GUI thread sees it (the mirror); nullptr without a fleet.
    ReplicaSet* replicaSet() const;
    // Where traffic for the fleet goes (the nginx front door); empty without a local fleet.
    QString frontAddress() const;

private:
    void addChecks();
    void startAutoscaler();

    ConsoleConfig m_console;
    ServiceConfig m_service;
    TelemetryEngine* m_engine;
    QThread* m_controlThread;
    std::shared_ptr<SecretStore> m_secrets;
    ReplicaSet* m_set = nullptr;          // on the control thread once m_fleet has it
    ScaleOperator* m_scale = nullptr;     // likewise
    FleetThreadHost* m_fleet = nullptr;   // owns both; deleted first in the destructor
    ReplicaSetMirror* m_mirror = nullptr; // m_fleet's, on the GUI thread
    QString m_frontAddress;
    QString m_runtimeDir;
    AutoscaleOperator* m_autoscaler = nullptr; // on the control thread
    int m_firstReplicaPort = 0;
};

} // namespace querydeck
