#pragma once

#include "backend/common/LoadResult.h"
#include "backend/common/SecretRef.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace querydeck {

// The `console.prometheus` section of the config file: a Prometheus server
// the console reads fleet-wide series from. Absent or without a url: no
// Prometheus source. The auth header value is a secret reference only.
struct PrometheusConfig
{
    struct Query
    {
        QString expr; // PromQL, run as an instant query on every poll
        QString name; // renames every result series; empty: keep its __name__

        friend bool operator==(const Query&, const Query&) = default;
    };

    QString url;    // http(s)://host:port[/prefix]; /api/v1/... is appended
    SecretRef auth; // Authorization header value; "Bearer " is added when it has no scheme
    int intervalMs = 15000;
    int timeoutMs = 10000;
    std::vector<Query> queries;

    bool enabled() const { return !url.isEmpty(); }
    friend bool operator==(const PrometheusConfig&, const PrometheusConfig&) = default;
};

// Each error names its field: "console.prometheus.queries[2].expr: ...".
using PrometheusConfigLoadResult = LoadResult<PrometheusConfig>;

// Reads `console.prometheus` from the config file's JSON.
namespace PrometheusConfigLoader {
PrometheusConfigLoadResult loadJson(const QByteArray& json);
} // namespace PrometheusConfigLoader

} // namespace querydeck
