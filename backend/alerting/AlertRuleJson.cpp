#include "backend/alerting/AlertRuleJson.h"

#include "backend/common/BoundedJson.h"
#include "backend/common/JsonFieldReader.h"
#include "backend/metrics/PromDuration.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

namespace querydeck::AlertRuleJson {

namespace {

constexpr int kMaxTextLength = 4096;

// A duration field: absent keeps `out`; a string in Prometheus form, or a
// number of seconds.
void readDuration(JsonFieldReader& reader, const QJsonObject& object, const QString& key,
                  qint64& out)
{
    if (!reader.has(key)) {
        reader.ignore(key);
        return;
    }
    reader.ignore(key);
    const QJsonValue value = object.value(key);
    if (value.isDouble()) {
        const double seconds = value.toDouble();
        if (seconds < 0 || seconds > 10.0 * 365 * 24 * 3600)
            reader.addError(key, QStringLiteral("expected a duration, got %1")
                                     .arg(JsonFieldReader::describe(value)));
        else
            out = qint64(seconds * 1000);
        return;
    }
    QString error;
    const auto ms = value.isString() ? PromDuration::parse(value.toString(), &error) : std::nullopt;
    if (!ms) {
        reader.addError(key, value.isString() ? error
                                              : QStringLiteral("expected a duration like \"5m\", "
                                                               "got %1")
                                                    .arg(JsonFieldReader::describe(value)));
        return;
    }
    out = *ms;
}

void readLabels(JsonFieldReader& reader, const QJsonObject& object, AlertRule& rule)
{
    reader.ignore(QStringLiteral("labels"));
    const QJsonValue value = object.value(QStringLiteral("labels"));
    if (value.isUndefined() || value.isNull())
        return;
    if (!value.isObject()) {
        reader.addError(QStringLiteral("labels"),
                        QStringLiteral("expected an object of strings, got %1")
                            .arg(JsonFieldReader::describe(value)));
        return;
    }
    const QJsonObject labels = value.toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (!it->isString() || it->toString().size() > kMaxTextLength) {
            reader.addError(
                QStringLiteral("labels.%1").arg(it.key()),
                QStringLiteral("expected a string, got %1").arg(JsonFieldReader::describe(*it)));
            continue;
        }
        rule.labels.insert(it.key(), it->toString());
    }
}

AlertRule readRule(const QJsonObject& object, const QString& path, ConfigDiagnostics* diagnostics)
{
    JsonFieldReader reader(object, path, diagnostics);
    AlertRule rule;
    reader.readString(QStringLiteral("name"), rule.name, 200);
    reader.readString(QStringLiteral("expr"), rule.expression, kMaxTextLength);
    QString text = comparatorSymbol(rule.comparator);
    if (reader.readEnum(QStringLiteral("op"), text, {">", ">=", "<", "<="}))
        parseComparator(text, &rule.comparator);
    reader.readDouble(QStringLiteral("threshold"), rule.threshold, -1e300, 1e300);
    readDuration(reader, object, QStringLiteral("for"), rule.forMs);
    readDuration(reader, object, QStringLiteral("keep_firing_for"), rule.keepFiringForMs);
    readDuration(reader, object, QStringLiteral("interval"), rule.intervalMs);
    text = severityName(rule.severity);
    if (reader.readEnum(QStringLiteral("severity"), text, {"critical", "warning", "info"}))
        parseSeverity(text, &rule.severity);
    readLabels(reader, object, rule);
    reader.readString(QStringLiteral("summary"), rule.summary, kMaxTextLength);
    reader.readString(QStringLiteral("description"), rule.description, kMaxTextLength);
    text = noDataName(rule.noData);
    if (reader.readEnum(QStringLiteral("no_data"), text, {"ok", "alerting", "nodata"}))
        parseNoData(text, &rule.noData);
    reader.readString(QStringLiteral("route"), rule.route, 200);
    reader.readString(QStringLiteral("unit"), rule.unit, 40);
    reader.readBool(QStringLiteral("enabled"), rule.enabled);
    reader.reportUnknownKeys();
    return rule;
}

QJsonObject toJson(const AlertRule& rule)
{
    QJsonObject labels;
    for (auto it = rule.labels.cbegin(); it != rule.labels.cend(); ++it)
        labels.insert(it.key(), it.value());
    QJsonObject object{{"name", rule.name},
                       {"expr", rule.expression},
                       {"op", comparatorSymbol(rule.comparator)},
                       {"threshold", rule.threshold},
                       {"for", PromDuration::format(rule.forMs)},
                       {"keep_firing_for", PromDuration::format(rule.keepFiringForMs)},
                       {"severity", severityName(rule.severity)},
                       {"labels", labels},
                       {"summary", rule.summary},
                       {"description", rule.description},
                       {"no_data", noDataName(rule.noData)},
                       {"interval", PromDuration::format(rule.intervalMs)},
                       {"enabled", rule.enabled}};
    if (!rule.route.isEmpty())
        object.insert(QStringLiteral("route"), rule.route);
    if (!rule.unit.isEmpty())
        object.insert(QStringLiteral("unit"), rule.unit);
    return object;
}

} // namespace

