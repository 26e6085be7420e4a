#include "backend/alerting/AlertSilence.h"

#include "backend/alerting/JsonListFile.h"
#include "backend/common/JsonFieldReader.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace querydeck {

namespace {

constexpr int kMaxSilences = 10000;
constexpr qsizetype kMaxFileBytes = 8 * 1024 * 1024;

QString rfc3339(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseTime(const QJsonValue& value)
{
    if (!value.isString())
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    return time.toMSecsSinceEpoch();
}

} // namespace

bool AlertMatcher::matches(const QMap<QString, QString>& labels) const
{
    const QString actual = labels.value(name);
    if (!regex)
        return actual == value;
    if (!m_compiled)
        m_compiled = QRegularExpression(QRegularExpression::anchoredPattern(value));
    return m_compiled->isValid() && m_compiled->match(actual).hasMatch();
}

QString AlertMatcher::toString() const
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""));
    return name + (regex ? QStringLiteral("=~\"") : QStringLiteral("=\"")) + escaped +
           QLatin1Char('"');
}

std::optional<AlertMatcher> AlertMatcher::parse(const QString& text, QString* error)
{
    static const QRegularExpression form(
        QStringLiteral(R"(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|=)\s*(.*?)\s*$)"));
    const auto match = form.match(text);
    if (!match.hasMatch()) {
        if (error)
            *error = QStringLiteral("\"%1\" is not name=\"value\" or name=~\"regex\"").arg(text);
        return std::nullopt;
    }
    AlertMatcher matcher;
    matcher.name = match.captured(1);
    matcher.regex = match.captured(2) == QLatin1String("=~");
    QString value = match.captured(3);
    if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) &&
        value.endsWith(QLatin1Char('"'))) {
        QString unescaped;
        const QString inner = value.mid(1, value.size() - 2);
        for (qsizetype i = 0; i < inner.size(); ++i) {
            if (inner[i] == QLatin1Char('\\') && i + 1 < inner.size())
                ++i;
            unescaped += inner[i];
        }
        value = unescaped;
    }
    matcher.value = value;
    if (matcher.regex && !QRegularExpression(value).isValid()) {
        if (error)
            *error = QStringLiteral("invalid regex \"%1\": %2")
                         .arg(value, QRegularExpression(value).errorString());
        return std::nullopt;
    }
    return matcher;
}

bool AlertSilence::matches(const QMap<QString, QString>& labels, qint64 t) const
{
    if (!activeAt(t) || matchers.isEmpty())
        return false;
    for (const AlertMatcher& matcher : matchers) {
        if (!matcher.matches(labels))
            return false;
    }
    return true;
}

QStringList AlertSilence::validate() const
{
    QStringList errors;
    if (matchers.isEmpty())
        errors << QStringLiteral("matchers: at least one is needed (a silence of everything is "
                                 "refused)");
    for (qsizetype i = 0; i < matchers.size(); ++i) {
        const AlertMatcher& m = matchers[i];
        if (m.name.isEmpty())
            errors << QStringLiteral("matchers[%1].name: must not be empty").arg(i);
        if (m.regex && !QRegularExpression(m.value).isValid())
            errors << QStringLiteral("matchers[%1].value: invalid regex: %2")
                          .arg(i)
                          .arg(QRegularExpression(m.value).errorString());
    }
    if (endsMs <= startsMs)
        errors << QStringLiteral("ends_at: must be after starts_at");
    if (comment.size() > 4096)
        errors << QStringLiteral("comment: longer than 4096 characters");
    if (createdBy.trimmed().isEmpty())
        errors << QStringLiteral("created_by: must not be empty");
    return errors;
}

namespace AlertSilences {

QJsonObject toJson(const AlertSilence& silence)
{
    QJsonArray matchers;
    for (const AlertMatcher& m : silence.matchers)
        matchers.append(m.toString());
    return {{QStringLiteral("id"), silence.id},
            {QStringLiteral("matchers"), matchers},
            {QStringLiteral("starts_at"), rfc3339(silence.startsMs)},
            {QStringLiteral("ends_at"), rfc3339(silence.endsMs)},
            {QStringLiteral("comment"), silence.comment},
            {QStringLiteral("created_by"), silence.createdBy}};
}

LoadResult parse(const QByteArray& json)
{
    LoadResult result;
    const std::optional<QJsonArray> list =
        JsonListFile::parseList(json, QStringLiteral("silences"), kMaxFileBytes, &result.errors);
    if (!list)
        return result;
    const QJsonArray& array = *list;
    for (qsizetype i = 0; i < array.size() && i < kMaxSilences; ++i) {
        const QString path = QStringLiteral("silences[%1]").arg(i);
        const QJsonObject object = array[i].toObject();
        AlertSilence silence;
        silence.id = object.value(QLatin1String("id")).toString();
        silence.comment = object.value(QLatin1String("comment")).toString();
        silence.createdBy = object.value(QLatin1String("created_by")).toString();
        QStringList problems;
        const auto starts = parseTime(object.value(QLatin1String("starts_at")));
        const auto ends = parseTime(object.value(QLatin1String("ends_at")));
        if (!starts)
            problems << QStringLiteral("starts_at: expected an RFC 3339 time");
        if (!ends)
            problems << QStringLiteral("ends_at: expected an RFC 3339 time");
        silence.startsMs = starts.value_or(0);
        silence.endsMs = ends.value_or(0);
        const QJsonArray matchers = object.value(QLatin1String("matchers")).toArray();
        for (qsizetype j = 0; j < matchers.size(); ++j) {
            QString error;
            if (auto m = AlertMatcher::parse(matchers[j].toString(), &error))
                silence.matchers << *m;
            else
                problems << QStringLiteral("matchers[%1]: %2").arg(j).arg(error);
        }
        if (silence.id.isEmpty())
            problems << QStringLiteral("id: must not be empty");
        if (problems.isEmpty())
            problems = silence.validate();
        if (!problems.isEmpty()) {
            for (const QString& p : problems)
                result.errors << path + QLatin1Char('.') + p;
            continue;
        }
        result.value.push_back(silence);
    }
    return result;
}

QByteArray serialize(const std::vector<AlertSilence>& silences)
{
    QJsonArray array;
    for (const AlertSilence& silence : silences)
        array.append(toJson(silence));
    return QJsonDocument(QJsonObject{{QStringLiteral("silences"), array}}).toJson();
}

LoadResult loadFile(const QString& path)
{
    return JsonListFile::load<LoadResult>(path, kMaxFileBytes, parse);
}

bool saveFile(const QString& path, const std::vector<AlertSilence>& silences, QString* error)
{
    return JsonListFile::write(path, serialize(silences), error);
}

} // namespace AlertSilences

} // namespace querydeck
