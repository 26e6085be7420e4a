#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QString>

namespace querydeck {

// What one JSON-over-HTTP exchange produced. `error` is set for failures that
// happened below HTTP (transport, timeout, cancelled, oversized or non-JSON
// success body); an HTTP error status alone leaves it empty and is seen in
// `status`, with the server's body in `raw` (and `body` when it was JSON).
struct HttpJsonResponse
{
    int status = 0; // 0: no HTTP response at all
    QJsonDocument body;
    QByteArray raw;
    QString error;
    enum class Failure
    {
        None,
        Transport,
        Timeout,
        Cancelled,
        TooLarge,
        BadJson,
        InvalidRequest,
        RedirectRefused // to a less safe scheme, or off-origin with credentials
    };
    Failure failure = Failure::None; // kind of `error`
    int attempts = 1;                // postWithRetry: how many requests were sent
    QByteArray retryAfter;           // Retry-After header as received, if any
    // postWithRetry: the backoff waits it sat out before each retry, as planned
    // (the client's own timer), so callers and tests see the waits without timing them.
    QList<qint64> retryWaitsMs;

    bool ok() const { return error.isEmpty() && status >= 200 && status < 300; }
    // One line for logs and error messages: the transport error, or
    // "HTTP <status>: <start of body>". Never contains request headers.
    QString describe() const;

    // Parses `raw` (the body of a reply with `status`) into `body`; a 2xx reply
    // whose body is empty (but not 204) or not JSON becomes BadJson with an
    // error naming `from` (the URL without credentials) and the parser's offset.
    // HttpJsonClient calls it on every complete reply; tests and the fuzzer
    // call it on bytes.
    void readBody(const QString& from);
};

} // namespace querydeck
