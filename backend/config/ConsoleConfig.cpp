#include "backend/config/ConsoleConfig.h"

#include "backend/common/JsonFieldReader.h"
#include "backend/config/ConfigLoader.h"
#include "backend/config/FleetSectionReaders.h"
#include "backend/redis/RedisAddress.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>
#include <functional>

namespace querydeck {

namespace {

// A JSON array of non-empty strings at `section.key`, each checked by `valid`.
void readStringList(JsonFieldReader& section, const QJsonObject& object, const QString& key,
                    QStringList& out, int maxItems,
                    const std::function<QString(const QString&)>& problemWith)
{
    if (!object.contains(key))
        return;
    section.ignore(key);
    const QJsonValue value = object.value(key);
    if (!value.isArray()) {
        section.addError(key, QStringLiteral("must be an array of strings, got %1")
                                  .arg(JsonFieldReader::describe(value)));
        return;
    }
    const QJsonArray array = value.toArray();
    if (array.size() > maxItems) {
        section.addError(
            key, QStringLiteral("has %1 entries; at most %2").arg(array.size()).arg(maxItems));
        return;
    }
    QStringList items;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemKey = QStringLiteral("%1[%2]").arg(key).arg(i);
        if (!array[i].isString() || array[i].toString().isEmpty()) {
            section.addError(itemKey, QStringLiteral("must be a non-empty string, got %1")
                                          .arg(JsonFieldReader::describe(array[i])));
            return;
        }
        if (const QString problem = problemWith(array[i].toString()); !problem.isEmpty()) {
            section.addError(itemKey, problem);
            return;
        }
        items << array[i].toString();
    }
    out = items;
}

// console.redis: "host:port", or an object with address / sentinels +
// master_name / password / refresh_ms.
void readConsoleRedis(JsonFieldReader& section, const QJsonObject& console, ConsoleConfig& c)
{
    const QString key = QStringLiteral("redis");
    auto readAddress = [](JsonFieldReader& r, const QString& field, QString& out) {
        if (r.readString(field, out, 512) && !out.isEmpty()) {
            QString problem;
            RedisAddress::parse(out, &problem);
            if (!problem.isEmpty()) {
                r.addError(field, problem);
                out.clear();
            }
        }
    };
    if (!console.value(key).isObject()) {
        readAddress(section, key, c.redis);
        return;
    }
    JsonFieldReader r = section.section(key);
    ConsoleRedisConfig& o = c.redisOptions;
    readAddress(r, QStringLiteral("address"), c.redis);
    if (r.readString(QStringLiteral("sentinels"), o.sentinels, 4096) && !o.sentinels.isEmpty()) {
        const auto parsed = RedisAddressParser::parseList(o.sentinels, 26379);
        if (!parsed.ok()) {
            r.addError(QStringLiteral("sentinels"), parsed.error);
            o.sentinels.clear();
        }
    }
    if (r.readString(QStringLiteral("master_name"), o.masterName, 128) && !o.masterName.isEmpty()) {
        static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._-]{1,128}$"));
        if (!pattern.match(o.masterName).hasMatch()) {
            r.addError(QStringLiteral("master_name"),
                       QStringLiteral("must be letters, digits, '.', '_' or '-', got %1")
                           .arg(JsonFieldReader::describe(o.masterName)));
            o.masterName.clear();
        }
    }
    r.readSecret(QStringLiteral("password"), o.password);
    r.readSecret(QStringLiteral("sentinel_password"), o.sentinelPassword);
    if (o.sentinelPassword.isSet() && o.sentinels.isEmpty())
        r.addError(QStringLiteral("sentinel_password"),
                   QStringLiteral("only with sentinels: the password the sentinels require"));
    r.readInt(QStringLiteral("refresh_ms"), o.refreshMs, 1000, 3600 * 1000);
    if (!o.sentinels.isEmpty() && o.masterName.isEmpty())
        r.addError(QStringLiteral("master_name"),
                   QStringLiteral("required with sentinels: the name Sentinel monitors"));
    if (!r.has(QStringLiteral("address")) && !r.has(QStringLiteral("sentinels")))
        r.addError(QStringLiteral("address"),
                   QStringLiteral("give the address (host:port) or sentinels with master_name"));
    r.reportUnknownKeys();
}

