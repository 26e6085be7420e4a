#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace querydeck {

enum class AlertSeverity
{
    Critical,
    Warning,
    Info
};

enum class AlertComparator
{
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual
};

// What an evaluation that returns no value means for the rule.
enum class NoDataBehaviour
{
    Ok,       // treat as not breaching
    Alerting, // treat as breaching (goes through Pending and `for` as usual)
    NoData    // a state of its own
};

// States as in Prometheus and Grafana. Recovering: the condition cleared but
// keep_firing_for still holds the alert firing.
enum class AlertState
{
    Normal,
    Pending,
    Firing,
    Recovering,
    NoData,
    Error
};

// One alert rule: "<expression> <comparator> <threshold> for <for>". The
// expression is the dashboards' language (telemetry/Expression). Plain data,
// copyable, no Qt object; every field is editable in the threshold wizard and
// persisted as JSON (AlertRuleJson).
struct AlertRule
{
    QString name; // unique in a rule set
    QString expression;
    AlertComparator comparator = AlertComparator::Greater;
    double threshold = 0.0;
    qint64 forMs = 0;
    qint64 keepFiringForMs = 0;
    AlertSeverity severity = AlertSeverity::Warning;
    QMap<QString, QString> labels;
    QString summary;     // template: {{value}}, {{threshold}}, {{labels.NAME}}
    QString description; // same
    NoDataBehaviour noData = NoDataBehaviour::NoData;
    qint64 intervalMs = 15000;
    QString route; // notification route name; empty: the route of its severity
    QString unit;  // dashboard unit of the expression's value (for display only)
    bool enabled = true;

    bool breaches(double value) const;
    // Fills {{value}}, {{threshold}} and {{labels.NAME}} (instance labels first).
    QString render(const QString& text, double value,
                   const QMap<QString, QString>& instanceLabels = {}) const;
    // Every problem, each naming its field ("threshold: not a finite number").
    QStringList validate() const;
};

QString severityName(AlertSeverity severity);
QString comparatorSymbol(AlertComparator comparator);
QString noDataName(NoDataBehaviour behaviour);
QString alertStateName(AlertState state);
bool parseSeverity(const QString& text, AlertSeverity* out);
bool parseComparator(const QString& text, AlertComparator* out);
bool parseNoData(const QString& text, NoDataBehaviour* out);
bool parseAlertState(const QString& text, AlertState* out);

} // namespace querydeck
