#pragma once

#include "backend/config/FleetCommandConfig.h"

#include <QObject>
#include <QPointer>
#include <memory>
#include <vector>

namespace querydeck {

class AutoscaleOperator;
class ReplicaScrapeSources;
class ReplicaSet;
class TelemetryThread;

// Hosts the headless fleet's auto-scaler (`fleet.autoscaler` of `querydeck
// fleet --config`): scrapes every replica's /metrics into a TimeSeriesStore
// (ReplicaScrapeSources into a TelemetryEngine, as the console does), runs an
// AutoscaleOperator over that store and logs every decision with its inputs —
// changes at info by the operator, holds at info here, so a server log shows
// why the count stays. In apply mode the operator scales the set.
//
// Thread rules: create and call on the set's thread. The engine and the
// operator live on a telemetry thread of their own; the operator reaches the
// set through queued calls. stop() waits until no decision can follow.
class AutoscaleHost : public QObject
{
    Q_OBJECT

public:
    AutoscaleHost(ReplicaSet* set, FleetCommandConfig config, QObject* parent = nullptr);
    ~AutoscaleHost() override;

    // Starts scraping and deciding. Returns an error (a metric expression
    // that does not parse), empty on success. Mode off: nothing starts.
    QString start();
    // No decision is made or applied once this returns.
    void stop();
    // The operator's decisions so far (bounded), also after stop(); empty
    // when it never started.
    std::vector<ScaleDecision> history() const;

private:
    QPointer<ReplicaSet> m_set;
    FleetCommandConfig m_config;
    std::unique_ptr<TelemetryThread> m_telemetry;
    ReplicaScrapeSources* m_sources = nullptr;
    AutoscaleOperator* m_operator = nullptr; // on the telemetry thread, deleted with it
    bool m_stopped = false;
};

} // namespace querydeck
