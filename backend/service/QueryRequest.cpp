#include "backend/service/QueryRequest.h"

#include "backend/common/BoundedJson.h"
#include "backend/service/FlatJsonObject.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <cmath>
#include <limits>

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

// top_k given but not a number: fails validated()'s integer check.
constexpr double kNotANumber = std::numeric_limits<double>::quiet_NaN();

bool isBlank(const QString& text)
{
    for (const QChar c : text)
        if (!c.isSpace())
            return false;
    return true;
}

// The checks both parsers' fields go through, in the order the errors are
// reported: query, then top_k, then client.
QueryRequest::Parsed validated(QString query, std::optional<double> topK,
                               std::optional<QString> client, int defaultTopK)
{
    using Limits = QueryRequest;
    QueryRequest::Parsed parsed;
    QueryRequest& request = parsed.request;
    request.query = std::move(query);
    if (isBlank(request.query))
        return fail(QStringLiteral("field \"query\" is empty"));
    const qsizetype length = codePointCount(request.query);
    if (length > Limits::kMaxQueryCharacters)
        return fail(QStringLiteral("field \"query\" has %1 characters; the maximum is %2")
                        .arg(length)
                        .arg(Limits::kMaxQueryCharacters));
    if (hasForbiddenControl(request.query))
        return fail(QStringLiteral("field \"query\" contains control characters"));

    request.topK = defaultTopK;
    if (topK) {
        const double value = *topK;
        if (std::isnan(value) || std::floor(value) != value || value < 1 ||
            value > Limits::kMaxTopK)
            return fail(QStringLiteral("field \"top_k\" must be an integer from 1 to %1")
                            .arg(Limits::kMaxTopK));
        request.topK = int(value);
    }

    if (client) {
        if (!QueryRequest::isValidClientId(*client))
            return fail(
                QStringLiteral("field \"client\" must be 1 to %1 printable ASCII characters")
                    .arg(Limits::kMaxClientIdLength));
        request.client = std::move(*client);
    }
    return parsed;
}

// The fields from the one-pass reader, when they have the types validated()
// expects; nullopt sends the body to the full parser (which also words the
// type errors).
std::optional<QueryRequest::Parsed> fromFlat(const FlatJsonObject::Members& members,
                                             int defaultTopK)
{
    bool duplicate = false;
    const auto query = members.find("query", &duplicate);
    const auto topK = members.find("top_k", &duplicate);
    const auto client = members.find("client", &duplicate);
    if (duplicate || !query || !query->isString || (topK && topK->isString) ||
        (client && !client->isString))
        return std::nullopt;
    std::optional<double> topKValue;
    if (topK) // digits only; beyond six of them it is out of range anyway
        topKValue =
            topK->text.size() > 6 ? double(QueryRequest::kMaxTopK) + 1 : double(topK->text.toInt());
    std::optional<QString> clientValue;
    if (client)
        clientValue = QString::fromUtf8(client->text);
    return validated(QString::fromUtf8(query->text), topKValue, std::move(clientValue),
                     defaultTopK);
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

// An empty body or one that is not UTF-8, refused before either parser.
std::optional<QueryRequest::Parsed> QueryRequest::refuseEncoding(QByteArrayView body)
{
    if (body.trimmed().isEmpty())
        return fail(QStringLiteral("request body is empty; expected a JSON object with \"query\""));
    if (!isAscii(body)) { // ASCII, the usual body, is valid UTF-8 without decoding
        QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
        const QString decoded = decoder.decode(body); // EncodedData is lazy: convert to check
        if (decoder.hasError())
            return fail(QStringLiteral("request body is not valid UTF-8"));
    }
    return std::nullopt;
}

QueryRequest::Parsed QueryRequest::parse(QByteArrayView body, int defaultTopK)
{
    if (const std::optional<Parsed> refused = refuseEncoding(body))
        return *refused;
    if (body.size() <= kMaxBodyBytes) {
        if (const auto members = FlatJsonObject::read(body)) {
            if (auto parsed = fromFlat(*members, defaultTopK))
                return std::move(*parsed);
        }
    }
    return parseObject(body, defaultTopK);
}

QueryRequest::Parsed QueryRequest::parseFully(QByteArrayView body, int defaultTopK)
{
    if (const std::optional<Parsed> refused = refuseEncoding(body))
        return *refused;
    return parseObject(body, defaultTopK);
}

QueryRequest::Parsed QueryRequest::parseObject(QByteArrayView body, int defaultTopK)
{
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
    const QJsonValue query = object.value(QLatin1String("query"));
    if (!query.isString())
        return fail(
            QStringLiteral("field \"query\" must be a string, got %1").arg(jsonTypeName(query)));
    std::optional<double> topK;
    if (const QJsonValue value = object.value(QLatin1String("top_k")); !value.isUndefined())
        topK = value.isDouble() ? value.toDouble() : kNotANumber;
    std::optional<QString> client;
    if (const QJsonValue value = object.value(QLatin1String("client")); !value.isUndefined())
        client = value.toString(); // not a string: empty, which is not a valid id
    return validated(query.toString(), topK, std::move(client), defaultTopK);
}

} // namespace querydeck