QString scrapeUrlProblem(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        return QStringLiteral("must be an http(s) URL with a host, got %1")
            .arg(JsonFieldReader::describe(text));
    if (!url.userInfo().isEmpty())
        return QStringLiteral("must not contain credentials");
    return {};
}

QString scrapeJobProblem(const QString& job)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$"));
    if (!name.match(job).hasMatch())
        return QStringLiteral("must be 1-128 letters, digits, _ . : - starting with a letter or "
                              "_, got %1")
            .arg(JsonFieldReader::describe(job));
    return {};
}

// console.scrape_targets: each entry a URL, or {"url": URL, "job": name} to
// give the target's up{} series that job instead of "scrape".
void readScrapeTargets(JsonFieldReader& section, const QJsonObject& console, ConsoleConfig& c)
{
    const QString key = QStringLiteral("scrape_targets");
    QJsonArray array = console.value(key).toArray();
    QMap<QString, QString> jobs;
    bool objectsOk = true;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array[i].isObject())
            continue;
        const QString itemKey = QStringLiteral("%1[%2]").arg(key).arg(i);
        const QJsonObject item = array[i].toObject();
        for (auto it = item.begin(); it != item.end(); ++it) {
            if (it.key() != QLatin1String("url") && it.key() != QLatin1String("job")) {
                section.addError(itemKey + QLatin1Char('.') + it.key(),
                                 QStringLiteral("unknown key (expected url and job)"));
                objectsOk = false;
            }
        }
        const QJsonValue job = item.value(QLatin1String("job"));
        if (!job.isString()) {
            section.addError(
                itemKey + QStringLiteral(".job"),
                QStringLiteral("must be a string, got %1").arg(JsonFieldReader::describe(job)));
            objectsOk = false;
        } else if (const QString problem = scrapeJobProblem(job.toString()); !problem.isEmpty()) {
            section.addError(itemKey + QStringLiteral(".job"), problem);
            objectsOk = false;
        }
        // Checked as a URL below, with the plain entries.
        array[i] = item.value(QLatin1String("url"));
        jobs.insert(array[i].toString(), job.toString());
    }
    QJsonObject flattened = console;
    if (console.value(key).isArray())
        flattened.insert(key, array);
    QStringList targets;
    readStringList(section, flattened, key, targets, 256, scrapeUrlProblem);
    if (!objectsOk || (console.contains(key) && targets.size() != array.size()))
        return; // refused, and named
    c.scrapeTargets = targets;
    c.scrapeJobs = jobs;
}

// console.alerts: {"rules_file", "webhook": {"routes": {name: {"url", "authorization"}},
// "severity_routes": {"critical": name}, "timeout_ms", "max_attempts", "backoff_ms",
// "backoff_max_ms"}}.
void readAlerts(JsonFieldReader& console, const QJsonObject& consoleObject, AlertsConfig& out)
{
    const QJsonObject object = consoleObject.value(QLatin1String("alerts")).toObject();
    JsonFieldReader alerts = console.section(QStringLiteral("alerts"));
    alerts.readString(QStringLiteral("rules_file"), out.rulesFile, 4096);
    const QJsonObject webhookObject = object.value(QLatin1String("webhook")).toObject();
    JsonFieldReader webhook = alerts.section(QStringLiteral("webhook"));
    webhook.readInt(QStringLiteral("timeout_ms"), out.timeoutMs, 100, 120 * 1000);
    webhook.readInt(QStringLiteral("max_attempts"), out.maxAttempts, 1, 20);
    webhook.readInt(QStringLiteral("backoff_ms"), out.backoffMs, 10, 3600 * 1000);
    webhook.readInt(QStringLiteral("backoff_max_ms"), out.backoffMaxMs, 10, 24 * 3600 * 1000);
    if (out.backoffMaxMs < out.backoffMs)
        webhook.addError(
            QStringLiteral("backoff_max_ms"),
            QStringLiteral("must not be less than backoff_ms (%1)").arg(out.backoffMs));

    static const QRegularExpression routeName(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    const QJsonObject routesObject = webhookObject.value(QLatin1String("routes")).toObject();
    JsonFieldReader routes = webhook.section(QStringLiteral("routes"));
    for (auto it = routesObject.begin(); it != routesObject.end(); ++it) {
        if (!routeName.match(it.key()).hasMatch()) {
            routes.addError(it.key(),
                            QStringLiteral("route names are 1-64 letters, digits, _ . -"));
            routes.ignore(it.key());
            continue;
        }
        JsonFieldReader route = routes.section(it.key());
        AlertWebhookRouteConfig config;
        if (!route.has(QStringLiteral("url")))
            route.addError(QStringLiteral("url"), QStringLiteral("is required"));
        route.readUrl(QStringLiteral("url"), config.url);
        route.readSecret(QStringLiteral("authorization"), config.authorization);
        route.reportUnknownKeys();
        if (!config.url.isEmpty())
            out.routes.insert(it.key(), config);
    }
    const QJsonObject severityObject =
        webhookObject.value(QLatin1String("severity_routes")).toObject();
    JsonFieldReader severities = webhook.section(QStringLiteral("severity_routes"));
    for (const QString& severity :
         {QStringLiteral("critical"), QStringLiteral("warning"), QStringLiteral("info")}) {
        QString name;
        if (!severities.readString(severity, name, 64) || name.isEmpty())
            continue;
        if (!routesObject.contains(name))
            severities.addError(severity,
                                QStringLiteral("no route named %1 in alerts.webhook.routes")
                                    .arg(JsonFieldReader::describe(name)));
        else
            out.severityRoutes.insert(severity, name);
    }
    severities.reportUnknownKeys();
    webhook.reportUnknownKeys();
    alerts.reportUnknownKeys();
}

} // namespace

