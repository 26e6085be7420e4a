// WebhookNotifier against a local HTTP receiver (FixtureHttpServer): the
// Alertmanager webhook payload, routing per severity with a rule's route
// overriding, retries with exponential backoff and a cap, no retry on 4xx,
// and a receiver that is down: retried, then given up with a logged error.
// A batch (one evaluation's alerts) is one POST per route with alerts[].
#include "FixtureHttpServer.h"
#include "backend/alerting/WebhookNotifier.h"

#include <QJsonArray>
#include <QMutex>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <atomic>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

using namespace querydeck;

namespace {

AlertNotification notification(AlertSeverity severity, bool resolved = false)
{
    AlertNotification n;
    n.ruleName = QStringLiteral("HighP95Latency");
    n.severity = severity;
    n.labels = {{"alertname", "HighP95Latency"},
                {"severity", severityName(severity)},
                {"instance", "local"}};
    n.summary = QStringLiteral("P95 latency 75 s over 60 s");
    n.description = QStringLiteral("Answers are slow.");
    n.resolved = resolved;
    n.startsAtMs = 1700000000000;
    n.endsAtMs = resolved ? 1700000600000 : 0;
    return n;
}

WebhookOptions options(const FixtureHttpServer& server)
{
    WebhookOptions o;
    o.routes = {{"pager", server.url("/pager"), "Bearer s3cret"},
                {"chat", server.url("/chat"), {}}};
    o.severityRoutes = {{"critical", "pager"}, {"warning", "chat"}};
    o.timeoutMs = 2000;
    o.maxAttempts = 4;
    o.backoffMs = 100;
    o.backoffMaxMs = 250;
    o.externalUrl = QStringLiteral("http://127.0.0.1:8000/");
    return o;
}

// POSTs the notifier has under way. send()/sendBatch() start theirs before
// they return (the reply objects are the notifier's network manager's
// children), so counting right after the call is exact: no waiting, and no
// window in which a late POST could hide.
int postsInFlight(const WebhookNotifier& notifier)
{
    int posts = 0;
    for (const QNetworkReply* reply : notifier.findChildren<QNetworkReply*>())
        if (!reply->isFinished())
            ++posts;
    return posts;
}

} // namespace

class TestWebhookNotifier : public QObject
{
    Q_OBJECT

    FixtureHttpServer m_server;

private slots:
    void initTestCase() { QVERIFY2(m_server.start(), qPrintable(m_server.errorString())); }
    void cleanupTestCase() { m_server.stop(); }
    void init() { m_server.reset(); }

    void payloadShape()
    {
        const QJsonObject p = WebhookNotifier::payload(notification(AlertSeverity::Critical, true),
                                                       "pager", "http://x/");
        QCOMPARE(p["version"].toString(), QStringLiteral("4"));
        QCOMPARE(p["status"].toString(), QStringLiteral("resolved"));
        QCOMPARE(p["receiver"].toString(), QStringLiteral("pager"));
        QCOMPARE(p["groupKey"].toString(), QStringLiteral("{}:{alertname=\"HighP95Latency\"}"));
        QCOMPARE(p["groupLabels"].toObject()["alertname"].toString(),
                 QStringLiteral("HighP95Latency"));
        const QJsonArray alerts = p["alerts"].toArray();
        QCOMPARE(alerts.size(), 1);
        const QJsonObject a = alerts[0].toObject();
        QCOMPARE(a["status"].toString(), QStringLiteral("resolved"));
        QCOMPARE(a["labels"].toObject()["alertname"].toString(), QStringLiteral("HighP95Latency"));
        QCOMPARE(a["labels"].toObject()["severity"].toString(), QStringLiteral("critical"));
        QCOMPARE(a["annotations"].toObject()["summary"].toString(),
                 QStringLiteral("P95 latency 75 s over 60 s"));
        QCOMPARE(a["annotations"].toObject()["description"].toString(),
                 QStringLiteral("Answers are slow."));
        QCOMPARE(a["startsAt"].toString(), QStringLiteral("2023-11-14T22:13:20.000Z"));
        QCOMPARE(a["endsAt"].toString(), QStringLiteral("2023-11-14T22:23:20.000Z"));
        QCOMPARE(a["generatorURL"].toString(), QStringLiteral("http://x/"));
        QCOMPARE(a["fingerprint"].toString().size(), 16);
        // Firing: endsAt is Alertmanager's zero time; the fingerprint is the same alert's.
        const QJsonObject f =
            WebhookNotifier::payload(notification(AlertSeverity::Critical), "pager")["alerts"]
                .toArray()[0]
                .toObject();
        QCOMPARE(f["status"].toString(), QStringLiteral("firing"));
        QCOMPARE(f["endsAt"].toString(), QStringLiteral("0001-01-01T00:00:00Z"));
        QCOMPARE(f["fingerprint"], a["fingerprint"]);
        // Different labels, different fingerprint.
        AlertNotification other = notification(AlertSeverity::Critical);
        other.labels["instance"] = "r2";
        QVERIFY(WebhookNotifier::fingerprint(other.labels) != f["fingerprint"].toString());
    }

