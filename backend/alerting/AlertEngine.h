#pragma once

#include "backend/alerting/AlertAcknowledgements.h"
#include "backend/alerting/AlertHistory.h"
#include "backend/alerting/AlertInstance.h"
#include "backend/alerting/AlertNotification.h"
#include "backend/alerting/AlertRule.h"
#include "backend/alerting/AlertSilence.h"
#include "backend/alerting/AlertSilenceBook.h"
#include "backend/common/Clock.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <memory>
#include <vector>

class QTimer;

namespace querydeck {

class TimeSeriesStore;

// Evaluates the alert rule set over a TimeSeriesStore. Each enabled rule runs
// on its own interval with Expression::instant; every series the expression
// returns is one alert instance (keyed by its labels) with its own
// AlertStateMachine. A series that vanishes is "no data" for its instance;
// an instance back at Normal and no longer returned is dropped. Transitions
// are recorded in the AlertHistory (and restored from it on start(), so an
// alert firing before a restart is still firing after it, without a second
// notification, and still acknowledged when it was: acknowledgements persist
// in their own file); beginnings and ends of firing that no silence covers are
// emitted as notification() for the notifiers. Silences are kept by an
// AlertSilenceBook; notifications are built by AlertNotification.
//
// Threads: lives on the telemetry thread beside the TelemetryEngine (the
// store is read under its own lock). Call slots queued from other threads;
// signals carry plain copies.
class AlertEngine : public QObject
{
    Q_OBJECT

public:
    explicit AlertEngine(const TimeSeriesStore* store, Clock clock = systemClock(),
                         QObject* parent = nullptr);
    ~AlertEngine() override;

    // Before start(): where history and silences persist (empty: memory only),
    // and the rules file setRules() writes (empty: not written).
    void setHistoryFile(const QString& path, AlertHistory::Options options = {});
    void setSilencesFile(const QString& path);
    void setAcknowledgementsFile(const QString& path);
    void setRulesFile(const QString& path);
    void setTickInterval(int ms) { m_tickMs = ms; } // 0: no timer, evaluateDue() by hand
    // Rules are first evaluated this long after start(), once the sources
    // have polled (rates need two samples), so a start is not a burst of NoData.
    void setFirstEvaluationDelay(qint64 ms) { m_firstDelayMs = ms; }

    // Replaces the rule set after validating every rule (names unique). An
    // invalid set changes nothing and returns its errors. Unchanged rules
    // keep their instances; a rule whose expression changed starts afresh;
    // a removed or restarted rule's firing instances resolve. `note` (e.g.
    // "threshold wizard: HighP95Latency 60 -> 45") is recorded in the history.
    QStringList setRules(const std::vector<AlertRule>& rules, const QString& note = {});
    std::vector<AlertRule> rules() const;
    QList<AlertInstance> instances() const;
    QList<AlertSilence> silences() const;
    const AlertHistory& history() const { return m_history; }

    // Adds a silence (id assigned when empty); returns its id, or empty with *error.
    QString addSilence(AlertSilence silence, QString* error = nullptr);

public slots:
    void start(); // loads history and silences, restores states, starts the timer
    void stop();
    void evaluateDue(); // every enabled rule whose interval has come
    void evaluateAll(); // every enabled rule, now
    bool expireSilence(const QString& id);
    // Marks a firing instance (AlertInstance::key()) as seen by `by`; cleared when it resolves.
    bool acknowledge(const QString& instanceKey, const QString& by);

signals:
    void alertsChanged(const QList<querydeck::AlertInstance>& instances);
    void transition(const querydeck::AlertHistoryEntry& entry);
    void notification(const querydeck::AlertNotification& notification);
    // After each evaluation (or rule set change): every notification() of it,
    // together, so a webhook can send them as one payload per route.
    void notifications(const QList<querydeck::AlertNotification>& batch);
    void silencesChanged(const QList<querydeck::AlertSilence>& silences);
    void rulesChanged();

private:
    struct Instance;
    struct RuleState;

    void evaluateRule(RuleState& rule, qint64 now);
    void handle(RuleState& rule, Instance& instance, const AlertTransition& t,
                const QString& note = {});
    void resolveAll(RuleState& rule, qint64 now, const QString& note);
    bool pruneSilences(qint64 now); // emits silencesChanged() when any went
    void loadAcknowledgements();
    void saveAcknowledgements();
    void restoreInto(RuleState& rule);
    void publish();

    const TimeSeriesStore* m_store;
    Clock m_clock;
    AlertHistory m_history;
    QString m_acksPath;
    // Loaded acknowledgements no instance has claimed yet (its rule may come later).
    QHash<QString, AlertAcknowledgement> m_restoredAcks;
    QString m_rulesPath;
    int m_tickMs = 250;
    qint64 m_firstDelayMs = 0;
    std::vector<std::unique_ptr<RuleState>> m_rules;
    AlertSilenceBook m_silenceBook;
    QHash<QString, AlertHistory::Restored> m_restored; // from the history, until rules claim them
    QList<AlertNotification> m_batch;                  // notification()s of the running evaluation
    QTimer* m_timer = nullptr;
    bool m_started = false;
};

} // namespace querydeck
