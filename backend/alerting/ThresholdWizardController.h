#pragma once

#include "backend/alerting/AlertInstance.h"
#include "backend/alerting/AlertRule.h"
#include "backend/metrics/Series.h"

#include <QMap>
#include <QObject>
#include <functional>
#include <optional>
#include <vector>

namespace querydeck {

class TimeSeriesStore;

// What the threshold wizard's pages collect: the rule as edited and which
// rule of the set it replaces (-1: a new rule).
struct ThresholdRequest
{
    int originalIndex = -1;
    AlertRule rule;
};

// The work behind the threshold wizard, without widgets: the history of a
// rule's expression from the TimeSeriesStore, previews (how often the rule
// would have fired, replayed with AlertStateMachine), per-field validation
// and the save (persisted through a callback — by default
// AlertRuleJson::saveFile — then read back, and recorded as an
// AlertHistoryEntry). Pages ask it; they never touch the store themselves.
// Lives on the GUI thread; reads the store under its shared lock.
class ThresholdWizardController : public QObject
{
    Q_OBJECT

public:
    // Persists the whole rule set; false with *error on failure.
    using SaveFunction = std::function<bool(const std::vector<AlertRule>&, QString* error)>;
    // Reads the persisted rule set back for verification (empty optional: unsupported).
    using LoadFunction = std::function<std::optional<std::vector<AlertRule>>(QString* error)>;
    using Clock = std::function<qint64()>;

    struct ValueRange
    {
        double min = 0;
        double max = 0;
        int points = 0; // 0: the series has no data in the window
    };

    struct Preview
    {
        qint64 spanMs = 0;
        int firings = 0;    // summed over the expression's series
        int series = 0;     // series evaluated
        qint64 covered = 0; // ms of the span that had data
    };

    ThresholdWizardController(std::vector<AlertRule> rules, const TimeSeriesStore& store,
                              QObject* parent = nullptr);

    // Persist to a rule file: AlertRuleJson::saveFile, verified with loadFile.
    void setRulesFile(const QString& path);
    void setSaveFunction(SaveFunction save, LoadFunction load = {});
    void setClock(Clock clock) { m_clock = std::move(clock); }
    qint64 now() const { return m_clock(); }

    const std::vector<AlertRule>& rules() const { return m_rules; }
    ThresholdRequest requestFor(int index) const; // -1: a new rule with sensible defaults

    // The expression over [now - spanMs, now] at about maxPoints points per series.
    std::vector<EvaluatedSeries> history(const QString& expression, qint64 spanMs,
                                         int maxPoints = 720) const;
    // Lowest and highest value the expression reached over the span.
    ValueRange valueRange(const QString& expression, qint64 spanMs) const;
    // How often `rule` would have begun firing over the last spanMs of stored
    // history, replayed at the rule's evaluation interval.
    Preview preview(const AlertRule& rule, qint64 spanMs) const;

    // Problems by field name (name, expression, threshold, for, keep_firing_for,
    // labels, ...); empty: the request can be saved.
    QMap<QString, QString> validate(const ThresholdRequest& request) const;
    // Not a block: the threshold lies outside what the series reached over the
    // last 24 h, so the rule would never (or always) fire. Empty: fine.
    QString thresholdWarning(const AlertRule& rule) const;
    // The note recorded in the history: what changed, old -> new.
    QString changeNote(const ThresholdRequest& request) const;

    // Validates, saves the new rule set, reads it back and records the change.
    // False with *error (nothing changed) on failure.
    bool save(const ThresholdRequest& request, QString* error);
    // After save(): the saved rule as read back from storage, when supported.
    std::optional<AlertRule> verifiedRule() const { return m_verified; }
    // After save(): the note recorded in the history.
    QString lastNote() const { return m_lastNote; }

    // A number typed by a person: "0.5", "0,5" (a decimal comma), "1e3";
    // never "abc", "nan" or "inf".
    static std::optional<double> parseNumber(const QString& text);

signals:
    void rulesChanged(const std::vector<querydeck::AlertRule>& rules);
    void historyRecorded(const querydeck::AlertHistoryEntry& entry);

private:
    std::vector<AlertRule> m_rules;
    const TimeSeriesStore& m_store;
    SaveFunction m_save;
    LoadFunction m_load;
    Clock m_clock;
    std::optional<AlertRule> m_verified;
    QString m_lastNote;
};

bool sameRule(const AlertRule& a, const AlertRule& b);

} // namespace querydeck