LoadResult parse(const QByteArray& json)
{
    LoadResult result;
    if (json.size() > kMaxDocumentBytes) {
        result.errors << QStringLiteral("rules file: larger than %1 MiB")
                             .arg(kMaxDocumentBytes / (1024 * 1024));
        return result;
    }
    const BoundedJson::Result parsed = BoundedJson::parse(
        json, BoundedJson::fileLimits(kMaxDocumentBytes), QStringLiteral("rules file"));
    if (parsed.error == BoundedJson::Error::Invalid || parsed.error == BoundedJson::Error::Empty) {
        result.errors << QStringLiteral("rules file: not valid JSON at byte %1: %2")
                             .arg(parsed.offset)
                             .arg(parsed.error == BoundedJson::Error::Empty ? parsed.detail
                                                                            : parsed.parserError);
        return result;
    }
    if (!parsed.ok()) {
        result.errors << parsed.message;
        return result;
    }
    const QJsonDocument& document = parsed.document;
    if (!document.isObject()) {
        result.errors << QStringLiteral("rules file: expected an object with a \"rules\" array");
        return result;
    }
    ConfigDiagnostics diagnostics;
    JsonFieldReader top(document.object(), QString(), &diagnostics);
    top.ignore(QStringLiteral("rules"));
    top.reportUnknownKeys();
    const QJsonValue rulesValue = document.object().value(QStringLiteral("rules"));
    if (!rulesValue.isArray()) {
        result.errors << QStringLiteral("rules: expected an array, got %1")
                             .arg(JsonFieldReader::describe(rulesValue));
        return result;
    }
    const QJsonArray array = rulesValue.toArray();
    if (array.size() > kMaxRules) {
        result.errors << QStringLiteral("rules: more than %1 rules").arg(kMaxRules);
        return result;
    }
    QSet<QString> names;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("rules[%1]").arg(i);
        if (!array.at(i).isObject()) {
            diagnostics.errors << QStringLiteral("%1: expected an object, got %2")
                                      .arg(path, JsonFieldReader::describe(array.at(i)));
            continue;
        }
        const qsizetype before = diagnostics.errors.size();
        AlertRule rule = readRule(array.at(i).toObject(), path, &diagnostics);
        if (diagnostics.errors.size() != before)
            continue; // field errors first; validating half-read rules only adds noise
        for (const QString& problem : rule.validate())
            diagnostics.errors << QStringLiteral("%1.%2").arg(path, problem);
        if (names.contains(rule.name))
            diagnostics.errors << QStringLiteral("%1.name: \"%2\" is already used by another rule")
                                      .arg(path, rule.name);
        names.insert(rule.name);
        result.value.push_back(std::move(rule));
    }
    result.errors = diagnostics.errors;
    result.warnings = diagnostics.warnings;
    if (!result.errors.isEmpty())
        result.value.clear();
    return result;
}

QByteArray serialize(const std::vector<AlertRule>& rules)
{
    QJsonArray array;
    for (const AlertRule& rule : rules)
        array.append(toJson(rule));
    return QJsonDocument(QJsonObject{{"rules", array}}).toJson(QJsonDocument::Indented);
}

LoadResult loadFile(const QString& path)
{
    QFile file(path);
    if (file.size() > kMaxDocumentBytes) {
        LoadResult result;
        result.errors << QStringLiteral("%1: larger than %2 MiB")
                             .arg(path)
                             .arg(kMaxDocumentBytes / (1024 * 1024));
        return result;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        LoadResult result;
        result.errors << QStringLiteral("%1: %2").arg(path, file.errorString());
        return result;
    }
    return parse(file.read(kMaxDocumentBytes + 1));
}

bool saveFile(const QString& path, const std::vector<AlertRule>& rules, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(serialize(rules)) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::vector<AlertRule> defaults()
{
    LoadResult result = loadFile(QStringLiteral(":/alerts/default-rules.json"));
    // The bundled file is tested (tst_alertrulejson); a broken one is a build defect.
    Q_ASSERT(result.errors.isEmpty());
    return result.value;
}

QString defaultConsoleFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/alert-rules.json");
}

} // namespace querydeck::AlertRuleJson
