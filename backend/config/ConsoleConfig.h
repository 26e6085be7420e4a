#pragma once

#include "backend/alerting/AlertsConfig.h"
#include "backend/autoscale/AutoscalerConsoleConfig.h"
#include "backend/common/LoadResult.h"
#include "backend/redisops/ConsoleRedisConfig.h"
#include "backend/scaling/FleetConsoleConfig.h"
#include "backend/service/ServiceConfig.h"
#include "backend/sources/PrometheusConfig.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace querydeck {

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
