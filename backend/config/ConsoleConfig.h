#pragma once

#include "backend/common/LoadResult.h"
#include "backend/config/FleetConsoleConfig.h"
#include "backend/service/ServiceConfig.h"
#include "backend/sources/PrometheusConfig.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace querydeck {

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

// console.redis written as an object: besides its "address", the Sentinel
// set that manages it (the Redis dock shows that topology and the failover
// wizard starts from it) and the password of the data servers, a secret
// reference (never sent to sentinels).
struct ConsoleRedisConfig
{
    QString sentinels; // host:port[,host:port...]; with masterName
    QString masterName;
    SecretRef password;
    SecretRef sentinelPassword; // the sentinels' own requirepass, if they have one
    int refreshMs = 5000;       // the Redis dock's topology refresh

    friend bool operator==(const ConsoleRedisConfig&, const ConsoleRedisConfig&) = default;
};

// The "console" section of the config file: what the desktop console watches
// and shows, beside the service it embeds. Secrets never appear here.
struct ConsoleConfig
{
    QStringList scrapeTargets; // /metrics URLs of other replicas or services
    // Target URL -> the job label of its up{job, instance} series; absent: "scrape".
    QMap<QString, QString> scrapeJobs;
    int scrapeIntervalMs = 5000;
    int sampleIntervalMs = 1000; // embedded service and /proc
    QStringList wallDashboards{QStringLiteral("default"), QStringLiteral("service")};
    int wallRotateSeconds = 30;
    double trafficRate = 5.0; // traffic generator, queries per second
    QString dashboard;        // main window: a dashboard JSON file; empty: the bundled default
    QString redis; // "host:port" of the Redis whose INFO the console samples; empty: none
    ConsoleRedisConfig redisOptions; // the rest of console.redis when it is an object
    // The Redis dock is shown: a server to watch or a Sentinel set.
    bool redisConfigured() const { return !redis.isEmpty() || !redisOptions.sentinels.isEmpty(); }
    AlertsConfig alerts;
    // console.prometheus: an optional Prometheus data source
    PrometheusConfig prometheus;
    FleetConsoleConfig fleet;
    AutoscalerConsoleConfig autoscaler;

    friend bool operator==(const ConsoleConfig&, const ConsoleConfig&) = default;
};

using ConsoleConfigLoadResult = LoadResult<ConsoleConfig>;

// Reads the "console" section of the same JSON file ConfigLoader reads (that
// loader leaves the section to this one). Errors name the dotted field.
class ConsoleConfigLoader
{
public:
    static ConsoleConfigLoadResult loadFile(const QString& path);
    static ConsoleConfigLoadResult loadJson(const QByteArray& json);
};

} // namespace querydeck
