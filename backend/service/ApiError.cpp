#include "backend/service/ApiError.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace querydeck {

QByteArray ApiError::body() const
{
    const QJsonObject error{{QStringLiteral("code"), QString::fromLatin1(code)},
                            {QStringLiteral("message"), message}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

ApiError ApiError::badRequest(QString message, QByteArray code)
{
    return {400, std::move(code), std::move(message), 0, {}};
}

ApiError ApiError::unauthorized(QString message)
{
    return {401, "unauthorized", std::move(message), 0, {}};
}

ApiError ApiError::notFound(QByteArrayView path)
{
    // The path is echoed truncated: it is client input and may be huge.
    return {404,
            "not_found",
            QStringLiteral("no route for %1")
                .arg(QString::fromUtf8(path.first(qMin(path.size(), 200)))),
            0,
            {}};
}

ApiError ApiError::methodNotAllowed(QByteArrayView method, QByteArray allow)
{
    ApiError e{405,
               "method_not_allowed",
               QStringLiteral("method %1 is not allowed here; use %2")
                   .arg(QString::fromLatin1(method.first(qMin(method.size(), 20))),
                        QString::fromLatin1(allow)),
               0,
               {}};
    e.allow = std::move(allow);
    return e;
}

ApiError ApiError::payloadTooLarge(qint64 limit)
{
    return {413,
            "payload_too_large",
            QStringLiteral("request body is larger than the limit of %1 bytes").arg(limit),
            0,
            {}};
}

ApiError ApiError::unsupportedMediaType(QByteArrayView contentType)
{
    const QString got = contentType.isEmpty()
                            ? QStringLiteral("none")
                            : QString::fromLatin1(contentType.first(qMin(contentType.size(), 100)));
    return {415,
            "unsupported_media_type",
            QStringLiteral("Content-Type must be application/json, got %1").arg(got),
            0,
            {}};
}

ApiError ApiError::rateLimited(int retryAfterSeconds)
{
    return {429,
            "rate_limited",
            QStringLiteral("too many requests from this client; retry after %1 s")
                .arg(retryAfterSeconds),
            retryAfterSeconds,
            {}};
}

ApiError ApiError::unavailable(QByteArray code, QString message, int retryAfterSeconds)
{
    return {503, std::move(code), std::move(message), retryAfterSeconds, {}};
}

ApiError ApiError::upstream(QByteArray code, QString message)
{
    return {502, std::move(code), std::move(message), 0, {}};
}

} // namespace querydeck
