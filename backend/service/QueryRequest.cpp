#include "backend/service/QueryRequest.h"

#include "backend/common/BoundedJson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <cmath>

namespace querydeck {

namespace {

QueryRequest::Parsed fail(QString message)
{
    return {{}, ApiError::badRequest(std::move(message))};
}

bool isAscii(QByteArrayView bytes)
{
    unsigned char bits = 0;
    for (const char c : bytes)
        bits |= static_cast<unsigned char>(c);
    return bits < 0x80;
}

qsizetype codePointCount(const QString& text)
{
    qsizetype count = 0;
    for (QChar c : text)
        count += c.isLowSurrogate() ? 0 : 1;
    return count;
}

bool hasForbiddenControl(const QString& text)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 && u != '\t' && u != '\n' && u != '\r')
            return true;
    }
    return false;
}

QString jsonTypeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

} // namespace

bool QueryRequest::isJsonContentType(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArrayView mime =
        (semicolon < 0 ? contentType : contentType.first(semicolon)).trimmed();
    return mime.compare("application/json", Qt::CaseInsensitive) == 0;
}

bool QueryRequest::isValidClientId(QStringView id)
{
    if (id.isEmpty() || id.size() > kMaxClientIdLength)
        return false;
    for (QChar c : id)
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return false;
    return true;
}

QueryRequest::Parsed QueryRequest::parse(QByteArrayView body, int defaultTopK)
{
    if (body.trimmed().isEmpty())
        return fail(QStringLiteral("request body is empty; expected a JSON object with \"query\""));

    if (!isAscii(body)) { // ASCII, the usual body, is valid UTF-8 without decoding
        QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
        const QString decoded = decoder.decode(body); // EncodedData is lazy: convert to check
        if (decoder.hasError())
            return fail(QStringLiteral("request body is not valid UTF-8"));
    }

    // Bounded before Qt's recursive parser sees it: ~1,000 nested brackets
    // overflowed the HTTP worker's stack (issue 12).
    const BoundedJson::Result json = BoundedJson::parse(
        body, BoundedJson::requestLimits(kMaxBodyBytes), QStringLiteral("request body"));
    if (json.error == BoundedJson::Error::Invalid)
        return fail(
            QStringLiteral("invalid JSON at offset %1: %2").arg(json.offset).arg(json.parserError));
    if (!json.ok())
        return fail(json.message);
    const QJsonDocument& doc = json.document;
    if (!doc.isObject())
        return fail(
            QStringLiteral("body must be a JSON object, got %1")
                .arg(doc.isArray() ? QStringLiteral("an array") : QStringLiteral("a scalar")));

    const QJsonObject object = doc.object();
    Parsed parsed;
    QueryRequest& request = parsed.request;

    const QJsonValue query = object.value(QLatin1String("query"));
    if (!query.isString())
        return fail(
            QStringLiteral("field \"query\" must be a string, got %1").arg(jsonTypeName(query)));
    request.query = query.toString();
    if (request.query.trimmed().isEmpty())
        return fail(QStringLiteral("field \"query\" is empty"));
    const qsizetype length = codePointCount(request.query);
    if (length > kMaxQueryCharacters)
        return fail(QStringLiteral("field \"query\" has %1 characters; the maximum is %2")
                        .arg(length)
                        .arg(kMaxQueryCharacters));
    if (hasForbiddenControl(request.query))
        return fail(QStringLiteral("field \"query\" contains control characters"));

    request.topK = defaultTopK;
    const QJsonValue topK = object.value(QLatin1String("top_k"));
    if (!topK.isUndefined()) {
        const double value = topK.toDouble(-1);
        if (!topK.isDouble() || std::floor(value) != value || value < 1 || value > kMaxTopK)
            return fail(
                QStringLiteral("field \"top_k\" must be an integer from 1 to %1").arg(kMaxTopK));
        request.topK = int(value);
    }

    const QJsonValue client = object.value(QLatin1String("client"));
    if (!client.isUndefined()) {
        if (!client.isString() || !isValidClientId(client.toString()))
            return fail(
                QStringLiteral("field \"client\" must be 1 to %1 printable ASCII characters")
                    .arg(kMaxClientIdLength));
        request.client = client.toString();
    }
    return parsed;
}

} // namespace querydeck
