#pragma once

#include "backend/autoscale/AutoscaleSimulator.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/service/ServiceConfig.h"

#include <QObject>
#include <functional>
#include <memory>
#include <vector>

class QThread;

namespace querydeck {

class AutoscaleOperator;
class FleetThreadHost;
class ReplicaSet;
class ReplicaSetMirror;
class ScaleOperator;
class ScaleOperatorMirror;
class SecretStore;
class TelemetryEngine;

// Hosts the console's fleet (console.fleet / console.autoscaler): builds the
// configured ReplicaSet, the ScaleOperator with its pre-flight checks and the
// AutoscaleOperator, and adds a ScrapeSource per replica address (label
// instance="host:port", which the scale wizard's verify step reads). The
// window side (replicas dock, Fleet menu, auto-scaler panel) is attached by
// ui/shell/FleetAttachment from what this host hands out.
//
// Thread rules: the ReplicaSet (its QProcess children, nginx and network
// replies), the ScaleOperator and the AutoscaleOperator live on the control
// thread. The GUI reaches them only through a ReplicaSetMirror (the latest
// replica snapshot, updated by queued signals; scale, restart and drain
// forwarded with queued calls) and a ScaleOperatorMirror (the wizard's and the
// quick scale dialog's handle), both on the GUI thread, so no widget waits on
// a process or a socket (see FleetThreadHost). Create and call it on the GUI
// thread. The destructor stops the auto-scaler, then deletes the operator and
// the set on the control thread (killing what still runs, with bounded waits
// there) before it may quit.
class ConsoleFleetHost : public QObject
{
    Q_OBJECT

public:
    ConsoleFleetHost(ConsoleConfig console, ServiceConfig service, TelemetryEngine* engine,
                     QThread* controlThread, QObject* parent = nullptr);
    ~ConsoleFleetHost() override;

    // The `querydeck` binary a local fleet runs as `serve` replicas; this
    // process's own executable unless set before start().
    void setServeBinary(const QString& path) { m_serveBinary = path; }

    // Builds the configured set and starts it at its configured count. Returns
    // an error, empty on success (and when the fleet kind is "none").
    QString start();

    // On the GUI thread, nullptr without a fleet: the set as this thread sees
    // it, and the scale wizard's handle on the ScaleOperator.
    ReplicaSetMirror* mirror() const { return m_mirror; }
    ScaleOperatorMirror* scaleMirror() const;
    // On the control thread: only for connections made with a context there,
    // and (the auto-scaler) for queued signal connections and queued calls.
    ReplicaSet* remoteSet() const { return m_set; }
    ScaleOperator* remoteScaleOperator() const { return m_scale; }
    AutoscaleOperator* autoscaler() const { return m_autoscaler; }

    const ConsoleConfig& console() const { return m_console; }
    // Where traffic for the fleet goes (the nginx front door); empty without a local fleet.
    QString frontAddress() const { return m_frontAddress; }
    // A local fleet's folder of nginx and replica logs; empty otherwise.
    QString runtimeDir() const { return m_runtimeDir; }
    // The log file of a replica the mirror lists; empty when there is none.
    QString replicaLogPath(const QString& id) const;
    // What the scale wizard starts from: the configured price and the first
    // replica port.
    ScaleRequest scaleDefaults() const;

    // Loads the load profile of the last spanMs from stored history beside the
    // auto-scaler (the store takes reads from any thread) and calls `done` on
    // the thread of `context`, unless it is gone: demand = the fleet's average
    // CPU x the replicas that reported it.
    using ProfileCallback =
        std::function<void(const std::vector<LoadPoint>& profile, const QString& error)>;
    void loadHistory(qint64 spanMs, QObject* context, ProfileCallback done) const;

private:
    void addChecks();
    void startAutoscaler();

    ConsoleConfig m_console;
    ServiceConfig m_service;
    TelemetryEngine* m_engine;
    QThread* m_controlThread;
    QString m_serveBinary;
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