    void routing_data()
    {
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("ruleRoute");
        QTest::addColumn<QString>("expected");
        QTest::newRow("critical to pager") << int(AlertSeverity::Critical) << ""
                                           << "pager";
        QTest::newRow("warning to chat") << int(AlertSeverity::Warning) << ""
                                         << "chat";
        QTest::newRow("info: none") << int(AlertSeverity::Info) << ""
                                    << "";
        QTest::newRow("rule route overrides") << int(AlertSeverity::Warning) << "pager"
                                              << "pager";
        QTest::newRow("unknown rule route") << int(AlertSeverity::Critical) << "nowhere"
                                            << "";
    }

    void routing()
    {
        QFETCH(int, severity);
        QFETCH(QString, ruleRoute);
        QFETCH(QString, expected);
        m_server.setHandler("POST", "/pager",
                            [](const FixtureRequest&) { return FixtureResponse::text(200, "ok"); });
        m_server.setHandler("POST", "/chat",
                            [](const FixtureRequest&) { return FixtureResponse::text(200, "ok"); });
        WebhookNotifier notifier(options(m_server));
        AlertNotification n = notification(AlertSeverity(severity));
        n.route = ruleRoute;
        QCOMPARE(notifier.routeFor(n), expected);
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        notifier.send(n);
        if (expected.isEmpty()) {
            QCOMPARE(postsInFlight(notifier), 0);
            QCOMPARE(delivered.size(), 0);
            QCOMPARE(m_server.requestCount(), 0);
            return;
        }
        QCOMPARE(postsInFlight(notifier), 1);
        QVERIFY(delivered.wait(5000));
        QCOMPARE(delivered.at(0).at(0).toString(), expected);
        const QList<FixtureRequest> requests = m_server.requests();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests[0].path, ("/" + expected).toUtf8());
        QCOMPARE(requests[0].header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(requests[0].header("Authorization"),
                 expected == "pager" ? QByteArray("Bearer s3cret") : QByteArray());
        QCOMPARE(requests[0].json()["receiver"].toString(), expected);
        QCOMPARE(requests[0].json()["alerts"].toArray().size(), 1);
    }

    // The alerts of one evaluation: one POST per route with all of its
    // alerts; common labels are what they share; none for an unrouted one.
    void batchIsOnePostPerRoute()
    {
        m_server.setHandler("POST", "/pager",
                            [](const FixtureRequest&) { return FixtureResponse::text(200, "ok"); });
        m_server.setHandler("POST", "/chat",
                            [](const FixtureRequest&) { return FixtureResponse::text(200, "ok"); });
        WebhookNotifier notifier(options(m_server));
        AlertNotification r1 = notification(AlertSeverity::Critical);
        AlertNotification r2 = r1;
        r2.labels["instance"] = QStringLiteral("r2");
        AlertNotification down = notification(AlertSeverity::Critical, true);
        down.ruleName = QStringLiteral("ServiceDown");
        down.labels["alertname"] = QStringLiteral("ServiceDown");
        down.summary = QStringLiteral("no replica");
        const AlertNotification warning = notification(AlertSeverity::Warning);
        const AlertNotification info = notification(AlertSeverity::Info);
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        notifier.sendBatch({r1, warning, r2, info, down});
        QCOMPARE(postsInFlight(notifier), 2); // and no more: the info alert has no route
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 5000);
        QTRY_COMPARE(m_server.requestCount(), 2);
        QCOMPARE(postsInFlight(notifier), 0); // both answered 200: nothing is retried
        QCOMPARE(delivered.size(), 2);

        QJsonObject pager;
        QJsonObject chat;
        for (const FixtureRequest& request : m_server.requests())
            (request.path == "/pager" ? pager : chat) = request.json();
        QCOMPARE(pager["receiver"].toString(), QStringLiteral("pager"));
        QCOMPARE(pager["status"].toString(), QStringLiteral("firing"));
        QCOMPARE(pager["groupKey"].toString(), QStringLiteral("{}:{}"));
        QCOMPARE(pager["groupLabels"].toObject(), QJsonObject());
        QCOMPARE(pager["commonLabels"].toObject(),
                 (QJsonObject{{"severity", "critical"}})); // instance and alertname differ
        QCOMPARE(pager["commonAnnotations"].toObject(),
                 (QJsonObject{{"description", "Answers are slow."}}));
        const QJsonArray alerts = pager["alerts"].toArray();
        QCOMPARE(alerts.size(), 3);
        QCOMPARE(alerts[0]["labels"]["instance"].toString(), QStringLiteral("local"));
        QCOMPARE(alerts[1]["labels"]["instance"].toString(), QStringLiteral("r2"));
        QCOMPARE(alerts[2]["status"].toString(), QStringLiteral("resolved"));
        QCOMPARE(alerts[2]["labels"]["alertname"].toString(), QStringLiteral("ServiceDown"));
        QVERIFY(alerts[0]["fingerprint"].toString() != alerts[1]["fingerprint"].toString());

