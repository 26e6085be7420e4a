#pragma once

#include "backend/alerting/AlertRule.h"
#include "backend/metrics/Series.h"

#include <QString>
#include <optional>
#include <vector>

namespace querydeck {

// One change of an alert instance's state, with the value that caused it.
struct AlertTransition
{
    AlertState from = AlertState::Normal;
    AlertState to = AlertState::Normal;
    qint64 t = 0;
    std::optional<double> value;
    QString error; // for transitions into Error

    // The alert began firing (a "firing" notification is due).
    bool startsFiring() const { return to == AlertState::Firing && from != AlertState::Recovering; }
    // The alert stopped firing (a "resolved" notification is due).
    bool resolves() const
    {
        const bool wasFiring = from == AlertState::Firing || from == AlertState::Recovering;
        return wasFiring && to != AlertState::Firing && to != AlertState::Recovering;
    }
};

// Where one alert instance stands.
struct AlertStatus
{
    AlertState state = AlertState::Normal;
    qint64 stateSinceMs = 0;  // when it entered `state`
    qint64 activeSinceMs = 0; // when the condition first held (Pending/Firing/Recovering)
    qint64 firingSinceMs = 0; // when it began firing (Firing/Recovering), else 0
    qint64 lastEvalMs = 0;
    std::optional<double> value; // the last value, none on no data or error
    QString error;
};

// The state machine of one alert instance, pure and clock-free: the caller
// feeds evaluations with their timestamps (live from the AlertEngine, or
// replayed over stored history for the threshold wizard's preview), so both
// share one definition of Pending, `for`, keep_firing_for, NoData and Error.
//   Normal --breach--> Pending --breach for `for`--> Firing (for 0: at once)
//   Firing --clear--> Recovering --clear for keep_firing_for--> Normal
//                    (keep_firing_for 0: Firing --clear--> Normal at once)
//   Recovering --breach--> Firing (the flap is held; no new notification)
//   Pending --clear--> Normal
//   no value: per the rule's NoData behaviour; an evaluation error: Error.
// Not thread-safe; one owner.
class AlertStateMachine
{
public:
    explicit AlertStateMachine(const AlertRule& rule);

    // One evaluation at time t: a value, no value (no data), or an error.
    std::optional<AlertTransition> step(qint64 t, std::optional<double> value,
                                        const QString& error = {});
    const AlertStatus& status() const { return m_status; }
    void setRule(const AlertRule& rule) { m_rule = rule; }
    // Picks up where a persisted status left off (after a restart).
    void restore(const AlertStatus& status) { m_status = status; }

    // Feeds every point of a series, treating gaps longer than `maxGapMs` as
    // no data, and returns the transitions. For previews over history.
    static std::vector<AlertTransition> replay(const AlertRule& rule,
                                               const std::vector<Point>& points, qint64 maxGapMs);
    // How many times the rule would have begun firing over `points`.
    static int countFirings(const AlertRule& rule, const std::vector<Point>& points,
                            qint64 maxGapMs);

private:
    std::optional<AlertTransition> moveTo(AlertState to, qint64 t);
    std::optional<AlertTransition> onBreach(qint64 t);
    std::optional<AlertTransition> onClear(qint64 t);

    AlertRule m_rule;
    AlertStatus m_status;
};

} // namespace querydeck
