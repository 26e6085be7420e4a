#include "backend/autoscale/AutoscalePolicy.h"

#include <algorithm>
#include <cmath>

namespace querydeck {

AutoscalePolicy::AutoscalePolicy(int minReplicas, int maxReplicas, StepLimits up, StepLimits down)
    : m_min(std::max(0, minReplicas))
    , m_max(std::max(std::max(0, minReplicas), maxReplicas))
    , m_up(std::move(up))
    , m_down(std::move(down))
{
}

std::optional<FieldProblem> AutoscalePolicy::boundsProblem(int minReplicas, int maxReplicas)
{
    if (minReplicas < 1 || minReplicas > 1000)
        return FieldProblem{QStringLiteral("min_replicas"),
                            QStringLiteral("must be in 1..1000, got %1").arg(minReplicas)};
    if (maxReplicas < minReplicas || maxReplicas > 1000)
        return FieldProblem{QStringLiteral("max_replicas"),
                            QStringLiteral("must be in min_replicas..1000 = %1..1000, got %2")
                                .arg(minReplicas)
                                .arg(maxReplicas)};
    return std::nullopt;
}

std::optional<FieldProblem> AutoscalePolicy::stepLimitsProblem(const StepLimits& up,
                                                               const StepLimits& down)
{
    for (auto [name, limits] : {std::pair{"scale_up.", &up}, {"scale_down.", &down}})
        if (auto p = limits->problem()) {
            p->field.prepend(QLatin1String(name));
            return p;
        }
    return std::nullopt;
}

void AutoscalePolicy::reset()
{
    m_lastReplicas = -1;
    m_lastUp = 0;
    m_lastDown = 0;
    m_changes.clear();
}

void AutoscalePolicy::observe(const MetricSnapshot& snapshot)
{
    if (m_lastReplicas >= 0 && snapshot.replicas != m_lastReplicas) {
        const int delta = snapshot.replicas - m_lastReplicas;
        (delta > 0 ? m_lastUp : m_lastDown) = snapshot.t;
        m_changes.push_back({snapshot.t, delta});
    }
    m_lastReplicas = snapshot.replicas;
    int longest = 0;
    for (const StepLimits* limits : {&m_up, &m_down})
        for (const StepPolicy& policy : limits->policies)
            longest = std::max(longest, policy.periodSeconds);
    while (!m_changes.empty() && m_changes.front().t <= snapshot.t - qint64(longest) * 1000)
        m_changes.pop_front();
}

// As the HPA controller: the count at the start of each policy's period is the
// current count minus the changes made since; each policy allows a change
// relative to it; Max picks the loosest limit, Min the tightest.
int AutoscalePolicy::limitUp(int current, int desired, qint64 now) const
{
    if (m_up.select == StepLimits::Select::Disabled)
        return current;
    if (m_up.policies.isEmpty())
        return desired;
    std::optional<int> limit;
    for (const StepPolicy& policy : m_up.policies) {
        int added = 0;
        for (const Change& change : m_changes)
            if (change.t > now - qint64(policy.periodSeconds) * 1000 && change.delta > 0)
                added += change.delta;
        const int start = current - added;
        const int allowed = policy.type == StepPolicy::Type::Pods
                                ? start + policy.value
                                : int(std::ceil(start * (1.0 + policy.value / 100.0)));
        if (!limit)
            limit = allowed;
        else
            limit = m_up.select == StepLimits::Select::Max ? std::max(*limit, allowed)
                                                           : std::min(*limit, allowed);
    }
    return std::max(current, std::min(desired, *limit));
}

int AutoscalePolicy::limitDown(int current, int desired, qint64 now) const
{
    if (m_down.select == StepLimits::Select::Disabled)
        return current;
    if (m_down.policies.isEmpty())
        return desired;
    std::optional<int> limit;
    for (const StepPolicy& policy : m_down.policies) {
        int removed = 0;
        for (const Change& change : m_changes)
            if (change.t > now - qint64(policy.periodSeconds) * 1000 && change.delta < 0)
                removed -= change.delta;
        const int start = current + removed;
        const int allowed = policy.type == StepPolicy::Type::Pods
                                ? start - policy.value
                                : int(std::ceil(start * (1.0 - policy.value / 100.0)));
        if (!limit)
            limit = allowed;
        else
            limit = m_down.select == StepLimits::Select::Max ? std::min(*limit, allowed)
                                                             : std::max(*limit, allowed);
    }
    return std::min(current, std::max(desired, *limit));
}

ScaleDecision AutoscalePolicy::evaluate(const MetricSnapshot& snapshot)
{
    observe(snapshot);
    ScaleDecision decision;
    decision.t = snapshot.t;
    decision.current = snapshot.replicas;
    decision.inputs = snapshot;

    // A failed replica is not capacity: the policy decides from the working
    // replicas (its metrics come from them) and asks for the failed ones on
    // top, so the set replaces them; min and max bound the set's count.
    const int current = snapshot.replicas;
    const int failed = snapshot.failedSlots();
    const int working = current - failed;
    const QString failedNote =
        failed == 0 ? QString()
                    : QStringLiteral("; %1 of %2 replicas failed, not counted as capacity")
                          .arg(failed)
                          .arg(current);
    if (current > m_max) {
        decision.desired = m_max;
        decision.reason = QStringLiteral("above the maximum of %1").arg(m_max);
        return decision;
    }
    if (working < m_min) {
        decision.desired = std::min(m_max, m_min + failed);
        decision.reason = failed == 0 ? QStringLiteral("below the minimum of %1").arg(m_min)
                                      : QStringLiteral("%1 working, below the minimum of %2%3")
                                            .arg(working)
                                            .arg(m_min)
                                            .arg(failedNote);
        if (decision.desired < m_min + failed)
            decision.reason += QStringLiteral("; capped at the maximum of %1").arg(m_max);
        return decision;
    }

    MetricSnapshot basis = snapshot;
    basis.replicas = working;
    Proposal proposal = propose(basis);
    int desired = proposal.desired + failed;
    QString reason = proposal.reason + failedNote;
    if (desired > current) {
        const int limited = limitUp(current, desired, snapshot.t);
        if (limited < desired)
            reason += QStringLiteral("; step limit allows %1").arg(limited);
        desired = limited;
    } else if (desired < current) {
        const int limited = limitDown(current, desired, snapshot.t);
        if (limited > desired)
            reason += QStringLiteral("; step limit allows %1").arg(limited);
        desired = limited;
    }
    if (desired > m_max) {
        desired = m_max;
        reason += QStringLiteral("; capped at the maximum of %1").arg(m_max);
    } else if (desired - failed < m_min) {
        desired = std::min(m_max, m_min + failed);
        reason += QStringLiteral("; held at the minimum of %1").arg(m_min);
    }
    decision.desired = desired;
    decision.reason = reason;
    return decision;
}

} // namespace querydeck
