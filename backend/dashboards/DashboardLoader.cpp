#include "backend/dashboards/DashboardLoader.h"

#include "backend/common/BoundedJson.h"
#include "backend/common/JsonFieldReader.h"
#include "backend/logging/Logging.h"
#include "backend/metrics/Expression.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <cmath>
#include <limits>
#include <optional>

namespace querydeck {

namespace {

const QString DefaultPath = QStringLiteral(":/dashboards/default.json");

// Empty when `expr` is acceptable, else the parser's complaint.
QString checkExpression(const QString& expr)
{
    const Expression parsed = Expression::parse(expr);
    return parsed.isValid() ? QString() : parsed.error();
}

// Dashboards set no count limits of their own: MaxFileBytes bounds every list.
constexpr int kAnyCount = std::numeric_limits<int>::max();
// Expressions and descriptions may be long and written over several lines.
constexpr int kMaxLongText = 64 * 1024;

// A field the panel cannot do without: present, a string, not blank.
void readRequiredText(JsonFieldReader& reader, const QString& key, QString& out,
                      int maxLength = 4096,
                      JsonFieldReader::Text text = JsonFieldReader::Text::SingleLine)
{
    reader.require(key);
    reader.readNonEmptyString(key, out, maxLength, text);
}

bool isKnownColour(const QString& colour)
{
    static const QRegularExpression hex(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    static const QStringList names{QStringLiteral("green"), QStringLiteral("amber"),
                                   QStringLiteral("red"), QStringLiteral("blue"),
                                   QStringLiteral("grey")};
    return names.contains(colour) || hex.match(colour).hasMatch();
}

std::vector<Threshold> readThresholds(JsonFieldReader& panel)
{
    std::vector<Threshold> thresholds;
    const QString firstPath = panel.pathOf(QStringLiteral("thresholds[0]"));
    double previous = -std::numeric_limits<double>::infinity();
    for (JsonFieldReader& step : panel.objectEntries(QStringLiteral("thresholds"), 0, kAnyCount)) {
        Threshold threshold;
        const QString valueKey = QStringLiteral("value");
        std::optional<double> value;
        if (step.require(valueKey) &&
            step.readOptionalDouble(valueKey, value, -std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::infinity())) {
            if (!value) {
                // Entries that are not objects are skipped, so ask the path, not the position.
                if (step.pathOf({}) != firstPath)
                    step.addError(valueKey, QStringLiteral("only the first threshold may be null "
                                                           "(the base colour), got null"));
            } else {
                threshold.value = *value;
                if (threshold.value <= previous) {
                    step.addError(valueKey,
                                  QStringLiteral("thresholds must be ascending: must be greater "
                                                 "than %1 (the previous step), got %2")
                                      .arg(JsonFieldReader::describe(previous),
                                           JsonFieldReader::describe(threshold.value)));
                }
                previous = threshold.value;
            }
        }

        readRequiredText(step, QStringLiteral("color"), threshold.color);
        if (!threshold.color.isEmpty() && !isKnownColour(threshold.color)) {
            step.addError(QStringLiteral("color"),
                          QStringLiteral("unknown colour (expected green, amber, red, blue, grey "
                                         "or #rrggbb), got %1")
                              .arg(JsonFieldReader::describe(threshold.color)));
        }
        step.reportUnknownKeys();
        thresholds.push_back(threshold);
    }
    return thresholds;
}

std::vector<PanelTarget> readTargets(JsonFieldReader& panel)
{
    std::vector<PanelTarget> targets;
    panel.require(QStringLiteral("targets"));
    for (JsonFieldReader& entry : panel.objectEntries(QStringLiteral("targets"), 1, kAnyCount)) {
        PanelTarget target;
        readRequiredText(entry, QStringLiteral("expr"), target.expr, kMaxLongText,
                         JsonFieldReader::Text::MultiLine);
        entry.readString(QStringLiteral("legend"), target.legend);
        if (!target.expr.isEmpty()) {
            const QString problem = checkExpression(target.expr);
            if (!problem.isEmpty()) {
                entry.addError(QStringLiteral("expr"), problem + QStringLiteral(", got ") +
                                                           JsonFieldReader::describe(target.expr));
            }
        }
        entry.reportUnknownKeys();
        targets.push_back(target);
    }
    return targets;
}

PanelType readType(JsonFieldReader& panel)
{
    static const QStringList names{QStringLiteral("timeseries"), QStringLiteral("stat"),
                                   QStringLiteral("gauge"), QStringLiteral("table")};
    static const PanelType types[] = {PanelType::TimeSeries, PanelType::Stat, PanelType::Gauge,
                                      PanelType::Table};
    QString type;
    panel.require(QStringLiteral("type"));
    panel.readEnum(QStringLiteral("type"), type, names);
    const qsizetype index = names.indexOf(type);
    return index < 0 ? PanelType::TimeSeries : types[index];
}

PanelDefinition readPanel(JsonFieldReader& reader)
{
    PanelDefinition panel;
    readRequiredText(reader, QStringLiteral("id"), panel.id);
    readRequiredText(reader, QStringLiteral("title"), panel.title);
    reader.readString(QStringLiteral("description"), panel.description, kMaxLongText,
                      JsonFieldReader::Text::MultiLine);
    panel.type = readType(reader);
    panel.targets = readTargets(reader);

    static const QStringList units{QStringLiteral("percent"), QStringLiteral("percentunit"),
                                   QStringLiteral("bytes"),   QStringLiteral("bytes/s"),
                                   QStringLiteral("reqpm"),   QStringLiteral("reqps"),
                                   QStringLiteral("ms"),      QStringLiteral("s"),
                                   QStringLiteral("short"),   QStringLiteral("none")};
    panel.unit = QStringLiteral("short");
    reader.readEnum(QStringLiteral("unit"), panel.unit, units);
    reader.readInt(QStringLiteral("decimals"), panel.decimals, 0, 10);
    panel.thresholds = readThresholds(reader);
    constexpr double inf = std::numeric_limits<double>::infinity();
    reader.readDouble(QStringLiteral("min"), panel.min, -inf, inf);
    reader.readDouble(QStringLiteral("max"), panel.max, -inf, inf);
    if (!std::isnan(panel.min) && !std::isnan(panel.max) && panel.min >= panel.max) {
        reader.addError(
            QStringLiteral("max"),
            QStringLiteral("must be greater than min (%1), got %2")
                .arg(JsonFieldReader::describe(panel.min), JsonFieldReader::describe(panel.max)));
    }
    if (panel.type == PanelType::Gauge && (std::isnan(panel.min) || std::isnan(panel.max)) &&
        panel.unit != u"percent" && panel.unit != u"percentunit") {
        reader.addWarning({}, QStringLiteral("a gauge without min and max scales to its "
                                             "thresholds or data"));
    }
    reader.readInt(QStringLiteral("span"), panel.span, 1, 4);
    reader.reportUnknownKeys();
    return panel;
}

RowDefinition readRow(JsonFieldReader& reader, QHash<QString, QString>& panelIds)
{
    RowDefinition row;
    readRequiredText(reader, QStringLiteral("title"), row.title);
    reader.readBool(QStringLiteral("collapsed"), row.collapsed);
    reader.require(QStringLiteral("panels"));
    for (JsonFieldReader& entry : reader.objectEntries(QStringLiteral("panels"), 1, kAnyCount)) {
        PanelDefinition panel = readPanel(entry);
        if (!panel.id.isEmpty()) {
            const auto first = panelIds.constFind(panel.id);
            if (first != panelIds.constEnd()) {
                entry.addError(QStringLiteral("id"),
                               QStringLiteral("duplicate panel id (first used at %1), got %2")
                                   .arg(*first, JsonFieldReader::describe(panel.id)));
            } else {
                panelIds.insert(panel.id, entry.pathOf({}));
            }
        }
        row.panels.push_back(std::move(panel));
    }
    reader.reportUnknownKeys();
    return row;
}

} // namespace

DashboardLoadResult DashboardLoader::loadJson(const QByteArray& json, const QString& source)
{
    DashboardLoadResult result;
    const QString where = source.isEmpty() ? QStringLiteral("dashboard") : source;
    if (json.size() > MaxFileBytes) {
        result.errors.append(QStringLiteral("%1: document is %2 bytes, over the %3-byte limit")
                                 .arg(where)
                                 .arg(json.size())
                                 .arg(MaxFileBytes));
        return result;
    }
    const BoundedJson::Result parsed =
        BoundedJson::parse(json, BoundedJson::fileLimits(MaxFileBytes), where);
    if (parsed.error == BoundedJson::Error::Invalid || parsed.error == BoundedJson::Error::Empty) {
        result.errors.append(QStringLiteral("%1: not valid JSON at offset %2: %3")
                                 .arg(where)
                                 .arg(parsed.offset)
                                 .arg(parsed.error == BoundedJson::Error::Empty
                                          ? parsed.detail
                                          : parsed.parserError));
        return result;
    }
    if (!parsed.ok()) {
        result.errors.append(parsed.message);
        return result;
    }
    const QJsonDocument& document = parsed.document;
    if (!document.isObject()) {
        result.errors.append(QStringLiteral("%1: the top level must be a JSON object, got %2")
                                 .arg(where, document.isArray() ? QStringLiteral("an array")
                                                                : QStringLiteral("a value")));
        return result;
    }

    ConfigDiagnostics diagnostics;
    JsonFieldReader root(document.object(), QString(), &diagnostics);
    DashboardDefinition& dashboard = result.value;
    readRequiredText(root, QStringLiteral("uid"), dashboard.uid);
    readRequiredText(root, QStringLiteral("title"), dashboard.title);
    root.require(QStringLiteral("rows"));
    QHash<QString, QString> panelIds; // id -> path of its first use
    for (JsonFieldReader& row : root.objectEntries(QStringLiteral("rows"), 1, kAnyCount))
        dashboard.rows.push_back(readRow(row, panelIds));
    root.reportUnknownKeys();
    result.errors = diagnostics.errors;
    result.warnings = diagnostics.warnings;

    if (!source.isEmpty()) {
        for (QString& message : result.errors)
            message.prepend(source + QStringLiteral(": "));
        for (QString& message : result.warnings)
            message.prepend(source + QStringLiteral(": "));
    }
    return result;
}

DashboardLoadResult DashboardLoader::loadFile(const QString& path)
{
    DashboardLoadResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.errors.append(QStringLiteral("%1: cannot open: %2").arg(path, file.errorString()));
        return result;
    }
    if (file.size() > MaxFileBytes) {
        result.errors.append(QStringLiteral("%1: file is %2 bytes, over the %3-byte limit")
                                 .arg(path)
                                 .arg(file.size())
                                 .arg(MaxFileBytes));
        return result;
    }
    // Read one byte past the limit: a file that grows after size() is still refused.
    const QByteArray json = file.read(MaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        result.errors.append(QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
        return result;
    }
    return loadJson(json, path);
}

DashboardDefinition DashboardLoader::defaultDashboard()
{
    DashboardLoadResult result = loadFile(DefaultPath);
    for (const QString& error : std::as_const(result.errors))
        log::get("dashboard")->error("{}", error.toStdString());
    return std::move(result.value);
}

QStringList DashboardLoader::bundledDashboards()
{
    return {DefaultPath, QStringLiteral(":/dashboards/service.json"),
            QStringLiteral(":/dashboards/fleet.json")};
}

} // namespace querydeck
