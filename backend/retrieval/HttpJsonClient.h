#pragma once

#include "backend/retrieval/HttpJsonResponse.h"
#include "backend/retrieval/RetryPolicy.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QUrl>
#include <chrono>
#include <functional>

namespace querydeck {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// Blocking JSON-over-HTTP POST for the clients of external model servers
// (Ollama, OpenAI-compatible).
//
// Threads: callable from any thread at once — the GUI thread excepted, which
// must never block on a socket — including std::threads and the HTTP handler threads
// that run no Qt event loop. Each calling thread lazily gets its own
// QNetworkAccessManager (thread_local, so connections are kept alive between
// calls of that thread) and each call spins a local QEventLoop until the reply
// finishes, the timeout fires or `cancelled` returns true. On a QThread that
// runs its own event loop, that nested loop also delivers the thread's other
// events, so such workers are better served by an asynchronous manager. A
// QCoreApplication must exist. https, gzip, chunked replies and same-or-safer
// redirects are handled by Qt; when the caller passes headers (they may be
// credentials) a redirect to another origin is refused so they cannot leak.
// Loopback hosts never go through a proxy. Bodies over kMaxResponseBytes are refused
// (Content-Length up front, chunked ones while reading). Request headers are never logged.
class HttpJsonClient
{
public:
    static constexpr qint64 kMaxResponseBytes = 8 * 1024 * 1024;

    // One attempt. `timeout` bounds the whole exchange, connect to last byte.
    static HttpJsonResponse post(const QUrl& url, const QJsonObject& body,
                                 const HttpHeaders& headers, std::chrono::milliseconds timeout,
                                 const std::function<bool()>& cancelled = {});

    // Retries transport errors, timeouts, 429 and 5xx (see RetryPolicy); never
    // other statuses, nor oversized or non-JSON bodies. `timeout` bounds each
    // attempt; `deadline` bounds everything, backoff waits included: attempts
    // are shortened to fit and no retry starts that could not finish.
    static HttpJsonResponse postWithRetry(const QUrl& url, const QJsonObject& body,
                                          const HttpHeaders& headers,
                                          std::chrono::milliseconds timeout,
                                          const RetryPolicy& policy,
                                          const std::function<bool()>& cancelled = {},
                                          QDeadlineTimer deadline = QDeadlineTimer::Forever);

    // Whether a response is worth another attempt.
    static bool isRetryable(const HttpJsonResponse& response);

    // Wait before retry number `retry` (1-based): backoff with jitter, or the
    // server's Retry-After, both capped at policy.maxBackoffMs. `unitRandom`
    // in [0,1) picks the jitter, so tests can pin it.
    static std::chrono::milliseconds retryDelay(const RetryPolicy& policy, int retry,
                                                const QByteArray& retryAfter, double unitRandom);

    // `base` with `path` appended to its path ("http://h:1/x/" + "/api/y" ->
    // "http://h:1/x/api/y"), for servers configured by base URL.
    static QUrl endpoint(const QUrl& base, const QString& path);
};

} // namespace querydeck
