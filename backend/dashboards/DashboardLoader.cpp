#include "backend/dashboards/DashboardLoader.h"

#include "backend/common/BoundedJson.h"
#include "backend/logging/Logging.h"
#include "backend/metrics/Expression.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <cmath>

namespace querydeck {

namespace {

const QString DefaultPath = QStringLiteral(":/dashboards/default.json");

// Empty when `expr` is acceptable, else the parser's complaint.
QString checkExpression(const QString& expr)
{
    const Expression parsed = Expression::parse(expr);
    return parsed.isValid() ? QString() : parsed.error();
}

// A value as it appears in the document, shortened so a huge string cannot
// flood a message.
QString describe(const QJsonValue& value)
{
    QString text;
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::String: {
        QJsonArray wrapper{value};
        text = QString::fromUtf8(QJsonDocument(wrapper).toJson(QJsonDocument::Compact));
        text = text.mid(1, text.size() - 2); // strip [ ]
        break;
    }
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        return QStringLiteral("nothing");
    }
    constexpr qsizetype Max = 80;
    if (text.size() > Max)
        text = text.left(Max) + QStringLiteral("…\"");
    return text;
}

// Collects errors and warnings for one document and reads typed fields,
// each reported under its JSON path.
class Reader
{
public:
    explicit Reader(DashboardLoadResult& result)
        : m_result(result)
    {
    }

    void error(const QString& path, const QString& problem)
    {
        m_result.errors.append(path + QStringLiteral(": ") + problem);
    }
    void warning(const QString& path, const QString& problem)
    {
        m_result.warnings.append(path + QStringLiteral(": ") + problem);
    }

    void checkKeys(const QJsonObject& object, const QString& path,
                   std::initializer_list<QLatin1StringView> known)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            bool found = false;
            for (const auto& key : known)
                found = found || it.key() == key;
            if (!found)
                warning(join(path, it.key()), QStringLiteral("unknown key, ignored"));
        }
    }

    static QString join(const QString& path, const QString& key)
    {
        return path.isEmpty() ? key : path + u'.' + key;
    }
    static QString index(const QString& path, qsizetype i)
    {
        return path + u'[' + QString::number(i) + u']';
    }

    // Required strings must be present and non-empty.
    QString string(const QJsonObject& object, const QString& path, const QString& key,
                   bool required, const QString& fallback = {})
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined()) {
            if (required)
                error(join(path, key), QStringLiteral("is required"));
            return fallback;
        }
        if (!value.isString()) {
            error(join(path, key), QStringLiteral("must be a string, got %1").arg(describe(value)));
            return fallback;
        }
        const QString text = value.toString();
        if (required && text.trimmed().isEmpty())
            error(join(path, key),
                  QStringLiteral("must not be empty, got %1").arg(describe(value)));
        return text;
    }

    bool boolean(const QJsonObject& object, const QString& path, const QString& key, bool fallback)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return fallback;
        if (!value.isBool()) {
            error(join(path, key),
                  QStringLiteral("must be true or false, got %1").arg(describe(value)));
            return fallback;
        }
        return value.toBool();
    }

    // Optional number; NaN when absent or wrong.
    double number(const QJsonObject& object, const QString& path, const QString& key)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return std::nan("");
        if (!value.isDouble()) {
            error(join(path, key), QStringLiteral("must be a number, got %1").arg(describe(value)));
            return std::nan("");
        }
        return value.toDouble();
    }

    int integer(const QJsonObject& object, const QString& path, const QString& key, int low,
                int high, int fallback)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return fallback;
        const double d = value.toDouble(std::nan(""));
        if (!value.isDouble() || std::floor(d) != d || d < low || d > high) {
            error(join(path, key), QStringLiteral("must be a whole number from %1 to %2, got %3")
                                       .arg(low)
                                       .arg(high)
                                       .arg(describe(value)));
            return fallback;
        }
        return int(d);
    }

    // Required (or optional) array; an empty QJsonArray when absent or wrong.
    QJsonArray array(const QJsonObject& object, const QString& path, const QString& key,
                     bool required)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined()) {
            if (required)
                error(join(path, key), QStringLiteral("is required"));
            return {};
        }
        if (!value.isArray()) {
            error(join(path, key), QStringLiteral("must be an array, got %1").arg(describe(value)));
            return {};
        }
        return value.toArray();
    }

    bool object(const QJsonValue& value, const QString& path)
    {
        if (value.isObject())
            return true;
        error(path, QStringLiteral("must be an object, got %1").arg(describe(value)));
        return false;
    }

private:
    DashboardLoadResult& m_result;
};

