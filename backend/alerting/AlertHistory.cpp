#include "backend/alerting/AlertHistory.h"

#include "backend/common/BoundedJson.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

constexpr qsizetype kMaxLineBytes = 64 * 1024;
constexpr int kMaxWarnings = 100;

QJsonValue numberOrText(const std::optional<double>& value)
{
    if (!value)
        return QJsonValue::Null;
    if (std::isfinite(*value))
        return *value;
    return std::isnan(*value) ? QStringLiteral("NaN")
                              : (*value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf"));
}

std::optional<double> readValue(const QJsonValue& value)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        bool ok = false;
        const QString text = value.toString();
        const double v = text == QLatin1String("NaN")    ? std::nan("")
                         : text == QLatin1String("+Inf") ? INFINITY
                         : text == QLatin1String("-Inf") ? -INFINITY
                                                         : text.toDouble(&ok);
        if (ok || text == QLatin1String("NaN") || text.endsWith(QLatin1String("Inf")))
            return v;
    }
    return std::nullopt;
}

} // namespace

AlertHistory::AlertHistory(QString path, Options options)
    : m_path(std::move(path))
    , m_options(options)
{
    m_options.maxEntries = std::max(1, m_options.maxEntries);
    m_options.maxBytes = std::max<qint64>(4096, m_options.maxBytes);
}

int AlertHistory::load()
{
    m_entries.clear();
    m_warnings.clear();
    if (m_path.isEmpty())
        return 0;
    readFile(m_path + QStringLiteral(".1"));
    readFile(m_path);
    return int(m_entries.size());
}

void AlertHistory::readFile(const QString& path)
{
    QFile file(path);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        m_warnings << QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        spdlog::warn("[alerts] history {}", m_warnings.last().toStdString());
        return;
    }
    int lineNumber = 0;
    int skipped = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine(kMaxLineBytes).trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        QString error;
        if (auto entry = fromLine(line, &error)) {
            keep(*entry);
            continue;
        }
        ++skipped;
        if (m_warnings.size() < kMaxWarnings)
            m_warnings << QStringLiteral("%1:%2: skipped: %3").arg(path).arg(lineNumber).arg(error);
    }
    if (skipped > 0)
        spdlog::warn("[alerts] history {}: skipped {} corrupt line(s), kept the rest",
                     path.toStdString(), skipped);
}

void AlertHistory::keep(const AlertHistoryEntry& entry)
{
    m_entries.push_back(entry);
    while (m_entries.size() > std::size_t(m_options.maxEntries))
        m_entries.pop_front();
}

bool AlertHistory::append(const AlertHistoryEntry& entry)
{
    keep(entry);
    if (m_path.isEmpty())
        return true;
    const QByteArray line = toLine(entry) + '\n';
    const QFileInfo info(m_path);
    if (info.exists() && info.size() + line.size() > m_options.maxBytes / 2) {
        QFile::remove(m_path + QStringLiteral(".1"));
        if (!QFile::rename(m_path, m_path + QStringLiteral(".1")))
            spdlog::warn("[alerts] history {}: cannot rotate", m_path.toStdString());
    }
    QDir().mkpath(info.absolutePath());
    QFile file(m_path);
    if (!file.open(QIODevice::ReadWrite | QIODevice::Append)) {
        spdlog::error("[alerts] history {}: cannot write: {}", m_path.toStdString(),
                      file.errorString().toStdString());
        return false;
    }
    // A line cut short by a crash is ended first, so it costs only itself.
    QByteArray out = line;
    if (file.size() > 0 && file.seek(file.size() - 1) && file.read(1) != "\n")
        out.prepend('\n');
    if (file.write(out) != out.size()) {
        spdlog::error("[alerts] history {}: cannot write: {}", m_path.toStdString(),
                      file.errorString().toStdString());
        return false;
    }
    return true;
}

