#include "backend/autoscale/AutoscaleOperator.h"

#include "backend/fleet/ReplicaSet.h"
#include "backend/logging/Logging.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/TimeSeriesStore.h"
#include "backend/scaling/FleetProbe.h"

#include <cmath>

namespace querydeck {

struct AutoscaleOperator::Parsed
{
    Expression cpu;
    Expression latency;
    Expression queue;
};

AutoscaleOperator::AutoscaleOperator(const TimeSeriesStore& store,
                                     std::unique_ptr<AutoscalePolicy> policy,
                                     AutoscaleMetrics metrics, Clock clock, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_policy(std::move(policy))
    , m_parsed(std::make_unique<Parsed>())
    , m_clock(std::move(clock))
    , m_timer(this) // a child, so moveToThread() takes the timer along
{
    qRegisterMetaType<ScaleDecision>();
    qRegisterMetaType<AutoscaleMode>();
    m_parsed->cpu = Expression::parse(metrics.cpuPercent);
    m_parsed->latency = Expression::parse(metrics.latencySeconds);
    m_parsed->queue = Expression::parse(metrics.queueDepth);
    for (auto [name, e] : {std::pair{"cpuPercent", &m_parsed->cpu},
                           {"latencySeconds", &m_parsed->latency},
                           {"queueDepth", &m_parsed->queue}})
        if (!e->isValid() && m_metricsError.isEmpty())
            m_metricsError = QStringLiteral("autoscaler.metrics.%1: %2").arg(name, e->error());
    connect(&m_timer, &QTimer::timeout, this, &AutoscaleOperator::evaluate);
}

AutoscaleOperator::~AutoscaleOperator() = default;

void AutoscaleOperator::setReplicaSet(ReplicaSet* replicas)
{
    m_replicaSet = replicas;
}

void AutoscaleOperator::setMode(AutoscaleMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    log::get("autoscaler")->info("mode {}", autoscaleModeName(mode).toStdString());
    emit modeChanged(mode);
}

void AutoscaleOperator::setReplicaCount(int count)
{
    m_replicas = count;
    m_counts.reset();
}

void AutoscaleOperator::setReplicaCounts(const ReplicaCounts& counts)
{
    m_replicas = counts.desired;
    m_counts = counts;
}

void AutoscaleOperator::start(int intervalMs)
{
    m_timer.start(std::max(100, intervalMs));
}

void AutoscaleOperator::stop()
{
    m_timer.stop();
}

MetricSnapshot AutoscaleOperator::readMetrics() const
{
    MetricSnapshot s;
    s.t = m_clock();
    s.replicas = m_replicas;
    if (m_counts) {
        s.working = m_counts->working();
        s.ready = m_counts->ready;
        s.failed = m_counts->failed;
    }
    const auto value = [&](const Expression& e) { return instantValue(e, m_store, s.t); };
    s.cpuPercent = value(m_parsed->cpu);
    s.latencySeconds = value(m_parsed->latency);
    s.queueDepth = value(m_parsed->queue);
    return s;
}

std::vector<ScaleDecision> AutoscaleOperator::history() const
{
    std::lock_guard lock(m_historyMutex);
    return {m_history.begin(), m_history.end()};
}

void AutoscaleOperator::evaluate()
{
    if (m_mode == AutoscaleMode::Off)
        return;
    ScaleDecision decision;
    if (m_replicas < 0) {
        decision.t = m_clock();
        decision.reason = QStringLiteral("hold: the replica count is not known yet");
        decision.inputs = readMetrics();
    } else {
        decision = m_policy->evaluate(readMetrics());
    }
    {
        std::lock_guard lock(m_historyMutex);
        m_history.push_back(decision);
        while (m_history.size() > std::size_t(kHistoryLimit))
            m_history.pop_front();
    }
    auto logger = log::get("autoscaler");
    if (decision.changes())
        logger->info("{} [{}]", decision.describe().toStdString(),
                     autoscaleModeName(m_mode).toStdString());
    else
        logger->debug("{}", decision.describe().toStdString());
    if (m_mode == AutoscaleMode::Apply && decision.changes() && m_replicaSet) {
        const int desired = decision.desired;
        QPointer<ReplicaSet> set = m_replicaSet;
        QMetaObject::invokeMethod(
            set.data(),
            [set, desired] {
                if (set)
                    set->scale(desired);
            },
            Qt::QueuedConnection);
    }
    emit decided(decision, m_mode);
}

} // namespace querydeck
