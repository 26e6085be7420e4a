#include "backend/retrieval/HttpJsonClient.h"

#include "backend/common/Backoff.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <spdlog/spdlog.h>
#include <thread>

namespace querydeck {

namespace {

using Failure = HttpJsonResponse::Failure;

// Loopback servers (local Ollama, test fixtures) must not be sent to an
// http_proxy from the environment; everything else follows the system setup.
class LoopbackBypassProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery& query) override
    {
        const QString host = query.peerHostName();
        if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
            QHostAddress(host).isLoopback())
            return {QNetworkProxy::NoProxy};
        return systemProxyForQuery(query);
    }
};

std::unique_ptr<QNetworkAccessManager>& threadManagerSlot()
{
    thread_local std::unique_ptr<QNetworkAccessManager> manager;
    return manager;
}

// Per-thread manager: a QNetworkAccessManager belongs to the thread that made
// it, and keeping one per thread keeps its connections alive between calls.
// Other threads' managers die with their thread (thread_local destructors run
// while Qt's thread data still exists); the main thread's must go before the
// QCoreApplication does, hence the post routine.
QNetworkAccessManager& threadManager()
{
    auto& manager = threadManagerSlot();
    if (!manager) {
        manager = std::make_unique<QNetworkAccessManager>();
        manager->setProxyFactory(new LoopbackBypassProxyFactory);
        if (QThread::currentThread() == QCoreApplication::instance()->thread())
            qAddPostRoutine([] { threadManagerSlot().reset(); });
    }
    return *manager;
}

QString safeUrl(const QUrl& url)
{
    return url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

} // namespace

HttpJsonResponse HttpJsonClient::post(const QUrl& url, const QJsonObject& body,
                                      const HttpHeaders& headers, std::chrono::milliseconds timeout,
                                      const std::function<bool()>& cancelled)
{
    HttpJsonResponse response;
    if (!QCoreApplication::instance()) {
        response.failure = Failure::InvalidRequest;
        response.error = QStringLiteral("HttpJsonClient needs a QCoreApplication");
        return response;
    }
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        response.failure = Failure::InvalidRequest;
        response.error = QStringLiteral("invalid URL '%1': expected http(s)://host[:port]/path")
                             .arg(safeUrl(url));
        return response;
    }

    if (timeout.count() <= 0) {
        response.failure = Failure::Timeout;
        response.error = QStringLiteral("no time left to call %1 (timeout)").arg(safeUrl(url));
        return response;
    }
    if (cancelled && cancelled()) {
        response.failure = Failure::Cancelled;
        response.error = QStringLiteral("request to %1 cancelled").arg(safeUrl(url));
        return response;
    }

    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    // Caller headers may be credentials (Authorization, api-key...): Qt would
    // forward them on a redirect, so they may only go back to the same origin.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         headers.isEmpty() ? QNetworkRequest::NoLessSafeRedirectPolicy
                                           : QNetworkRequest::SameOriginRedirectPolicy);
    request.setMaximumRedirectsAllowed(5);

    // The loop first: it gives a thread without an event loop its dispatcher,
    // which the manager and the timers below need.
    QEventLoop loop;
    QNetworkAccessManager& manager = threadManager();
    std::unique_ptr<QNetworkReply> reply(
        manager.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)));

    QByteArray received;
    Failure abortReason = Failure::None;
    const auto abortWith = [&](Failure reason) {
        if (abortReason == Failure::None)
            abortReason = reason;
        reply->abort();
    };
    QObject::connect(reply.get(), &QNetworkReply::metaDataChanged, &loop, [&] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > kMaxResponseBytes)
            abortWith(Failure::TooLarge);
    });
    QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
        received += reply->readAll();
        if (received.size() > kMaxResponseBytes)
            abortWith(Failure::TooLarge);
    });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);

    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] { abortWith(Failure::Timeout); });
    deadline.start(static_cast<int>(std::min<qint64>(timeout.count(), INT_MAX)));
    QTimer cancelPoll;
    if (cancelled) {
        QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
            if (cancelled())
                abortWith(Failure::Cancelled);
        });
        cancelPoll.start(20);
    }
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    deadline.stop();
    cancelPoll.stop();

    if (abortReason == Failure::None)
        received += reply->readAll();
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.retryAfter = reply->rawHeader("Retry-After");
    response.raw = received;

    switch (abortReason) {
    case Failure::Timeout:
        response.failure = Failure::Timeout;
        response.error = QStringLiteral("no complete response from %1 within %2 ms (timeout)")
                             .arg(safeUrl(url))
                             .arg(timeout.count());
        return response;
    case Failure::Cancelled:
        response.failure = Failure::Cancelled;
        response.error = QStringLiteral("request to %1 cancelled").arg(safeUrl(url));
        return response;
    case Failure::TooLarge:
        response.failure = Failure::TooLarge;
        response.error = QStringLiteral("response body from %1 exceeds the %2 MiB limit")
                             .arg(safeUrl(url))
                             .arg(kMaxResponseBytes / (1024 * 1024));
        response.raw.clear();
        return response;
    default:
        break;
    }
    if (reply->error() == QNetworkReply::InsecureRedirectError ||
        reply->error() == QNetworkReply::TooManyRedirectsError) {
        response.failure = Failure::RedirectRefused;
        response.error =
            QStringLiteral("redirect from %1 refused: %2").arg(safeUrl(url), reply->errorString());
        return response;
    }

    if (reply->error() != QNetworkReply::NoError && response.status == 0) {
        response.failure = Failure::Transport;
        response.error =
            QStringLiteral("request to %1 failed: %2").arg(safeUrl(url), reply->errorString());
        return response;
    }
    response.readBody(safeUrl(url));
    return response;
}