        QCOMPARE(chat["alerts"].toArray().size(), 1);
        QCOMPARE(chat["groupKey"].toString(), QStringLiteral("{}:{alertname=\"HighP95Latency\"}"));
        QCOMPARE(chat["groupLabels"].toObject(), (QJsonObject{{"alertname", "HighP95Latency"}}));

        // Only resolved alerts: the payload is resolved.
        const QJsonObject resolved =
            WebhookNotifier::payload(QList<AlertNotification>{down, down}, QStringLiteral("pager"));
        QCOMPARE(resolved["status"].toString(), QStringLiteral("resolved"));
        QCOMPARE(resolved["groupLabels"].toObject(), (QJsonObject{{"alertname", "ServiceDown"}}));
    }

    void retriesWithBackoff()
    {
        QMutex mutex;
        int calls = 0;
        // Each request notes how many retries had been scheduled when it came:
        // request n + 1 must come after the timer for attempt n + 1 was started.
        std::atomic<int> scheduled{0};
        QList<int> scheduledAtRequest;
        m_server.setHandler("POST", "/pager", [&](const FixtureRequest&) {
            QMutexLocker lock(&mutex);
            scheduledAtRequest << scheduled.load();
            return ++calls < 4 ? FixtureResponse::text(503, "busy")
                               : FixtureResponse::text(200, "ok");
        });
        WebhookNotifier notifier(options(m_server));
        QCOMPARE(notifier.backoffBefore(2), 100);
        QCOMPARE(notifier.backoffBefore(3), 200);
        QCOMPARE(notifier.backoffBefore(4), 250); // capped
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        QSignalSpy retries(&notifier, &WebhookNotifier::retryScheduled);
        connect(&notifier, &WebhookNotifier::retryScheduled, this, [&scheduled] { ++scheduled; });
        notifier.send(notification(AlertSeverity::Critical));
        QVERIFY(delivered.wait(10000));
        QCOMPARE(delivered.at(0).at(2).toInt(), 4);
        // Every retry waited on a timer of its backoff: 100, 200, then capped at 250.
        QCOMPARE(retries.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(retries.at(i).at(1).toInt(), i + 2);
            QCOMPARE(retries.at(i).at(2).toLongLong(), notifier.backoffBefore(i + 2));
        }
        QMutexLocker lock(&mutex);
        QCOMPARE(scheduledAtRequest, (QList<int>{0, 1, 2, 3}));
    }

    void clientErrorsAreNotRetried()
    {
        m_server.setHandler("POST", "/chat", [](const FixtureRequest&) {
            return FixtureResponse::text(400, "bad");
        });
        WebhookNotifier notifier(options(m_server));
        QSignalSpy gaveUp(&notifier, &WebhookNotifier::gaveUp);
        notifier.send(notification(AlertSeverity::Warning));
        QVERIFY(gaveUp.wait(5000));
        QCOMPARE(gaveUp.at(0).at(2).toInt(), 1);
        QVERIFY2(gaveUp.at(0).at(1).toString().contains("HTTP 400"),
                 qPrintable(gaveUp.at(0).at(1).toString()));
        QCOMPARE(m_server.requestCount(), 1);
    }

    void receiverDownGivesUpWithLoggedError()
    {
        FixtureHttpServer gone;
        QVERIFY(gone.start());
        WebhookOptions o = options(gone);
        gone.stop(); // nothing listens there any more
        o.maxAttempts = 3;
        o.backoffMs = 20;
        const auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(32);
        sink->set_pattern("%l %v");
        spdlog::default_logger()->sinks().push_back(sink);
        WebhookNotifier notifier(o);
        QSignalSpy gaveUp(&notifier, &WebhookNotifier::gaveUp);
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        notifier.send(notification(AlertSeverity::Critical));
        QVERIFY(gaveUp.wait(10000));
        spdlog::default_logger()->sinks().pop_back();
        QCOMPARE(delivered.size(), 0);
        QCOMPARE(gaveUp.at(0).at(2).toInt(), 3);
        const QString error = gaveUp.at(0).at(1).toString();
        QVERIFY2(error.contains("not delivered after 3 attempt(s)"), qPrintable(error));
        QVERIFY2(error.contains("refused", Qt::CaseInsensitive), qPrintable(error));
        bool logged = false;
        for (const std::string& line : sink->last_formatted())
            logged = logged || (line.rfind("error", 0) == 0 &&
                                line.find("not delivered") != std::string::npos);
        QVERIFY(logged);
    }

    void timeoutIsRetried()
    {
        m_server.enqueue("POST", "/pager", [] {
            FixtureResponse slow = FixtureResponse::text(200, "late");
            slow.delay = std::chrono::milliseconds(1500);
            return slow;
        }());
        m_server.setHandler("POST", "/pager",
                            [](const FixtureRequest&) { return FixtureResponse::text(200, "ok"); });
        WebhookOptions o = options(m_server);
        o.timeoutMs = 300;
        WebhookNotifier notifier(o);
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        notifier.send(notification(AlertSeverity::Critical));
        QVERIFY(delivered.wait(10000));
        QCOMPARE(delivered.at(0).at(2).toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(TestWebhookNotifier)
#include "tst_webhooknotifier.moc"
