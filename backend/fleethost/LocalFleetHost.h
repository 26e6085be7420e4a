#pragma once

// Names across fleet/, scaling/, autoscale/ and fleethost/: one word, one role.
//   ...Set       the replicas themselves (ReplicaSet, LocalReplicaSet,
//                KubernetesReplicaSet); lives on the fleet thread (the
//                console's control thread, the `fleet` command's main thread).
//   ...Policy    decides: pure and deterministic, no I/O, no clock of its own
//                (AutoscalePolicy, RulePolicy, HpaPolicy); one owner, any thread.
//   ...Advisor   recommends to a person: pure (FleetAdvisor).
//   ...Probe     measures, never acts (FleetProbe, StoreFleetProbe); any thread.
//   ...Check     one pre-flight precondition of a scale (PreflightCheck and kin).
//   ...Simulator replays a Policy offline over a load profile (AutoscaleSimulator).
//   ...Operator  acts: asks a ReplicaSet to scale and follows it; lives off the
//                GUI thread (ScaleOperator: the scale wizard's preflight, apply,
//                verify, rollback; AutoscaleOperator: a Policy on a timer).
//   ...Mirror    stands in on the GUI thread for an object on the fleet thread:
//                a snapshot plus queued forwarding, never waits
//                (ReplicaSetMirror, ScaleOperatorMirror).
//   ...Host      builds and owns a group of the above, puts each on its thread,
//                wires them and tears them down in order (FleetThreadHost,
//                AutoscaleHost, LocalFleetHost, ConsoleFleetHost).

#include "backend/config/FleetCommandConfig.h"
#include "backend/fleet/LocalFleetOptions.h"

#include <QObject>
#include <memory>

namespace querydeck {

class AutoscaleHost;
class LocalReplicaSet;

// Hosts the headless `querydeck fleet`: a LocalReplicaSet (the replicas behind
// a managed nginx) and, once the first scale has every replica ready, its
// AutoscaleHost. Logs the set's events (replica output at debug), starts at
// the asked count, and on a signal stops the auto-scaler before it drains and
// stops everything; finished() reports the exit code once the set is down.
//
// Thread rules: create, start and shut down on one thread with an event loop
// (the command's main thread, where the set lives). stopOnSignal() is the one
// call allowed from any thread (the thread that waits for SIGTERM/SIGINT): it
// queues the shutdown here.
class LocalFleetHost : public QObject
{
    Q_OBJECT

public:
    LocalFleetHost(LocalFleetOptions options, FleetCommandConfig config, QObject* parent = nullptr);
    ~LocalFleetHost() override;

    // The auto-scaler may run the fleet up to its maximum: that many must fit
    // in the local fleet's limits and ports. An error naming the config field,
    // empty when it fits (or the auto-scaler is off).
    static QString autoscalerFitError(const LocalFleetOptions& options,
                                      const FleetCommandConfig& config);
    // Makes `dir` (empty: querydeck-fleet-<frontPort> in the user's runtime
    // folder, else the temp folder) and turns it absolute; false when it
    // cannot be created (`dir` then names what was tried).
    static bool prepareRuntimeDir(QString& dir, int frontPort);

    // Scales the set to `count`; the auto-scaler starts once that succeeded,
    // a failure shuts the fleet down with exit code 1.
    void start(int count);
    // Stops the auto-scaler (no scaling while the fleet drains) and shuts the set down.
    void shutdown();
    // Any thread: logs the signal and queues shutdown() on this object's thread.
    void stopOnSignal(int signal);

    LocalReplicaSet* replicaSet() const { return m_set.get(); }
    AutoscaleHost* autoscaler() const { return m_autoscaler.get(); }
    const LocalFleetOptions& options() const { return m_options; }

signals:
    // The set has shut down; the exit code of the command (0 after a signal,
    // 1 when the start or the auto-scaler failed).
    void finished(int exitCode);

private:
    void onScaleFinished(bool ok, const QString& error);

    LocalFleetOptions m_options;
    std::unique_ptr<LocalReplicaSet> m_set;
    std::unique_ptr<AutoscaleHost> m_autoscaler; // after the set: deleted before it
    int m_count = 0;
    bool m_started = false;
    int m_exitCode = 0;
};

} // namespace querydeck
