#pragma once

#include "backend/alerting/AlertRule.h"
#include "backend/alerting/AlertStateMachine.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <optional>

namespace querydeck {

// What the AlertEngine hands to notifiers (webhook, tray) when an alert
// instance begins firing or resolves and no silence covers it. Plain data,
// copied across threads.
struct AlertNotification
{
    QString ruleName;
    // Rule labels, then the series' labels, plus alertname and severity.
    QMap<QString, QString> labels;
    QString summary; // rendered
    QString description;
    AlertSeverity severity = AlertSeverity::Warning;
    QString route; // the rule's route; empty: the severity's
    bool resolved = false;
    qint64 startsAtMs = 0; // when it began firing
    qint64 endsAtMs = 0;   // when it resolved; 0 while firing
    std::optional<double> value;

    // The labels a notification and a silence see: the rule's, then the
    // series', plus alertname and severity.
    static QMap<QString, QString> labelsFor(const AlertRule& rule,
                                            const QMap<QString, QString>& seriesLabels);
    // For a transition that begins firing or resolves: summary and
    // description rendered with the transition's value; startsAtMs is when
    // firing began (the transition's time unless it resolves).
    static AlertNotification forTransition(const AlertRule& rule,
                                           const QMap<QString, QString>& seriesLabels,
                                           const AlertTransition& t, qint64 startsAtMs);
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::AlertNotification)
Q_DECLARE_METATYPE(QList<querydeck::AlertNotification>)