ConsoleConfigLoadResult ConsoleConfigLoader::loadFile(const QString& path)
{
    QString error;
    const std::optional<QByteArray> json = ConfigLoader::readSectionFile(path, &error);
    return json ? loadJson(*json) : ConsoleConfigLoadResult{{}, {error}, {}};
}

ConsoleConfigLoadResult ConsoleConfigLoader::loadJson(const QByteArray& json)
{
    ConsoleConfigLoadResult result;
    QString error;
    const std::optional<QJsonObject> document =
        ConfigLoader::parseSectionDocument(json, QStringLiteral("console"), &error);
    if (!document) {
        result.errors << error;
        return result;
    }
    const QJsonObject console = document->value(QLatin1String("console")).toObject();
    ConfigDiagnostics diagnostics;
    JsonFieldReader root(*document, QString(), &diagnostics);
    JsonFieldReader section = root.section(QStringLiteral("console"));
    ConsoleConfig& c = result.value;
    readScrapeTargets(section, console, c);
    section.readInt(QStringLiteral("scrape_interval_ms"), c.scrapeIntervalMs, 250, 3600 * 1000);
    section.readInt(QStringLiteral("sample_interval_ms"), c.sampleIntervalMs, 250, 60 * 1000);
    section.readDouble(QStringLiteral("traffic_rate"), c.trafficRate, 0.1, 1000.0);
    section.readString(QStringLiteral("dashboard"), c.dashboard, 4096);
    readConsoleRedis(section, console, c);
    const QJsonObject wallObject = console.value(QLatin1String("wall")).toObject();
    JsonFieldReader wall = section.section(QStringLiteral("wall"));
    readStringList(wall, wallObject, QStringLiteral("dashboards"), c.wallDashboards, 32,
                   [](const QString&) { return QString(); });
    wall.readInt(QStringLiteral("rotate_seconds"), c.wallRotateSeconds, 5, 24 * 3600);
    wall.reportUnknownKeys();
    readAlerts(section, console, c.alerts);
    section.ignore(QStringLiteral("prometheus")); // PrometheusConfigLoader reads it
    JsonFieldReader fleet = section.section(QStringLiteral("fleet"));
    readFleetSection(fleet, c.fleet);
    JsonFieldReader autoscaler = section.section(QStringLiteral("autoscaler"));
    readAutoscalerSection(autoscaler, c.autoscaler);
    section.reportUnknownKeys();
    result.errors = diagnostics.errors;
    result.warnings = diagnostics.warnings;
    const PrometheusConfigLoadResult prometheus = PrometheusConfigLoader::loadJson(json);
    c.prometheus = prometheus.value;
    result.errors += prometheus.errors;
    result.warnings += prometheus.warnings;
    return result;
}

} // namespace querydeck
