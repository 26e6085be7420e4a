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

#include "backend/common/Clock.h"
#include "backend/fleet/ReplicaSet.h"
#include "backend/scaling/FleetAdvisor.h"
#include "backend/scaling/PreflightCheck.h"
#include "backend/scaling/ReplicaTraffic.h"
#include "backend/scaling/ScaleRequest.h"

#include <QPointer>
#include <QTimer>
#include <memory>
#include <optional>
#include <vector>

namespace querydeck {

class FleetProbe;

// Executes what the scale wizard collected: pre-flight checks, the scale
// itself with progress per replica, a verification that reads real state
// (every replica ready and receiving traffic, error rate not worse), and a
// rollback to the previous count. Pages talk to this object only (through a
// ScaleOperatorMirror when it runs on another thread); it talks to the ReplicaSet and
// the FleetProbe. Lives on the ReplicaSet's thread (the console's control
// thread) and may be moved there with moveToThread before it is used.
class ScaleOperator : public QObject
{
    Q_OBJECT

public:
    ScaleOperator(ReplicaSet* replicas, std::shared_ptr<FleetProbe> probe,
                  QObject* parent = nullptr);
    ~ScaleOperator() override;

    void addCheck(std::unique_ptr<PreflightCheck> check);
    QStringList checkNames() const;
    ReplicaSet* replicaSet() const { return m_replicas; }
    // Set at construction and never changed: safe to share with other threads.
    std::shared_ptr<FleetProbe> probe() const { return m_probe; }
    // The measured state now, with the replica set's count.
    FleetState currentState() const;
    // The probe's reading (none: empty) with the set's replica counts (none:
    // zero replicas): what currentState() and the GUI-thread mirror show.
    static FleetState stateOf(const FleetProbe* probe, const ReplicaSet* replicas);
    // What times the apply (a ManualClock in tests); the system clock by default.
    void setClock(Clock clock) { m_clock = std::move(clock); }

public slots:
    void runPreflight(const querydeck::ScaleRequest& request);
    void apply(const querydeck::ScaleRequest& request);
    void verify(const querydeck::ScaleRequest& request);
    void rollback(const querydeck::ScaleRequest& request);
    // Stops waiting (a scale already sent to the replica set is not undone).
    void cancel();

signals:
    void checkFinished(int index, const QString& name, const querydeck::CheckResult& result);
    void preflightFinished(bool canProceed); // false when any check failed
    void progress(const QString& message);
    void replicasUpdated(const QList<querydeck::ReplicaInfo>& replicas);
    // elapsedMs: from apply() until the set reported the scale done (or failed).
    void applyFinished(bool ok, const QString& error, qint64 elapsedMs);
    // traffic: per ready replica, the queries it answered in the window.
    void verifyFinished(bool ok, const QStringList& lines,
                        const QList<querydeck::ReplicaTraffic>& traffic);
    void rollbackFinished(bool ok, const QString& error);

private:
    void runCheck(int index, const ScaleRequest& request);
    void scaleAndWait(int count, std::function<void(bool, const QString&)> done);
    void requestRefresh();
    void finishVerify(const ScaleRequest& request);

    QPointer<ReplicaSet> m_replicas;
    std::shared_ptr<FleetProbe> m_probe;
    std::vector<std::unique_ptr<PreflightCheck>> m_checks;
    bool m_anyFailed = false;
    int m_generation = 0; // bumps on cancel so stale callbacks do nothing
    QMetaObject::Connection m_scaleConnection;
    QMetaObject::Connection m_progressConnection;
    std::optional<double> m_errorBefore;
    Clock m_clock = systemClock();
    qint64 m_applyStartedMs = 0;
    QTimer* m_verifyTimer; // a child, so it moves with the controller
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::ScaleRequest)
Q_DECLARE_METATYPE(querydeck::CheckResult)
