#include "backend/alerting/AlertAcknowledgements.h"

#include "backend/alerting/JsonListFile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace querydeck::AlertAcknowledgements {

namespace {

constexpr int kMaxEntries = 10000;
constexpr qsizetype kMaxFileBytes = 8 * 1024 * 1024;
constexpr qsizetype kMaxFieldChars = 4096;

} // namespace

LoadResult parse(const QByteArray& json)
{
    LoadResult result;
    const std::optional<QJsonArray> list = JsonListFile::parseList(
        json, QStringLiteral("acknowledgements"), kMaxFileBytes, &result.errors);
    if (!list)
        return result;
    const QJsonArray& array = *list;
    if (array.size() > kMaxEntries)
        result.errors << QStringLiteral("acknowledgements: more than %1 entries; the rest skipped")
                             .arg(kMaxEntries);
    for (qsizetype i = 0; i < array.size() && i < kMaxEntries; ++i) {
        const QString path = QStringLiteral("acknowledgements[%1].").arg(i);
        const QJsonObject object = array[i].toObject();
        AlertAcknowledgement ack;
        ack.alert = object.value(QLatin1String("alert")).toString();
        ack.by = object.value(QLatin1String("by")).toString();
        const QDateTime at =
            QDateTime::fromString(object.value(QLatin1String("at")).toString(), Qt::ISODateWithMs);
        QStringList problems;
        if (!array[i].isObject())
            problems << QStringLiteral("expected an object");
        else {
            if (ack.alert.isEmpty() || ack.alert.size() > kMaxFieldChars ||
                !ack.alert.endsWith(QLatin1Char('}')))
                problems << QStringLiteral("alert: expected an alert key such as "
                                           "Rule{instance=\"x\"}");
            if (ack.by.trimmed().isEmpty() || ack.by.size() > kMaxFieldChars)
                problems << QStringLiteral("by: must be a name of 1 to %1 characters")
                                .arg(kMaxFieldChars);
            if (!at.isValid())
                problems << QStringLiteral("at: expected an RFC 3339 time");
        }
        for (const QString& problem : std::as_const(problems))
            result.errors << path + problem;
        if (!problems.isEmpty())
            continue;
        ack.atMs = at.toMSecsSinceEpoch();
        result.value.push_back(ack);
    }
    return result;
}

QByteArray serialize(const std::vector<AlertAcknowledgement>& acknowledgements)
{
    QJsonArray array;
    for (const AlertAcknowledgement& ack : acknowledgements)
        array.append(QJsonObject{
            {QStringLiteral("alert"), ack.alert},
            {QStringLiteral("by"), ack.by},
            {QStringLiteral("at"),
             QDateTime::fromMSecsSinceEpoch(ack.atMs, Qt::UTC).toString(Qt::ISODateWithMs)}});
    return QJsonDocument(QJsonObject{{QStringLiteral("acknowledgements"), array}}).toJson();
}

LoadResult loadFile(const QString& path)
{
    return JsonListFile::load<LoadResult>(path, kMaxFileBytes, parse);
}

bool saveFile(const QString& path, const std::vector<AlertAcknowledgement>& acknowledgements,
              QString* error)
{
    QDir().mkpath(QFileInfo(path).absolutePath()); // the first run: no data dir yet
    return JsonListFile::write(path, serialize(acknowledgements), error);
}

QString keepAside(const QString& path, qint64 nowMs)
{
    const QString copy = QStringLiteral("%1.corrupt-%2")
                             .arg(path, QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC)
                                            .toString(QStringLiteral("yyyyMMdd'T'HHmmsszzz'Z'")));
    return QFile::copy(path, copy) ? copy : QString();
}

} // namespace querydeck::AlertAcknowledgements