bool HttpJsonClient::isRetryable(const HttpJsonResponse& response)
{
    switch (response.failure) {
    case Failure::Transport:
    case Failure::Timeout:
        return true;
    case Failure::None:
        return response.status == 429 || (response.status >= 500 && response.status < 600);
    default:
        return false;
    }
}

std::chrono::milliseconds HttpJsonClient::retryDelay(const RetryPolicy& policy, int retry,
                                                     const QByteArray& retryAfter,
                                                     double unitRandom)
{
    const qint64 cap = std::max(0, policy.maxBackoffMs);
    const QByteArray trimmed = retryAfter.trimmed();
    if (!trimmed.isEmpty()) {
        bool isNumber = false;
        const qint64 seconds = trimmed.toLongLong(&isNumber);
        if (isNumber && seconds >= 0)
            return std::chrono::milliseconds(std::min(cap, seconds * 1000));
        // HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT"); Qt's RFC 2822 parser wants a numeric zone.
        QString date = QString::fromLatin1(trimmed);
        if (date.endsWith(QLatin1String(" GMT")))
            date = date.chopped(4) + QLatin1String(" +0000");
        const QDateTime when = QDateTime::fromString(date, Qt::RFC2822Date);
        if (when.isValid())
            return std::chrono::milliseconds(
                std::clamp<qint64>(QDateTime::currentDateTimeUtc().msecsTo(when), 0, cap));
    }
    const Backoff backoff({policy.initialBackoffMs, policy.maxBackoffMs, policy.multiplier});
    return std::chrono::milliseconds(backoff.delayMs(retry, unitRandom));
}

HttpJsonResponse
HttpJsonClient::postWithRetry(const QUrl& url, const QJsonObject& body, const HttpHeaders& headers,
                              std::chrono::milliseconds timeout, const RetryPolicy& policy,
                              const std::function<bool()>& cancelled, QDeadlineTimer deadline)
{
    using std::chrono::milliseconds;
    QList<qint64> waits;
    for (int attempt = 1;; ++attempt) {
        milliseconds attemptTimeout = timeout;
        if (!deadline.isForever())
            attemptTimeout = std::min(attemptTimeout, milliseconds(deadline.remainingTime()));
        HttpJsonResponse response = post(url, body, headers, attemptTimeout, cancelled);
        response.attempts = attempt;
        response.retryWaitsMs = waits;
        if (response.ok() || !isRetryable(response) || attempt > policy.retries)
            return response;

        const milliseconds delay = retryDelay(policy, attempt, response.retryAfter,
                                              QRandomGenerator::global()->generateDouble());
        // A retry that cannot get any time after its backoff is pointless.
        if (!deadline.isForever() && delay.count() + 1 >= deadline.remainingTime())
            return response;
        spdlog::warn("POST {} attempt {} of {} failed ({}); retrying in {} ms",
                     safeUrl(url).toStdString(), attempt, policy.retries + 1,
                     response.describe().left(200).toStdString(), delay.count());

        const QDeadlineTimer wait(delay);
        while (!wait.hasExpired()) {
            if (cancelled && cancelled()) {
                response.failure = Failure::Cancelled;
                response.error = QStringLiteral("request to %1 cancelled while waiting to retry")
                                     .arg(safeUrl(url));
                return response;
            }
            std::this_thread::sleep_for(
                std::min<milliseconds>(milliseconds(20), milliseconds(wait.remainingTime())));
        }
        waits.append(delay.count());
    }
}

QUrl HttpJsonClient::endpoint(const QUrl& base, const QString& path)
{
    QUrl url = base;
    QString basePath = base.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + (path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path));
    return url;
}

} // namespace querydeck