bool isKnownColour(const QString& colour)
{
    static const QRegularExpression hex(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    static const QStringList names{QStringLiteral("green"), QStringLiteral("amber"),
                                   QStringLiteral("red"), QStringLiteral("blue"),
                                   QStringLiteral("grey")};
    return names.contains(colour) || hex.match(colour).hasMatch();
}

std::vector<Threshold> readThresholds(Reader& reader, const QJsonObject& panel, const QString& path)
{
    std::vector<Threshold> thresholds;
    const QString listPath = Reader::join(path, QStringLiteral("thresholds"));
    const QJsonArray list = reader.array(panel, path, QStringLiteral("thresholds"), false);
    double previous = -std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString stepPath = Reader::index(listPath, i);
        if (!reader.object(list.at(i), stepPath))
            continue;
        const QJsonObject step = list.at(i).toObject();
        reader.checkKeys(step, stepPath, {QLatin1StringView("value"), QLatin1StringView("color")});

        Threshold threshold;
        const QString valuePath = Reader::join(stepPath, QStringLiteral("value"));
        const QJsonValue value = step.value(QStringLiteral("value"));
        if (value.isNull()) {
            if (i != 0)
                reader.error(valuePath, QStringLiteral("only the first threshold may be null "
                                                       "(the base colour), got null"));
        } else if (value.isDouble()) {
            threshold.value = value.toDouble();
            if (threshold.value <= previous) {
                reader.error(valuePath,
                             QStringLiteral("thresholds must be ascending: must be greater than "
                                            "%1 (the previous step), got %2")
                                 .arg(QString::number(previous, 'g', 17), describe(value)));
            }
            previous = threshold.value;
        } else {
            reader.error(valuePath,
                         QStringLiteral("must be a number or null, got %1").arg(describe(value)));
        }

        threshold.color = reader.string(step, stepPath, QStringLiteral("color"), true);
        if (!threshold.color.isEmpty() && !isKnownColour(threshold.color)) {
            reader.error(Reader::join(stepPath, QStringLiteral("color")),
                         QStringLiteral("unknown colour (expected green, amber, red, blue, grey "
                                        "or #rrggbb), got %1")
                             .arg(describe(step.value(QStringLiteral("color")))));
        }
        thresholds.push_back(threshold);
    }
    return thresholds;
}

std::vector<PanelTarget> readTargets(Reader& reader, const QJsonObject& panel, const QString& path)
{
    std::vector<PanelTarget> targets;
    const QString listPath = Reader::join(path, QStringLiteral("targets"));
    const QJsonArray list = reader.array(panel, path, QStringLiteral("targets"), true);
    if (list.isEmpty() && panel.value(QStringLiteral("targets")).isArray())
        reader.error(listPath, QStringLiteral("must have at least one target, got []"));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString targetPath = Reader::index(listPath, i);
        if (!reader.object(list.at(i), targetPath))
            continue;
        const QJsonObject object = list.at(i).toObject();
        reader.checkKeys(object, targetPath,
                         {QLatin1StringView("expr"), QLatin1StringView("legend")});
        PanelTarget target;
        target.expr = reader.string(object, targetPath, QStringLiteral("expr"), true);
        target.legend = reader.string(object, targetPath, QStringLiteral("legend"), false);
        if (!target.expr.trimmed().isEmpty()) {
            const QString problem = checkExpression(target.expr);
            if (!problem.isEmpty()) {
                reader.error(Reader::join(targetPath, QStringLiteral("expr")),
                             problem + QStringLiteral(", got ") +
                                 describe(object.value(QStringLiteral("expr"))));
            }
        }
        targets.push_back(target);
    }
    return targets;
}

PanelType readType(Reader& reader, const QJsonObject& panel, const QString& path)
{
    const QString type = reader.string(panel, path, QStringLiteral("type"), true);
    if (type == u"timeseries")
        return PanelType::TimeSeries;
    if (type == u"stat")
        return PanelType::Stat;
    if (type == u"gauge")
        return PanelType::Gauge;
    if (type == u"table")
        return PanelType::Table;
    if (!type.trimmed().isEmpty()) {
        reader.error(Reader::join(path, QStringLiteral("type")),
                     QStringLiteral("must be one of timeseries, stat, gauge, table, got %1")
                         .arg(describe(panel.value(QStringLiteral("type")))));
    }
    return PanelType::TimeSeries;
}

