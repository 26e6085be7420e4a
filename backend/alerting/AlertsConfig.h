#pragma once

#include "backend/common/SecretRef.h"

#include <QMap>
#include <QString>

namespace querydeck {

// The alerting module's options (console.alerts in the config file).

// One webhook receiver of alert notifications.
struct AlertWebhookRouteConfig
{
    QString url;
    SecretRef authorization; // the Authorization header value, e.g. "Bearer ..."

    friend bool operator==(const AlertWebhookRouteConfig&,
                           const AlertWebhookRouteConfig&) = default;
};

// console.alerts: the rule set file, and where notifications go.
struct AlertsConfig
{
    QString rulesFile;                             // empty: alert-rules.json in the app config dir
    QMap<QString, AlertWebhookRouteConfig> routes; // route name -> receiver
    QMap<QString, QString> severityRoutes;         // critical|warning|info -> route name
    int timeoutMs = 5000;
    int maxAttempts = 5;
    int backoffMs = 1000;
    int backoffMaxMs = 60000;

    friend bool operator==(const AlertsConfig&, const AlertsConfig&) = default;
};

} // namespace querydeck
