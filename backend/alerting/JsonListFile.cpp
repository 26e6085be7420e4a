#include "backend/alerting/JsonListFile.h"

#include "backend/common/BoundedJson.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace querydeck::JsonListFile {

std::optional<QJsonArray> parseList(const QByteArray& json, const QString& key, qsizetype maxBytes,
                                    QStringList* errors)
{
    if (json.size() > maxBytes) {
        *errors << QStringLiteral("%1: larger than %2 bytes").arg(key).arg(maxBytes);
        return std::nullopt;
    }
    const BoundedJson::Result parsed =
        BoundedJson::parse(json, BoundedJson::fileLimits(maxBytes), key);
    if (parsed.error == BoundedJson::Error::TooDeep) {
        *errors << parsed.message;
        return std::nullopt;
    }
    const QJsonDocument& doc = parsed.document;
    if (!parsed.ok() || !doc.isObject() || !doc.object().value(key).isArray()) {
        *errors << QStringLiteral("%1: expected {\"%1\": [...]}%2")
                       .arg(key, parsed.ok() ? QString()
                                             : QStringLiteral(" (%1 at offset %2)")
                                                   .arg(parsed.error == BoundedJson::Error::Empty
                                                            ? parsed.detail
                                                            : parsed.parserError)
                                                   .arg(parsed.offset));
        return std::nullopt;
    }
    return doc.object().value(key).toArray();
}

std::optional<QByteArray> read(const QString& path, qsizetype maxBytes, QString* error)
{
    QFile file(path);
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return file.read(maxBytes + 1);
}

bool write(const QString& path, const QByteArray& data, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace querydeck::JsonListFile