QHash<QString, AlertHistory::Restored> AlertHistory::lastStates() const
{
    // Replays each instance's transitions in order, as AlertStateMachine
    // moved, so firing and active times survive a restart too.
    QHash<QString, Restored> out;
    for (const AlertHistoryEntry& entry : m_entries) {
        AlertInstance identity;
        identity.ruleName = entry.ruleName;
        identity.labels = entry.labels;
        Restored& r = out[identity.key()];
        r.ruleName = entry.ruleName;
        r.labels = entry.labels;
        r.severity = entry.severity;
        const AlertTransition& t = entry.transition;
        AlertStatus& s = r.status;
        if (t.to == AlertState::Pending || (t.to == AlertState::Firing && s.activeSinceMs == 0))
            s.activeSinceMs = t.t;
        if (t.to == AlertState::Firing &&
            (t.from != AlertState::Recovering || s.firingSinceMs == 0))
            s.firingSinceMs = t.t;
        if (t.to == AlertState::Recovering && s.firingSinceMs == 0)
            s.firingSinceMs = t.t;
        if (t.to != AlertState::Firing && t.to != AlertState::Recovering)
            s.firingSinceMs = 0;
        if (t.to == AlertState::Normal || t.to == AlertState::NoData || t.to == AlertState::Error)
            s.activeSinceMs = 0;
        s.state = t.to;
        s.stateSinceMs = t.t;
        s.lastEvalMs = t.t;
        s.value = t.value;
        s.error = t.error;
    }
    return out;
}

QByteArray AlertHistory::toLine(const AlertHistoryEntry& entry)
{
    QJsonObject labels;
    for (auto it = entry.labels.cbegin(); it != entry.labels.cend(); ++it)
        labels.insert(it.key(), it.value());
    const AlertTransition& t = entry.transition;
    QJsonObject object{
        {QStringLiteral("t"), double(t.t)},
        {QStringLiteral("time"),
         QDateTime::fromMSecsSinceEpoch(t.t, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("rule"), entry.ruleName},
        {QStringLiteral("labels"), labels},
        {QStringLiteral("severity"), severityName(entry.severity)},
        {QStringLiteral("from"), alertStateName(t.from)},
        {QStringLiteral("to"), alertStateName(t.to)},
        {QStringLiteral("value"), numberOrText(t.value)},
    };
    if (!t.error.isEmpty())
        object.insert(QStringLiteral("error"), t.error);
    if (!entry.note.isEmpty())
        object.insert(QStringLiteral("note"), entry.note);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<AlertHistoryEntry> AlertHistory::fromLine(const QByteArray& line, QString* error)
{
    auto fail = [error](const QString& why) -> std::optional<AlertHistoryEntry> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    // One line is one flat object; 64 levels is already far beyond that.
    const BoundedJson::Result parsed =
        BoundedJson::parse(line, JsonLimits{BoundedJson::kRequestDepth, kMaxLineBytes}, QString());
    if (parsed.error == BoundedJson::Error::Invalid)
        return fail(
            QStringLiteral("not JSON (%1 at byte %2)").arg(parsed.parserError).arg(parsed.offset));
    if (!parsed.ok())
        return fail(QStringLiteral("not JSON (%1)").arg(parsed.detail));
    const QJsonDocument& doc = parsed.document;
    if (!doc.isObject())
        return fail(QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    AlertHistoryEntry entry;
    const QJsonValue t = o.value(QLatin1String("t"));
    // Up to 2^53 ms (year 285,000): exact in a double, and a cast that is defined.
    constexpr double kMaxTimeMs = 9007199254740992.0;
    if (!t.isDouble() || !(t.toDouble() > 0) || t.toDouble() > kMaxTimeMs)
        return fail(QStringLiteral("t: expected a time in milliseconds"));
    entry.transition.t = qint64(t.toDouble());
    entry.ruleName = o.value(QLatin1String("rule")).toString();
    if (entry.ruleName.isEmpty())
        return fail(QStringLiteral("rule: expected a rule name"));
    if (!parseSeverity(o.value(QLatin1String("severity")).toString(), &entry.severity))
        return fail(QStringLiteral("severity: expected critical, warning or info"));
    if (!parseAlertState(o.value(QLatin1String("from")).toString(), &entry.transition.from))
        return fail(QStringLiteral("from: expected a state name"));
    if (!parseAlertState(o.value(QLatin1String("to")).toString(), &entry.transition.to))
        return fail(QStringLiteral("to: expected a state name"));
    const QJsonObject labels = o.value(QLatin1String("labels")).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (!it->isString())
            return fail(QStringLiteral("labels.%1: expected a string").arg(it.key()));
        entry.labels.insert(it.key(), it->toString());
    }
    entry.transition.value = readValue(o.value(QLatin1String("value")));
    entry.transition.error = o.value(QLatin1String("error")).toString();
    entry.note = o.value(QLatin1String("note")).toString();
    return entry;
}

} // namespace querydeck
