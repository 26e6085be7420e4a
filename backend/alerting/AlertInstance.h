#pragma once

#include "backend/alerting/AlertRule.h"
#include "backend/alerting/AlertStateMachine.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace querydeck {

// A snapshot of one alert instance — one rule applied to one series of its
// expression — as the AlertEngine publishes it to the GUI (alert models, the
// alerts dock, the wall banner, panel threshold overlays). Plain data, copied
// across threads through queued signals.
struct AlertInstance
{
    QString ruleName;
    QMap<QString, QString> labels; // the series' labels (e.g. instance), not the rule's
    AlertSeverity severity = AlertSeverity::Warning;
    AlertStatus status;
    QString summary; // rendered templates
    QString description;
    bool silenced = false;
    QString silenceId; // the silence that matched, when silenced
    bool acknowledged = false;
    QString acknowledgedBy;

    // Stable identity: rule name plus sorted labels, e.g. ReplicaDown{instance="r2"}.
    QString key() const
    {
        QString out = ruleName + QLatin1Char('{');
        for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
            if (it != labels.cbegin())
                out += QLatin1Char(',');
            out += it.key() + QStringLiteral("=\"") + it.value() + QLatin1Char('"');
        }
        return out + QLatin1Char('}');
    }
};

// One recorded state change, as kept in the persistent alert history.
struct AlertHistoryEntry
{
    QString ruleName;
    QMap<QString, QString> labels;
    AlertSeverity severity = AlertSeverity::Warning;
    AlertTransition transition;
    QString note; // e.g. "threshold changed 60 -> 45 by the threshold wizard"
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::AlertInstance)
Q_DECLARE_METATYPE(QList<querydeck::AlertInstance>)
Q_DECLARE_METATYPE(querydeck::AlertHistoryEntry)
