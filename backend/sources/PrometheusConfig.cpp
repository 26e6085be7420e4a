#include "backend/sources/PrometheusConfig.h"

#include "backend/common/BoundedJson.h"
#include "backend/common/JsonFieldReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace querydeck {

namespace {

constexpr int kMaxQueries = 100;

void readQueries(JsonFieldReader& section, const QJsonObject& object, PrometheusConfig& config,
                 ConfigDiagnostics* diagnostics)
{
    section.ignore(QStringLiteral("queries"));
    const QJsonValue value = object.value(QStringLiteral("queries"));
    if (value.isUndefined())
        return;
    if (!value.isArray()) {
        section.addError(
            QStringLiteral("queries"),
            QStringLiteral("must be an array of {\"expr\": ..., \"name\": ...}, got %1")
                .arg(JsonFieldReader::describe(value)));
        return;
    }
    const QJsonArray array = value.toArray();
    if (array.size() > kMaxQueries) {
        section.addError(
            QStringLiteral("queries"),
            QStringLiteral("has %1 entries; at most %2").arg(array.size()).arg(kMaxQueries));
        return;
    }
    static const QRegularExpression metricName(QStringLiteral("^[A-Za-z_:][A-Za-z0-9_:]*$"));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path =
            QStringLiteral("%1[%2]").arg(section.pathOf(QStringLiteral("queries"))).arg(i);
        if (!array[i].isObject()) {
            diagnostics->errors << QStringLiteral("%1: must be an object with \"expr\", got %2")
                                       .arg(path, JsonFieldReader::describe(array[i]));
            continue;
        }
        JsonFieldReader reader(array[i].toObject(), path, diagnostics);
        PrometheusConfig::Query query;
        reader.readString(QStringLiteral("expr"), query.expr, 4096);
        reader.readString(QStringLiteral("name"), query.name, 200);
        if (query.expr.trimmed().isEmpty())
            reader.addError(QStringLiteral("expr"), QStringLiteral("must be a non-empty PromQL "
                                                                   "expression"));
        if (!query.name.isEmpty() && !metricName.match(query.name).hasMatch())
            reader.addError(QStringLiteral("name"),
                            QStringLiteral("must be a metric name (letters, digits, '_', ':'), "
                                           "got %1")
                                .arg(JsonFieldReader::describe(query.name)));
        reader.reportUnknownKeys();
        config.queries.push_back(query);
    }
}

} // namespace

namespace PrometheusConfigLoader {

PrometheusConfigLoadResult loadJson(const QByteArray& json)
{
    PrometheusConfigLoadResult result;
    const BoundedJson::Result parsed =
        BoundedJson::parse(json, BoundedJson::fileLimits(BoundedJson::kMaxConfigFileBytes),
                           QStringLiteral("config file"));
    if (!parsed.ok() && parsed.error != BoundedJson::Error::Invalid) {
        result.errors << QStringLiteral("console.prometheus: ") + parsed.message;
        return result;
    }
    const QJsonDocument& doc = parsed.document;
    if (!doc.isObject()) {
        result.errors << QStringLiteral(
                             "console.prometheus: the config file is not a JSON object") +
                             (parsed.ok() ? QString()
                                          : QStringLiteral(" (%1 at byte %2)")
                                                .arg(parsed.parserError)
                                                .arg(parsed.offset));
        return result;
    }
    ConfigDiagnostics diagnostics;
    JsonFieldReader root(doc.object(), QString(), &diagnostics);
    JsonFieldReader console = root.section(QStringLiteral("console"));
    const QJsonObject object = doc.object()
                                   .value(QLatin1String("console"))
                                   .toObject()
                                   .value(QLatin1String("prometheus"))
                                   .toObject();
    JsonFieldReader section = console.section(QStringLiteral("prometheus"));
    PrometheusConfig& c = result.value;
    section.readUrl(QStringLiteral("url"), c.url);
    section.readSecret(QStringLiteral("auth"), c.auth);
    section.readInt(QStringLiteral("interval_ms"), c.intervalMs, 1000, 3600 * 1000);
    section.readInt(QStringLiteral("timeout_ms"), c.timeoutMs, 100, 300 * 1000);
    readQueries(section, object, c, &diagnostics);
    if (c.url.isEmpty() && !object.isEmpty())
        section.addError(QStringLiteral("url"), QStringLiteral("is required when the section is "
                                                               "present"));
    if (!c.url.isEmpty() && c.queries.empty() && diagnostics.errors.isEmpty())
        section.addError(QStringLiteral("queries"), QStringLiteral("needs at least one query"));
    section.reportUnknownKeys();
    result.errors = diagnostics.errors;
    result.warnings = diagnostics.warnings;
    if (!result.errors.isEmpty())
        result.value = PrometheusConfig{};
    return result;
}

} // namespace PrometheusConfigLoader

} // namespace querydeck
