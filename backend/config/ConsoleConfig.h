#pragma once

#include "config/FleetConsoleConfig.h"

#include <QString>
#include <QStringList>

namespace querydeck {

// The "console" section of the config file: what the desktop console watches
// and shows, beside the service it embeds. Secrets never appear here.
struct ConsoleConfig
{
    QStringList scrapeTargets; // /metrics URLs of other replicas or services
    int scrapeIntervalMs = 5000;
    int sampleIntervalMs = 1000; // embedded service and /proc
    QStringList wallDashboards{QStringLiteral("default"), QStringLiteral("service")};
    int wallRotateSeconds = 30;
    double trafficRate = 5.0; // traffic generator, queries per second
    QString dashboard;        // main window: a dashboard JSON file; empty: the bundled default
    FleetConsoleConfig fleet;
    AutoscalerConsoleConfig autoscaler;

    friend bool operator==(const ConsoleConfig&, const ConsoleConfig&) = default;
};

struct ConsoleConfigLoadResult
{
    ConsoleConfig config;
    QStringList errors;
    QStringList warnings;
    bool ok() const { return errors.isEmpty(); }
};

// Reads the "console" section of the same JSON file ConfigLoader reads (that
// loader leaves the section to this one). Errors name the dotted field.
class ConsoleConfigLoader
{
public:
    static ConsoleConfigLoadResult loadFile(const QString& path);
    static ConsoleConfigLoadResult loadJson(const QByteArray& json);
};

} // namespace querydeck
