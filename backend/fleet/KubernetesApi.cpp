#include "backend/fleet/KubernetesApi.h"

#include "backend/common/BoundedJson.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>
#include <memory>

namespace querydeck {

namespace {

constexpr qint64 kMaxReplyBytes = 16 * 1024 * 1024;

bool isLoopback(const QString& host)
{
    if (host.compare("localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

KubernetesApi::KubernetesApi(QNetworkAccessManager* network, QUrl server, int timeoutMs)
    : m_network(network)
    , m_server(std::move(server))
    , m_timeoutMs(timeoutMs)
{
}

QString KubernetesApi::describeStatus(const QByteArray& verb, const QString& what, int status,
                                      const QJsonObject& body)
{
    // The API answers errors with a Status object: {"kind":"Status","message":...,"reason":...}
    QString message = body.value("message").toString().left(300);
    const QString detail = message.isEmpty() ? QString() : QStringLiteral(": ") + message;
    switch (status) {
    case 401:
        return QStringLiteral(
                   "Kubernetes refused the credentials for %1 %2 (401 Unauthorized): the "
                   "token is missing, expired or wrong; check the kube token in the "
                   "keychain")
            .arg(QString::fromLatin1(verb), what);
    case 403:
        return QStringLiteral("Kubernetes forbids %1 %2 (403 Forbidden)%3; grant the account this "
                              "verb on the resource (RBAC)")
            .arg(QString::fromLatin1(verb), what, detail);
    case 404:
        return QStringLiteral("%1 not found (404)%2; check the namespace and deployment names")
            .arg(what, detail);
    case 409:
        return QStringLiteral("conflict on %1 (409)%2; it was changed at the same time, read it "
                              "again and retry")
            .arg(what, detail);
    default:
        return QStringLiteral("%1 %2 failed with HTTP %3%4")
            .arg(QString::fromLatin1(verb), what)
            .arg(status)
            .arg(detail);
    }
}

void KubernetesApi::send(const QByteArray& verb, const QString& path, const QString& query,
                         const QJsonObject& body, const QByteArray& contentType,
                         const QString& what, QObject* context, Callback callback)
{
    QUrl url = m_server;
    url.setPath(m_server.path().chopped(m_server.path().endsWith('/') ? 1 : 0) + path);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!m_ca.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(m_ca);
        request.setSslConfiguration(ssl);
    }
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    if (isLoopback(url.host()))
        m_network->setProxy(QNetworkProxy::NoProxy);

    const QByteArray payload =
        body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QNetworkReply* reply = m_network->sendCustomRequest(request, verb, payload);
    auto timedOut = std::make_shared<bool>(false);
    auto* timer = new QTimer(reply);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(m_timeoutMs);

    const QString target = QStringLiteral("%1 %2").arg(QString::fromLatin1(verb), url.path());
    const int timeoutMs = m_timeoutMs;
    const QString server = m_server.toString(QUrl::RemoveUserInfo);
    QPointer<QObject> guard(context);
    QObject::connect(reply, &QNetworkReply::finished, reply, [=] {
        reply->deleteLater();
        if (!guard)
            return;
        KubeResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (*timedOut) {
            result.error = QStringLiteral("Kubernetes API at %1 did not answer %2 within %3 ms")
                               .arg(server, target)
                               .arg(timeoutMs);
            callback(result);
            return;
        }
        if (result.status == 0) {
            result.error = QStringLiteral("cannot reach the Kubernetes API at %1: %2")
                               .arg(server, reply->errorString());
            callback(result);
            return;
        }
        callback(readReply(result.status, reply->read(kMaxReplyBytes + 1), verb, what, target));
    });
}

KubeResult KubernetesApi::readReply(int status, const QByteArray& raw, const QByteArray& verb,
                                    const QString& what, const QString& target)
{
    KubeResult result;
    result.status = status;
    const BoundedJson::Result parsed =
        BoundedJson::parse(raw, BoundedJson::replyLimits(kMaxReplyBytes), QString());
    const QJsonDocument& doc = parsed.document;
    result.json = doc.object();
    if (raw.size() > kMaxReplyBytes)
        result.error =
            QStringLiteral("reply to %1 is over %2 bytes").arg(target).arg(kMaxReplyBytes);
    else if (result.status < 200 || result.status >= 300)
        result.error = describeStatus(verb, what, result.status, result.json);
    else if (parsed.error == BoundedJson::Error::TooDeep)
        result.error = QStringLiteral("reply to %1: %2").arg(target, parsed.detail);
    else if (!doc.isObject())
        result.error = QStringLiteral("reply to %1 is not a JSON object").arg(target);
    return result;
}

} // namespace querydeck
