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

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace querydeck {

enum class ReplicaState
{
    Starting,
    Ready,
    Draining,
    Stopped,
    Failed
};

QString replicaStateName(ReplicaState state);

// One replica of the query service as its replica set sees it.
struct ReplicaInfo
{
    QString id;      // "1", "2", … locally; the pod name on Kubernetes
    QString address; // host:port the replica serves on ("" when not known)
    ReplicaState state = ReplicaState::Starting;
    int inFlight = -1; // requests in flight, -1 when not known
    int restarts = 0;
    QDateTime startedAt; // invalid when not running
    qint64 pid = 0;      // local replicas: the process id while running, else 0
};

// The replicas of one query service, wherever they run: local child processes
// behind nginx, or a Kubernetes Deployment. Every operation is asynchronous —
// it returns at once and reports through signals — so the GUI and the
// telemetry thread never wait on a process or a socket. Lives on the thread
// that created it.
class ReplicaSet : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~ReplicaSet() override = default;

    virtual QString kind() const = 0; // "local", "kubernetes"
    virtual QList<ReplicaInfo> replicas() const = 0;
    virtual int desiredCount() const = 0;

    // Changes the number of replicas; scale-down drains before it stops.
    virtual void scale(int count) = 0;
    virtual void restart(const QString& id) = 0;
    virtual void drain(const QString& id) = 0;

signals:
    void replicasChanged();
    // A human-readable line for the event log: "replica 3 ready on 127.0.0.1:8103".
    void event(const QString& message);
    // A scale() finished: every replica asked for is ready (ok) or it gave up (error).
    void scaleFinished(bool ok, const QString& error);
};

} // namespace querydeck
