#include "backend/alerting/AlertNotification.h"

#include <cmath>

namespace querydeck {

QMap<QString, QString> AlertNotification::labelsFor(const AlertRule& rule,
                                                    const QMap<QString, QString>& seriesLabels)
{
    QMap<QString, QString> out = rule.labels;
    for (auto it = seriesLabels.cbegin(); it != seriesLabels.cend(); ++it)
        out.insert(it.key(), it.value());
    out.insert(QStringLiteral("alertname"), rule.name);
    out.insert(QStringLiteral("severity"), severityName(rule.severity));
    return out;
}

AlertNotification AlertNotification::forTransition(const AlertRule& rule,
                                                   const QMap<QString, QString>& seriesLabels,
                                                   const AlertTransition& t, qint64 startsAtMs)
{
    const double value = t.value.value_or(std::nan(""));
    const bool resolves = t.resolves();
    AlertNotification n;
    n.ruleName = rule.name;
    n.labels = labelsFor(rule, seriesLabels);
    n.summary = rule.render(rule.summary, value, seriesLabels);
    n.description = rule.render(rule.description, value, seriesLabels);
    n.severity = rule.severity;
    n.route = rule.route;
    n.resolved = resolves;
    n.value = t.value;
    n.startsAtMs = resolves ? startsAtMs : t.t;
    n.endsAtMs = resolves ? t.t : 0;
    return n;
}

} // namespace querydeck
