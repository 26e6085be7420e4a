#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;
class QObject;

namespace querydeck {

// One reply of the Kubernetes API: the JSON object, or an error sentence that
// says what was asked, what went wrong and what to check. Never contains the token.
struct KubeResult
{
    int status = 0;
    QJsonObject json;
    QString error;
    bool ok() const { return error.isEmpty(); }
};

// Asynchronous JSON calls to a Kubernetes API server with a bearer token and
// an optional CA bundle, each bounded by a timeout. Callbacks run on the
// thread of the QNetworkAccessManager. Loopback hosts bypass any proxy.
class KubernetesApi
{
public:
    using Callback = std::function<void(const KubeResult&)>;

    KubernetesApi(QNetworkAccessManager* network, QUrl server, int timeoutMs);

    void setToken(const QString& token) { m_token = token; }
    void setCaCertificates(const QList<QSslCertificate>& certificates) { m_ca = certificates; }
    QUrl server() const { return m_server; }

    // `what` names the object for errors ("deployment default/querydeck scale").
    // `context` ends the callback when it is destroyed.
    void send(const QByteArray& verb, const QString& path, const QString& query,
              const QJsonObject& body, const QByteArray& contentType, const QString& what,
              QObject* context, Callback callback);

    // The result of a reply with HTTP `status` whose body (read up to one byte
    // over the limit) is `raw`; `target` ("PATCH /apis/...") names it in errors.
    // send() calls it; tests and the fuzzer call it on bytes.
    static KubeResult readReply(int status, const QByteArray& raw, const QByteArray& verb,
                                const QString& what, const QString& target);

    static QString describeStatus(const QByteArray& verb, const QString& what, int status,
                                  const QJsonObject& body);

private:
    QNetworkAccessManager* m_network;
    QUrl m_server;
    int m_timeoutMs;
    QString m_token;
    QList<QSslCertificate> m_ca;
};

} // namespace querydeck
