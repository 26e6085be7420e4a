#include "backend/alerting/AlertStateMachine.h"

namespace querydeck {

AlertStateMachine::AlertStateMachine(const AlertRule& rule)
    : m_rule(rule)
{
}

std::optional<AlertTransition> AlertStateMachine::step(qint64 t, std::optional<double> value,
                                                       const QString& error)
{
    m_status.lastEvalMs = t;
    m_status.value = error.isEmpty() ? value : std::nullopt;
    m_status.error = error;
    if (!error.isEmpty()) {
        auto transition = moveTo(AlertState::Error, t);
        if (transition)
            transition->error = error;
        return transition;
    }
    if (!value) {
        switch (m_rule.noData) {
        case NoDataBehaviour::Ok:
            return onClear(t);
        case NoDataBehaviour::Alerting:
            return onBreach(t);
        case NoDataBehaviour::NoData:
            return moveTo(AlertState::NoData, t);
        }
    }
    return m_rule.breaches(*value) ? onBreach(t) : onClear(t);
}

std::optional<AlertTransition> AlertStateMachine::onBreach(qint64 t)
{
    switch (m_status.state) {
    case AlertState::Normal:
    case AlertState::NoData:
    case AlertState::Error:
        m_status.activeSinceMs = t;
        return moveTo(m_rule.forMs <= 0 ? AlertState::Firing : AlertState::Pending, t);
    case AlertState::Pending:
        if (t - m_status.activeSinceMs >= m_rule.forMs)
            return moveTo(AlertState::Firing, t);
        return std::nullopt;
    case AlertState::Firing:
        return std::nullopt;
    case AlertState::Recovering:
        return moveTo(AlertState::Firing, t);
    }
    return std::nullopt;
}

std::optional<AlertTransition> AlertStateMachine::onClear(qint64 t)
{
    switch (m_status.state) {
    case AlertState::Normal:
        return std::nullopt;
    case AlertState::Pending:
    case AlertState::NoData:
    case AlertState::Error:
        return moveTo(AlertState::Normal, t);
    case AlertState::Firing:
        return moveTo(m_rule.keepFiringForMs <= 0 ? AlertState::Normal : AlertState::Recovering, t);
    case AlertState::Recovering:
        if (t - m_status.stateSinceMs >= m_rule.keepFiringForMs)
            return moveTo(AlertState::Normal, t);
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<AlertTransition> AlertStateMachine::moveTo(AlertState to, qint64 t)
{
    if (m_status.state == to)
        return std::nullopt;
    AlertTransition transition;
    transition.from = m_status.state;
    transition.to = to;
    transition.t = t;
    transition.value = m_status.value;

    if (to == AlertState::Firing && m_status.state != AlertState::Recovering)
        m_status.firingSinceMs = t;
    if (to != AlertState::Firing && to != AlertState::Recovering)
        m_status.firingSinceMs = 0;
    if (to == AlertState::Normal || to == AlertState::NoData || to == AlertState::Error)
        m_status.activeSinceMs = 0;
    m_status.state = to;
    m_status.stateSinceMs = t;
    return transition;
}

std::vector<AlertTransition>
AlertStateMachine::replay(const AlertRule& rule, const std::vector<Point>& points, qint64 maxGapMs)
{
    AlertStateMachine machine(rule);
    std::vector<AlertTransition> transitions;
    qint64 previous = 0;
    for (const Point& point : points) {
        if (previous != 0 && maxGapMs > 0 && point.t - previous > maxGapMs) {
            if (auto gap = machine.step(previous + maxGapMs, std::nullopt))
                transitions.push_back(*gap);
        }
        if (auto transition = machine.step(point.t, point.v))
            transitions.push_back(*transition);
        previous = point.t;
    }
    return transitions;
}

int AlertStateMachine::countFirings(const AlertRule& rule, const std::vector<Point>& points,
                                    qint64 maxGapMs)
{
    int firings = 0;
    for (const AlertTransition& transition : replay(rule, points, maxGapMs))
        firings += transition.startsFiring() ? 1 : 0;
    return firings;
}

} // namespace querydeck
