#pragma once

#include <QByteArray>
#include <QString>

namespace querydeck {

// An error answer of the HTTP API: {"error":{"code":…,"message":…}} with its
// status and, where the contract asks for them, Retry-After and Allow.
struct ApiError
{
    int status = 500;
    QByteArray code;
    QString message;
    int retryAfterSeconds = 0; // 429 / 503
    QByteArray allow;          // 405

    QByteArray body() const;

    static ApiError badRequest(QString message, QByteArray code = "invalid_request");
    static ApiError unauthorized(QString message);
    static ApiError notFound(QByteArrayView path);
    static ApiError methodNotAllowed(QByteArrayView method, QByteArray allow);
    static ApiError payloadTooLarge(qint64 limit);
    static ApiError unsupportedMediaType(QByteArrayView contentType);
    static ApiError rateLimited(int retryAfterSeconds);
    static ApiError unavailable(QByteArray code, QString message, int retryAfterSeconds);
    static ApiError upstream(QByteArray code, QString message);
};

} // namespace querydeck
