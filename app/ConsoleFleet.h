#pragma once

#include "config/ConsoleConfig.h"
#include "config/ServiceConfig.h"

#include <QObject>
#include <QPointer>
#include <memory>

class QThread;

namespace querydeck {

class AutoscaleController;
class MainWindow;
class ReplicaSet;
class ScaleController;
class SecretStore;
class TelemetryEngine;

// The console's fleet (console.fleet / console.autoscaler): builds the
// configured ReplicaSet, the ScaleController with its pre-flight checks and
// the AutoscaleController, adds a ScrapeSource per replica address (label
// instance="host:port", which the scale wizard's verify step reads), and
// attaches the replicas dock, the Fleet menu and the auto-scaler panel.
//
// Thread rules: the ReplicaSet and the ScaleController live on the GUI thread,
// because the replicas dock, the wizard and the quick scale dialog call them
// directly; both are asynchronous (QProcess and network signals, no waits).
// The AutoscaleController runs on the telemetry thread beside the store it
// reads and reaches the set only through queued calls.
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
    ReplicaSet* replicaSet() const { return m_set; }
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
    QPointer<ReplicaSet> m_set;
    ScaleController* m_scale = nullptr;
    AutoscaleController* m_autoscaler = nullptr; // on the control thread
    int m_firstReplicaPort = 0;
};

} // namespace querydeck
