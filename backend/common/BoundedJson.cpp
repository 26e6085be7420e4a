#include "backend/common/BoundedJson.h"

#include <QJsonParseError>

namespace querydeck {

namespace {

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

BoundedJson::Result failure(BoundedJson::Error error, qsizetype offset, QString detail,
                            QStringView what)
{
    BoundedJson::Result result;
    result.error = error;
    result.offset = offset;
    result.message = what.isEmpty() ? detail : what.toString() + QStringLiteral(": ") + detail;
    result.detail = std::move(detail);
    return result;
}

} // namespace

BoundedJson::Result BoundedJson::check(QByteArrayView bytes, const JsonLimits& limits,
                                       QStringView what)
{
    if (bytes.size() > limits.maxBytes)
        return failure(Error::TooLarge, limits.maxBytes,
                       QStringLiteral("JSON is %1 bytes; the limit is %2 bytes")
                           .arg(bytes.size())
                           .arg(limits.maxBytes),
                       what);

    // One pass, no recursion: a depth counter and an in-string flag. Closers
    // without an opener are left for Qt to report; they cannot deepen anything.
    const char* data = bytes.data();
    const qsizetype size = bytes.size();
    bool sawContent = false;
    bool inString = false;
    int depth = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped byte, whatever it is, cannot end the string
            else if (c == '"')
                inString = false;
            continue;
        }
        if (isJsonWhitespace(c))
            continue;
        sawContent = true;
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > limits.maxDepth)
                return failure(Error::TooDeep, i,
                               QStringLiteral("JSON nested deeper than %1 levels at byte %2")
                                   .arg(limits.maxDepth)
                                   .arg(i),
                               what);
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth;
            break;
        default:
            break;
        }
    }
    if (!sawContent)
        return failure(Error::Empty, 0, QStringLiteral("empty; expected JSON"), what);
    return {};
}

BoundedJson::Result BoundedJson::parse(QByteArrayView bytes, const JsonLimits& limits,
                                       QStringView what)
{
    Result result = check(bytes, limits, what);
    if (!result.ok())
        return result;
    QJsonParseError parseError;
    result.document =
        QJsonDocument::fromJson(QByteArray::fromRawData(bytes.data(), bytes.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result = failure(Error::Invalid, parseError.offset,
                         QStringLiteral("invalid JSON at byte %1: %2")
                             .arg(parseError.offset)
                             .arg(parseError.errorString()),
                         what);
        result.parserError = parseError.errorString();
    }
    return result;
}

} // namespace querydeck
