#include "config/ConsoleConfig.h"

#include "config/ConfigLoader.h"
#include "config/JsonFieldReader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

} // namespace

ConsoleConfigLoadResult ConsoleConfigLoader::loadFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{}, {QStringLiteral("%1: cannot read: %2").arg(path, file.errorString())}, {}};
    if (file.size() > ConfigLoader::kMaxFileBytes)
        return {
            {},
            {QStringLiteral("%1: larger than %2 bytes").arg(path).arg(ConfigLoader::kMaxFileBytes)},
            {}};
    return loadJson(file.readAll());
}

ConsoleConfigLoadResult ConsoleConfigLoader::loadJson(const QByteArray& json)
{
    ConsoleConfigLoadResult result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        // ConfigLoader reports the syntax in detail; the console section is then absent.
        result.errors << QStringLiteral("console: the config file is not a JSON object");
        return result;
    }
    const QJsonObject console = doc.object().value(QLatin1String("console")).toObject();
    ConfigDiagnostics diagnostics;
    JsonFieldReader root(doc.object(), QString(), &diagnostics);
    JsonFieldReader section = root.section(QStringLiteral("console"));
    ConsoleConfig& c = result.config;
    readStringList(section, console, QStringLiteral("scrape_targets"), c.scrapeTargets, 256,
                   scrapeUrlProblem);
    section.readInt(QStringLiteral("scrape_interval_ms"), c.scrapeIntervalMs, 250, 3600 * 1000);
    section.readInt(QStringLiteral("sample_interval_ms"), c.sampleIntervalMs, 250, 60 * 1000);
    section.readDouble(QStringLiteral("traffic_rate"), c.trafficRate, 0.1, 1000.0);
    section.readString(QStringLiteral("dashboard"), c.dashboard, 4096);
    const QJsonObject wallObject = console.value(QLatin1String("wall")).toObject();
    JsonFieldReader wall = section.section(QStringLiteral("wall"));
    readStringList(wall, wallObject, QStringLiteral("dashboards"), c.wallDashboards, 32,
                   [](const QString&) { return QString(); });
    wall.readInt(QStringLiteral("rotate_seconds"), c.wallRotateSeconds, 5, 24 * 3600);
    wall.reportUnknownKeys();
    JsonFieldReader fleet = section.section(QStringLiteral("fleet"));
    readFleetSection(fleet, c.fleet);
    JsonFieldReader autoscaler = section.section(QStringLiteral("autoscaler"));
    readAutoscalerSection(autoscaler, c.autoscaler);
    section.reportUnknownKeys();
    result.errors = diagnostics.errors;
    result.warnings = diagnostics.warnings;
    return result;
}

} // namespace querydeck
