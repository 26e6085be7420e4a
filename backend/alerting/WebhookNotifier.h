#pragma once

#include "backend/alerting/AlertNotification.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace querydeck {

struct WebhookRoute
{
    QString name; // e.g. "pager", "chat"
    QUrl url;
    QByteArray authorization; // the Authorization header, from the SecretStore; empty: none
};

struct WebhookOptions
{
    QList<WebhookRoute> routes;
    QMap<QString, QString> severityRoutes; // "critical" -> "pager"; a rule's route overrides
    int timeoutMs = 5000;
    int maxAttempts = 5;      // the first try included
    int backoffMs = 1000;     // before the 2nd attempt; doubled each time ...
    int backoffMaxMs = 60000; // ... up to this
    QString externalUrl;      // generatorURL of each alert; empty: none
};

// Sends alert notifications to Alertmanager-compatible webhook receivers:
// the JSON of Alertmanager's webhook payload (version "4", status, receiver,
// groupKey, groupLabels, commonLabels, commonAnnotations, alerts[] with
// labels, annotations, startsAt/endsAt, generatorURL, fingerprint). send()
// posts one alert; sendBatch() (AlertEngine::notifications, the alerts that
// changed in one evaluation) one POST per route with all of that route's
// alerts. The route is the rule's `route`, else the one configured for its
// severity; none: not sent.
// Network errors, timeouts, 429 and 5xx are retried with exponential backoff
// up to maxAttempts; then the notification is given up with a logged error.
// Other 4xx answers are not retried. Lives on the telemetry thread; its
// QNetworkAccessManager is created there on first use.
class WebhookNotifier : public QObject
{
    Q_OBJECT

public:
    explicit WebhookNotifier(WebhookOptions options, QObject* parent = nullptr);
    ~WebhookNotifier() override;

    // The route a notification goes to; empty when none is configured.
    QString routeFor(const AlertNotification& notification) const;
    static QJsonObject payload(const AlertNotification& notification, const QString& receiver,
                               const QString& externalUrl = {});
    // One payload for several alerts: status "firing" when any fires;
    // common labels and annotations are those every alert has alike.
    static QJsonObject payload(const QList<AlertNotification>& alerts, const QString& receiver,
                               const QString& externalUrl = {});
    // Prometheus' label signature: FNV-1a 64 over sorted names and values, as hex.
    static QString fingerprint(const QMap<QString, QString>& labels);
    // The wait before attempt `attempt` (2, 3, ...).
    qint64 backoffBefore(int attempt) const;

public slots:
    void send(const querydeck::AlertNotification& notification);
    void sendBatch(const QList<querydeck::AlertNotification>& notifications);

signals:
    void delivered(const QString& route, int httpStatus, int attempts);
    void gaveUp(const QString& route, const QString& error, int attempts);
    // A failed attempt will be retried as attempt `attempt` after `waitMs`
    // (the timer it just started), so the backoff is observable without timing it.
    void retryScheduled(const QString& route, int attempt, qint64 waitMs);

private:
    struct Delivery;
    void attempt(std::shared_ptr<Delivery> delivery);

    WebhookOptions m_options;
    QNetworkAccessManager* m_network = nullptr;
};

} // namespace querydeck