PanelDefinition readPanel(Reader& reader, const QJsonObject& object, const QString& path)
{
    reader.checkKeys(
        object, path,
        {QLatin1StringView("id"), QLatin1StringView("title"), QLatin1StringView("description"),
         QLatin1StringView("type"), QLatin1StringView("targets"), QLatin1StringView("unit"),
         QLatin1StringView("decimals"), QLatin1StringView("thresholds"), QLatin1StringView("min"),
         QLatin1StringView("max"), QLatin1StringView("span")});
    PanelDefinition panel;
    panel.id = reader.string(object, path, QStringLiteral("id"), true);
    panel.title = reader.string(object, path, QStringLiteral("title"), true);
    panel.description = reader.string(object, path, QStringLiteral("description"), false);
    panel.type = readType(reader, object, path);
    panel.targets = readTargets(reader, object, path);

    static const QStringList units{QStringLiteral("percent"), QStringLiteral("percentunit"),
                                   QStringLiteral("bytes"),   QStringLiteral("bytes/s"),
                                   QStringLiteral("reqpm"),   QStringLiteral("reqps"),
                                   QStringLiteral("ms"),      QStringLiteral("s"),
                                   QStringLiteral("short"),   QStringLiteral("none")};
    panel.unit =
        reader.string(object, path, QStringLiteral("unit"), false, QStringLiteral("short"));
    if (!units.contains(panel.unit)) {
        reader.error(Reader::join(path, QStringLiteral("unit")),
                     QStringLiteral("must be one of %1, got %2")
                         .arg(units.join(QStringLiteral(", ")),
                              describe(object.value(QStringLiteral("unit")))));
    }
    panel.decimals = reader.integer(object, path, QStringLiteral("decimals"), 0, 10, -1);
    panel.thresholds = readThresholds(reader, object, path);
    panel.min = reader.number(object, path, QStringLiteral("min"));
    panel.max = reader.number(object, path, QStringLiteral("max"));
    if (!std::isnan(panel.min) && !std::isnan(panel.max) && panel.min >= panel.max) {
        reader.error(Reader::join(path, QStringLiteral("max")),
                     QStringLiteral("must be greater than min (%1), got %2")
                         .arg(describe(object.value(QStringLiteral("min"))),
                              describe(object.value(QStringLiteral("max")))));
    }
    if (panel.type == PanelType::Gauge && (std::isnan(panel.min) || std::isnan(panel.max)) &&
        panel.unit != u"percent" && panel.unit != u"percentunit") {
        reader.warning(path, QStringLiteral("a gauge without min and max scales to its "
                                            "thresholds or data"));
    }
    panel.span = reader.integer(object, path, QStringLiteral("span"), 1, 4, 1);
    return panel;
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

    Reader reader(result);
    const QJsonObject root = document.object();
    reader.checkKeys(
        root, {},
        {QLatin1StringView("uid"), QLatin1StringView("title"), QLatin1StringView("rows")});
    DashboardDefinition& dashboard = result.value;
    dashboard.uid = reader.string(root, {}, QStringLiteral("uid"), true);
    dashboard.title = reader.string(root, {}, QStringLiteral("title"), true);
    const QJsonArray rows = reader.array(root, {}, QStringLiteral("rows"), true);
    if (rows.isEmpty() && root.value(QStringLiteral("rows")).isArray())
        reader.error(QStringLiteral("rows"), QStringLiteral("must have at least one row, got []"));

    QHash<QString, QString> panelIds; // id -> path of its first use
    for (qsizetype r = 0; r < rows.size(); ++r) {
        const QString rowPath = Reader::index(QStringLiteral("rows"), r);
        if (!reader.object(rows.at(r), rowPath))
            continue;
        const QJsonObject rowObject = rows.at(r).toObject();
        reader.checkKeys(rowObject, rowPath,
                         {QLatin1StringView("title"), QLatin1StringView("collapsed"),
                          QLatin1StringView("panels")});
        RowDefinition row;
        row.title = reader.string(rowObject, rowPath, QStringLiteral("title"), true);
        row.collapsed = reader.boolean(rowObject, rowPath, QStringLiteral("collapsed"), false);
        const QString panelsPath = Reader::join(rowPath, QStringLiteral("panels"));
        const QJsonArray panels = reader.array(rowObject, rowPath, QStringLiteral("panels"), true);
        if (panels.isEmpty() && rowObject.value(QStringLiteral("panels")).isArray())
            reader.error(panelsPath, QStringLiteral("must have at least one panel, got []"));
        for (qsizetype p = 0; p < panels.size(); ++p) {
            const QString panelPath = Reader::index(panelsPath, p);
            if (!reader.object(panels.at(p), panelPath))
                continue;
            PanelDefinition panel = readPanel(reader, panels.at(p).toObject(), panelPath);
            if (!panel.id.isEmpty()) {
                const auto first = panelIds.constFind(panel.id);
                if (first != panelIds.constEnd()) {
                    reader.error(Reader::join(panelPath, QStringLiteral("id")),
                                 QStringLiteral("duplicate panel id (first used at %1), got %2")
                                     .arg(*first, describe(QJsonValue(panel.id))));
                } else {
                    panelIds.insert(panel.id, panelPath);
                }
            }
            row.panels.push_back(std::move(panel));
        }
        dashboard.rows.push_back(std::move(row));
    }

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
