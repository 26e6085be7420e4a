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

#include "backend/autoscale/AutoscalePolicy.h"
#include "backend/common/Clock.h"
#include "backend/fleet/ReplicaCounts.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace querydeck {

class ReplicaSet;
class TimeSeriesStore;

// Where the auto-scaler reads its three inputs from, as Expressions over the
// console's TimeSeriesStore. Each should give one series.
struct AutoscaleMetrics
{
    QString cpuPercent = QStringLiteral("avg(rate(querydeck_process_cpu_seconds_total[1m])) * 100");
    QString latencySeconds = QStringLiteral(
        "sum(rate(querydeck_http_request_duration_seconds_sum{route=\"/v1/query\"}[1m])) / "
        "sum(rate(querydeck_http_request_duration_seconds_count{route=\"/v1/query\"}[1m]))");
    QString queueDepth = QStringLiteral("sum(querydeck_generation_queue_depth)");
};

// Runs a policy on a timer: reads the metrics from the store, asks the
// policy, logs every decision with its inputs, keeps a bounded history and,
// in apply mode, asks the ReplicaSet to scale. Meant for the telemetry
// thread; the ReplicaSet may live on another thread — scale() is invoked
// queued on the set's own thread, and the current counts come in through
// setReplicaCounts() (connect the set's replicasChanged to it, queued): the
// policy decides from the working replicas and replaces failed ones.
// history() may be called from any thread.
class AutoscaleOperator : public QObject
{
    Q_OBJECT

public:
    static constexpr int kHistoryLimit = 500;

    AutoscaleOperator(const TimeSeriesStore& store, std::unique_ptr<AutoscalePolicy> policy,
                      AutoscaleMetrics metrics = {}, Clock clock = systemClock(),
                      QObject* parent = nullptr);
    ~AutoscaleOperator() override;

    // An expression that does not parse; empty when all three do.
    QString metricsError() const { return m_metricsError; }
    void setReplicaSet(ReplicaSet* replicas);
    std::vector<ScaleDecision> history() const;
    AutoscaleMode mode() const { return m_mode; }
    MetricSnapshot readMetrics() const;

public slots:
    void setMode(querydeck::AutoscaleMode mode);
    // The desired count alone: every replica is taken as working.
    void setReplicaCount(int count);
    void setReplicaCounts(const querydeck::ReplicaCounts& counts);
    void start(int intervalMs);
    void stop();
    // One evaluation now (also what the timer calls).
    void evaluate();

signals:
    void decided(const querydeck::ScaleDecision& decision, querydeck::AutoscaleMode mode);
    void modeChanged(querydeck::AutoscaleMode mode);

private:
    struct Parsed;
    const TimeSeriesStore& m_store;
    std::unique_ptr<AutoscalePolicy> m_policy;
    std::unique_ptr<Parsed> m_parsed;
    QString m_metricsError;
    Clock m_clock;
    AutoscaleMode m_mode = AutoscaleMode::Recommend;
    int m_replicas = -1;
    std::optional<ReplicaCounts> m_counts; // nullopt: only the desired count is known
    QPointer<ReplicaSet> m_replicaSet;
    QTimer m_timer;
    mutable std::mutex m_historyMutex;
    std::deque<ScaleDecision> m_history;
};

} // namespace querydeck
