#include "backend/alerting/WebhookNotifier.h"

#include "backend/common/Backoff.h"
#include "backend/common/Fnv1a.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <algorithm>
#include <optional>
#include <spdlog/spdlog.h>

namespace querydeck {

struct WebhookNotifier::Delivery
{
    WebhookRoute route;
    QByteArray body;
    QString alert; // for messages
    int attempts = 0;
};

namespace {

QString rfc3339(qint64 ms)
{
    // Alertmanager's "zero" time for an alert that has not ended.
    if (ms <= 0)
        return QStringLiteral("0001-01-01T00:00:00Z");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject toObject(const QMap<QString, QString>& map)
{
    QJsonObject out;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

} // namespace

WebhookNotifier::WebhookNotifier(WebhookOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
    m_options.backoffMs = std::max(1, m_options.backoffMs);
    m_options.backoffMaxMs = std::max(m_options.backoffMs, m_options.backoffMaxMs);
    qRegisterMetaType<AlertNotification>();
}

WebhookNotifier::~WebhookNotifier() = default;

QString WebhookNotifier::routeFor(const AlertNotification& notification) const
{
    const QString name = notification.route.isEmpty()
                             ? m_options.severityRoutes.value(severityName(notification.severity))
                             : notification.route;
    for (const WebhookRoute& route : m_options.routes) {
        if (route.name == name)
            return name;
    }
    return {};
}

QString WebhookNotifier::fingerprint(const QMap<QString, QString>& labels)
{
    // Each name and value followed by the separator byte 0xff; QMap: sorted by name.
    Fnv1a hash;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        hash.addBytes(QByteArrayView(it.key().toUtf8())).addByte(0xff);
        hash.addBytes(QByteArrayView(it.value().toUtf8())).addByte(0xff);
    }
    return QStringLiteral("%1").arg(quint64(hash.value()), 16, 16, QLatin1Char('0'));
}

QJsonObject WebhookNotifier::payload(const AlertNotification& n, const QString& receiver,
                                     const QString& externalUrl)
{
    return payload(QList<AlertNotification>{n}, receiver, externalUrl);
}

QJsonObject WebhookNotifier::payload(const QList<AlertNotification>& alerts,
                                     const QString& receiver, const QString& externalUrl)
{
    QJsonArray items;
    bool anyFiring = false;
    std::optional<QMap<QString, QString>> commonLabels;
    std::optional<QMap<QString, QString>> commonAnnotations;
    const auto intersect = [](std::optional<QMap<QString, QString>>& common,
                              const QMap<QString, QString>& map) {
        if (!common) {
            common = map;
            return;
        }
        for (auto it = common->begin(); it != common->end();) {
            if (!map.contains(it.key()) || map.value(it.key()) != it.value())
                it = common->erase(it);
            else
                ++it;
        }
    };
    QStringList names;
    for (const AlertNotification& n : alerts) {
        anyFiring = anyFiring || !n.resolved;
        QMap<QString, QString> annotations;
        if (!n.summary.isEmpty())
            annotations.insert(QStringLiteral("summary"), n.summary);
        if (!n.description.isEmpty())
            annotations.insert(QStringLiteral("description"), n.description);
        intersect(commonLabels, n.labels);
        intersect(commonAnnotations, annotations);
        if (!names.contains(n.ruleName))
            names << n.ruleName;
        items.append(QJsonObject{
            {QStringLiteral("status"),
             n.resolved ? QStringLiteral("resolved") : QStringLiteral("firing")},
            {QStringLiteral("labels"), toObject(n.labels)},
            {QStringLiteral("annotations"), toObject(annotations)},
            {QStringLiteral("startsAt"), rfc3339(n.startsAtMs)},
            {QStringLiteral("endsAt"), rfc3339(n.resolved ? n.endsAtMs : 0)},
            {QStringLiteral("generatorURL"), externalUrl},
            {QStringLiteral("fingerprint"), fingerprint(n.labels)},
        });
    }
    // Grouped by alertname as Alertmanager's default route does; alerts of
    // several rules in one payload share no group label.
    QMap<QString, QString> group;
    if (names.size() == 1)
        group.insert(QStringLiteral("alertname"), names.first());
    const QString groupKey = names.size() == 1
                                 ? QStringLiteral("{}:{alertname=\"%1\"}").arg(names.first())
                                 : QStringLiteral("{}:{}");
    return {
        {QStringLiteral("version"), QStringLiteral("4")},
        {QStringLiteral("groupKey"), groupKey},
        {QStringLiteral("truncatedAlerts"), 0},
        {QStringLiteral("status"),
         anyFiring ? QStringLiteral("firing") : QStringLiteral("resolved")},
        {QStringLiteral("receiver"), receiver},
        {QStringLiteral("groupLabels"), toObject(group)},
        {QStringLiteral("commonLabels"), toObject(commonLabels.value_or(QMap<QString, QString>{}))},
        {QStringLiteral("commonAnnotations"),
         toObject(commonAnnotations.value_or(QMap<QString, QString>{}))},
        {QStringLiteral("externalURL"), externalUrl},
        {QStringLiteral("alerts"), items},
    };
}

qint64 WebhookNotifier::backoffBefore(int attempt) const
{
    // No jitter: one console's deliveries are not a crowd, and the operator
    // reads the exact wait in the log.
    const Backoff backoff(
        {m_options.backoffMs, m_options.backoffMaxMs, 2.0, Backoff::Jitter::None});
    return backoff.delayMs(attempt - 1);
}

void WebhookNotifier::send(const AlertNotification& notification)
{
    sendBatch({notification});
}

void WebhookNotifier::sendBatch(const QList<AlertNotification>& notifications)
{
    // Route name -> its alerts, in the order they came.
    QList<QPair<QString, QList<AlertNotification>>> byRoute;
    for (const AlertNotification& n : notifications) {
        const QString name = routeFor(n);
        if (name.isEmpty()) {
            spdlog::debug("[alerts] {}: no webhook route for severity {}", n.ruleName.toStdString(),
                          severityName(n.severity).toStdString());
            continue;
        }
        auto group = std::find_if(byRoute.begin(), byRoute.end(),
                                  [&](const auto& entry) { return entry.first == name; });
        if (group == byRoute.end())
            byRoute.append({name, {n}});
        else
            group->second.append(n);
    }
    for (const auto& [name, alerts] : std::as_const(byRoute)) {
        auto delivery = std::make_shared<Delivery>();
        for (const WebhookRoute& route : m_options.routes) {
            if (route.name == name)
                delivery->route = route;
        }
        delivery->body = QJsonDocument(payload(alerts, name, m_options.externalUrl))
                             .toJson(QJsonDocument::Compact);
        QStringList what;
        for (const AlertNotification& n : alerts)
            what << QStringLiteral("%1 %2").arg(n.ruleName, n.resolved ? QStringLiteral("resolved")
                                                                       : QStringLiteral("firing"));
        delivery->alert = what.join(QStringLiteral(", "));
        attempt(delivery);
    }
}

void WebhookNotifier::attempt(std::shared_ptr<Delivery> delivery)
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    ++delivery->attempts;
    QNetworkRequest request(delivery->route.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("QueryDeck-Alerts"));
    if (!delivery->route.authorization.isEmpty())
        request.setRawHeader("Authorization", delivery->route.authorization);
    request.setTransferTimeout(m_options.timeoutMs);
    QNetworkReply* reply = m_network->post(request, delivery->body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, delivery] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString& route = delivery->route.name;
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
            spdlog::info("[alerts] webhook {}: {} delivered (HTTP {}, attempt {})",
                         route.toStdString(), delivery->alert.toStdString(), status,
                         delivery->attempts);
            emit delivered(route, status, delivery->attempts);
            return;
        }
        const QString problem =
            status > 0 ? QStringLiteral("HTTP %1").arg(status)
                       : (reply->error() == QNetworkReply::OperationCanceledError
                              ? QStringLiteral("timeout after %1 ms").arg(m_options.timeoutMs)
                              : reply->errorString());
        const bool retryable = status == 0 || status == 429 || status >= 500;
        if (retryable && delivery->attempts < m_options.maxAttempts) {
            const qint64 wait = backoffBefore(delivery->attempts + 1);
            spdlog::warn("[alerts] webhook {}: {} failed ({}); retry {} of {} in {} ms",
                         route.toStdString(), delivery->alert.toStdString(), problem.toStdString(),
                         delivery->attempts, m_options.maxAttempts - 1, wait);
            QTimer::singleShot(wait, this, [this, delivery] { attempt(delivery); });
            emit retryScheduled(route, delivery->attempts + 1, wait);
            return;
        }
        const QString error =
            QStringLiteral("%1 to %2 not delivered after %3 attempt(s): %4")
                .arg(delivery->alert, delivery->route.url.toString(QUrl::RemoveUserInfo))
                .arg(delivery->attempts)
                .arg(problem);
        spdlog::error("[alerts] webhook {}: {}", route.toStdString(), error.toStdString());
        emit gaveUp(route, error, delivery->attempts);
    });
}

} // namespace querydeck
