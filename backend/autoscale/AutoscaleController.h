#pragma once

#include "backend/autoscale/AutoscalePolicy.h"
#include "backend/common/Clock.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <deque>
#include <memory>
#include <mutex>

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
// queued on the set's own thread, and the current count comes in through
// setReplicaCount() (connect the set's replicasChanged to it, queued).
// history() may be called from any thread.
class AutoscaleController : public QObject
{
    Q_OBJECT

public:
    static constexpr int kHistoryLimit = 500;

    AutoscaleController(const TimeSeriesStore& store, std::unique_ptr<AutoscalePolicy> policy,
                        AutoscaleMetrics metrics = {}, Clock clock = systemClock(),
                        QObject* parent = nullptr);
    ~AutoscaleController() override;

    // An expression that does not parse; empty when all three do.
    QString metricsError() const { return m_metricsError; }
    void setReplicaSet(ReplicaSet* replicas);
    std::vector<ScaleDecision> history() const;
    AutoscaleMode mode() const { return m_mode; }
    MetricSnapshot readMetrics() const;

public slots:
    void setMode(querydeck::AutoscaleMode mode);
    void setReplicaCount(int count);
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
    QPointer<ReplicaSet> m_replicaSet;
    QTimer m_timer;
    mutable std::mutex m_historyMutex;
    std::deque<ScaleDecision> m_history;
};

} // namespace querydeck
