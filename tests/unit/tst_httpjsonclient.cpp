#include "FixtureHttpServer.h"
#include "backend/retrieval/HttpJsonClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpServer>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace querydeck;
using namespace std::chrono_literals;

namespace {
RetryPolicy fastRetries(int retries = 2)
{
    RetryPolicy policy;
    policy.retries = retries;
    policy.initialBackoffMs = 10;
    policy.maxBackoffMs = 50;
    return policy;
}
} // namespace

class TestHttpJsonClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    }
    void init() { m_server.reset(); }
    void cleanupTestCase() { m_server.stop(); }

    void postsJsonAndParsesReply()
    {
        m_server.enqueue("POST", "/echo", FixtureResponse::json(200, {{"answer", 42}}));
        const HttpJsonResponse response = HttpJsonClient::post(
            m_server.url("/echo"), {{"question", "why"}}, {{"X-Trace", "abc"}}, 2000ms);
        QVERIFY2(response.ok(), qPrintable(response.describe()));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body.object().value("answer").toInt(), 42);
        QCOMPARE(m_server.requestCount(), 1);
        const FixtureRequest request = m_server.requests().first();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QByteArray("/echo"));
        QCOMPARE(request.header("content-type"), QByteArray("application/json"));
        QCOMPARE(request.header("X-Trace"), QByteArray("abc"));
        QCOMPARE(request.json().value("question").toString(), QString("why"));
    }

    void chunkedReplyIsReassembled()
    {
        QJsonArray values;
        for (int i = 0; i < 1000; ++i)
            values.append(i);
        FixtureResponse reply = FixtureResponse::json(200, {{"values", values}});
        reply.chunked = true;
        m_server.enqueue("POST", "/chunked", reply);
        const auto response = HttpJsonClient::post(m_server.url("/chunked"), {}, {}, 2000ms);
        QVERIFY2(response.ok(), qPrintable(response.describe()));
        QCOMPARE(response.body.object().value("values").toArray().size(), 1000);
    }

    void badBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("<html>oops</html>") << "not valid JSON";
        QTest::newRow("truncated") << QByteArray("{\"a\": [1, 2") << "not valid JSON";
        QTest::newRow("empty") << QByteArray() << "empty response body";
        // Issue 12: Ollama/OpenAI replies are bounded before Qt's recursive parser.
        QTest::newRow("1,000 nested arrays") << QByteArray(1000, '[') + QByteArray(1000, ']')
                                             << "JSON nested deeper than 256 levels";
        QTest::newRow("100,000 unclosed objects")
            << QByteArray("{\"a\":").repeated(100000)
            << "JSON nested deeper than 256 levels at byte 1280";
    }
    void badBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        m_server.enqueue("POST", "/bad", FixtureResponse::text(200, body, "application/json"));
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/bad"), {}, {}, 2000ms, fastRetries());
        QVERIFY(!response.ok());
        QCOMPARE(response.failure, HttpJsonResponse::Failure::BadJson);
        QVERIFY2(response.error.contains(expected), qPrintable(response.error));
        QCOMPARE(m_server.requestCount(), 1); // a bad body is not retried
    }

    void serverErrorThenSuccessIsRetried()
    {
        m_server.enqueue("POST", "/flaky", FixtureResponse::json(500, {{"error", "boom"}}));
        m_server.enqueue("POST", "/flaky", FixtureResponse::json(503, {{"error", "busy"}}));
        m_server.enqueue("POST", "/flaky", FixtureResponse::json(200, {{"ok", true}}));
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/flaky"), {}, {}, 2000ms, fastRetries());
        QVERIFY2(response.ok(), qPrintable(response.describe()));
        QCOMPARE(response.attempts, 3);
        QCOMPARE(m_server.requestCount(), 3);
    }

    void retriesAreBounded()
    {
        m_server.setHandler("POST", "/down",
                            [](const FixtureRequest&) { return FixtureResponse::json(502, {}); });
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/down"), {}, {}, 2000ms, fastRetries(2));
        QCOMPARE(response.status, 502);
        QVERIFY(!response.ok());
        QCOMPARE(response.attempts, 3);
        QCOMPARE(m_server.requestCount(), 3);
        QVERIFY2(response.describe().contains("502"), qPrintable(response.describe()));
    }

    void tooManyRequestsHonoursRetryAfter()
    {
        FixtureResponse limited = FixtureResponse::json(429, {{"error", "slow down"}});
        limited.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
        m_server.enqueue("POST", "/limited", limited);
        m_server.enqueue("POST", "/limited", FixtureResponse::json(200, {{"ok", true}}));
        RetryPolicy policy = fastRetries();
        policy.maxBackoffMs = 2000; // Retry-After (1 s) is below the cap: honoured in full
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/limited"), {}, {}, 2000ms, policy);
        QVERIFY2(response.ok(), qPrintable(response.describe()));
        // The one retry came after the client sat out the server's Retry-After
        // in full (its own wait, not the jittered 10 ms backoff of the policy).
        QCOMPARE(response.retryWaitsMs, QList<qint64>{1000});
        QCOMPARE(response.attempts, 2);
        QCOMPARE(m_server.requestCount(), 2);
    }

    void retryAfterIsCapped()
    {
        RetryPolicy policy;
        policy.maxBackoffMs = 3000;
        QCOMPARE(HttpJsonClient::retryDelay(policy, 1, "2", 0.5), 2000ms);
        QCOMPARE(HttpJsonClient::retryDelay(policy, 1, "3600", 0.5), 3000ms);
        QCOMPARE(HttpJsonClient::retryDelay(policy, 1, " 0 ", 0.5), 0ms);
        // Garbage falls back to backoff.
        QCOMPARE(HttpJsonClient::retryDelay(policy, 1, "soon", 0.0), 200ms);
    }

    void retryAfterAcceptsHttpDates()
    {
        RetryPolicy policy;
        policy.maxBackoffMs = 3000;
        const auto httpDate = [](qint64 secondsFromNow) {
            return QLocale::c()
                .toString(QDateTime::currentDateTimeUtc().addSecs(secondsFromNow),
                          "ddd, dd MMM yyyy hh:mm:ss 'GMT'")
                .toLatin1();
        };
        QCOMPARE(HttpJsonClient::retryDelay(policy, 1, httpDate(3600), 0.0), 3000ms);
        QCOMPARE(HttpJsonClient::retryDelay(policy, 1, httpDate(-3600), 0.0), 0ms);
        const auto soon = HttpJsonClient::retryDelay(policy, 1, httpDate(2), 0.0);
        QVERIFY2(soon >= 900ms && soon <= 2000ms, qPrintable(QString::number(soon.count())));
    }

    void backoffGrowsWithJitter_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<double>("random");
        QTest::addColumn<int>("expectedMs");
        QTest::newRow("first, no jitter") << 1 << 0.0 << 200;
        QTest::newRow("second, no jitter") << 2 << 0.0 << 400;
        QTest::newRow("third, max jitter") << 3 << 1.0 << 400; // 800 halved
        QTest::newRow("capped") << 10 << 0.0 << 5000;
        QTest::newRow("capped, half jitter") << 10 << 0.5 << 3750;
    }
    void backoffGrowsWithJitter()
    {
        QFETCH(int, retry);
        QFETCH(double, random);
        QFETCH(int, expectedMs);
        QCOMPARE(HttpJsonClient::retryDelay(RetryPolicy{}, retry, {}, random).count(), expectedMs);
    }

    void clientErrorsAreNotRetried_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("400") << 400;
        QTest::newRow("401") << 401;
        QTest::newRow("404") << 404;
    }
    void clientErrorsAreNotRetried()
    {
        QFETCH(int, status);
        m_server.setHandler("POST", "/client", [status](const FixtureRequest&) {
            return FixtureResponse::json(status, {{"error", "nope"}});
        });
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/client"), {}, {}, 2000ms, fastRetries());
        QCOMPARE(response.status, status);
        QVERIFY(!response.ok());
        QVERIFY(response.error.isEmpty());
        QCOMPARE(response.body.object().value("error").toString(), QString("nope"));
        QCOMPARE(response.attempts, 1);
        QCOMPARE(m_server.requestCount(), 1);
    }

    void slowServerTimesOut()
    {
        m_server.setHandler("POST", "/slow", [](const FixtureRequest&) {
            // A minute: a Timeout can only come from the client's own 200 ms limit.
            FixtureResponse reply = FixtureResponse::json(200, {{"late", true}});
            reply.delay = 60s;
            return reply;
        });
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/slow"), {}, {}, 200ms, fastRetries(1));
        QCOMPARE(response.failure, HttpJsonResponse::Failure::Timeout);
        QVERIFY2(response.error.contains("timeout"), qPrintable(response.error));
        QCOMPARE(response.attempts, 2);
    }

    void deadlineBoundsRetries()
    {
        // The server answers after 3 s, inside the 5 s attempt timeout: had the
        // 300 ms deadline not cut the attempt short, the call would succeed.
        m_server.setHandler("POST", "/slow", [](const FixtureRequest&) {
            FixtureResponse reply = FixtureResponse::json(200, {});
            reply.delay = 3000ms;
            return reply;
        });
        const auto response = HttpJsonClient::postWithRetry(
            m_server.url("/slow"), {}, {}, 5000ms, fastRetries(5), {}, QDeadlineTimer(300));
        QCOMPARE(response.failure, HttpJsonResponse::Failure::Timeout);
    }

    void cancellationStopsTheCall()
    {
        // The server answers after 3 s, inside the 5 s timeout: had the call not
        // stopped on cancel, it would succeed instead of reporting Cancelled.
        m_server.setHandler("POST", "/slow", [](const FixtureRequest&) {
            FixtureResponse reply = FixtureResponse::json(200, {});
            reply.delay = 3000ms;
            return reply;
        });
        // Cancel once the request is in flight (the server has it), not after a
        // guessed sleep: the cancel check itself asks the server.
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/slow"), {}, {}, 5000ms, fastRetries(),
                                          [&] { return m_server.requestCount() >= 1; });
        QCOMPARE(response.failure, HttpJsonResponse::Failure::Cancelled);
        QCOMPARE(m_server.requestCount(), 1);
    }

    void noTimeLeftSendsNothing()
    {
        m_server.enqueue("POST", "/never", FixtureResponse::json(200, {}));
        const auto response = HttpJsonClient::post(m_server.url("/never"), {}, {}, 0ms);
        QCOMPARE(response.failure, HttpJsonResponse::Failure::Timeout);
        QCOMPARE(m_server.requestCount(), 0);
    }

    void oversizedResponseIsRefused_data()
    {
        QTest::addColumn<bool>("chunked");
        QTest::newRow("content-length") << false;
        QTest::newRow("chunked") << true;
    }
    void oversizedResponseIsRefused()
    {
        QFETCH(bool, chunked);
        FixtureResponse huge = FixtureResponse::text(
            200, "\"" + QByteArray(HttpJsonClient::kMaxResponseBytes + 10, 'x') + "\"",
            "application/json");
        huge.chunked = chunked;
        m_server.enqueue("POST", "/huge", huge);
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/huge"), {}, {}, 5000ms, fastRetries());
        QCOMPARE(response.failure, HttpJsonResponse::Failure::TooLarge);
        QVERIFY2(response.error.contains("8 MiB"), qPrintable(response.error));
        QVERIFY(response.raw.isEmpty());
        QCOMPARE(m_server.requestCount(), 1);
    }

    void droppedConnectionIsATransportError()
    {
        m_server.setHandler("POST", "/drop", [](const FixtureRequest&) {
            return FixtureResponse::dropConnection();
        });
        const auto response =
            HttpJsonClient::postWithRetry(m_server.url("/drop"), {}, {}, 2000ms, fastRetries(1));
        QCOMPARE(response.failure, HttpJsonResponse::Failure::Transport);
        QCOMPARE(response.status, 0);
        QVERIFY(!response.error.isEmpty());
        QCOMPARE(response.attempts, 2);
    }

    void connectionRefused()
    {
        quint16 freePort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            freePort = probe.serverPort();
        }
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/api").arg(freePort));
        const auto response = HttpJsonClient::postWithRetry(url, {}, {}, 2000ms, fastRetries(1));
        QCOMPARE(response.failure, HttpJsonResponse::Failure::Transport);
        QVERIFY2(response.error.contains("refused", Qt::CaseInsensitive),
                 qPrintable(response.error));
        QCOMPARE(response.attempts, 2);
    }

    void invalidUrls_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::newRow("empty") << QUrl();
        QTest::newRow("ftp") << QUrl("ftp://127.0.0.1/x");
        QTest::newRow("no host") << QUrl("http:///path");
    }
    void invalidUrls()
    {
        QFETCH(QUrl, url);
        const auto response = HttpJsonClient::postWithRetry(url, {}, {}, 1000ms, fastRetries());
        QCOMPARE(response.failure, HttpJsonResponse::Failure::InvalidRequest);
        QVERIFY2(response.error.contains("invalid URL"), qPrintable(response.error));
        QCOMPARE(response.attempts, 1);
    }

    void errorsNeverContainCredentials()
    {
        const auto response =
            HttpJsonClient::post(QUrl("http://user:hunter2@127.0.0.1:1/x?key=s3"), {},
                                 {{"Authorization", "Bearer sk-secret"}}, 1000ms);
        QVERIFY(!response.ok());
        QVERIFY2(!response.error.contains("hunter2"), qPrintable(response.error));
        QVERIFY2(!response.error.contains("s3"), qPrintable(response.error));
        QVERIFY2(!response.error.contains("sk-secret"), qPrintable(response.error));
    }

    void endpointJoinsPaths_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bare") << "http://h:11434"
                              << "http://h:11434/api/generate";
        QTest::newRow("slash") << "http://h:11434/"
                               << "http://h:11434/api/generate";
        QTest::newRow("prefix") << "https://h/ollama/"
                                << "https://h/ollama/api/generate";
    }
    void endpointJoinsPaths()
    {
        QFETCH(QString, base);
        QFETCH(QString, expected);
        QCOMPARE(HttpJsonClient::endpoint(QUrl(base), "/api/generate").toString(), expected);
    }

    void keepsConnectionsAlive()
    {
        m_server.setHandler("POST", "/ping", [](const FixtureRequest&) {
            return FixtureResponse::json(200, {{"pong", true}});
        });
        constexpr int kCalls = 200;
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < kCalls; ++i) {
            const auto response =
                HttpJsonClient::post(m_server.url("/ping"), {{"i", i}}, {}, 2000ms);
            QVERIFY2(response.ok(), qPrintable(response.describe()));
        }
        const double perCallUs = clock.nsecsElapsed() / 1000.0 / kCalls;
        qInfo("sequential POST round trip over loopback: %.0f us per call", perCallUs);
        QCOMPARE(m_server.requestCount(), kCalls);
        QCOMPARE(m_server.connectionCount(), 1);
    }

    void followsSameOriginRedirectKeepingTheBody()
    {
        FixtureResponse moved = FixtureResponse::json(307, {});
        moved.headers.append(qMakePair(QByteArray("Location"), QByteArray("/new")));
        m_server.enqueue("POST", "/old", moved);
        m_server.setHandler("POST", "/new", [](const FixtureRequest& request) {
            return FixtureResponse::json(200, {{"got", request.json().value("x")}});
        });
        const auto response = HttpJsonClient::post(m_server.url("/old"), {{"x", 7}},
                                                   {{"Authorization", "Bearer t"}}, 2000ms);
        QVERIFY2(response.ok(), qPrintable(response.describe()));
        QCOMPARE(response.body.object().value("got").toInt(), 7);
    }

    void crossOriginRedirectNeverCarriesCredentials()
    {
        FixtureHttpServer elsewhere;
        QVERIFY2(elsewhere.start(), qPrintable(elsewhere.errorString()));
        elsewhere.setHandler("POST", "/steal", [](const FixtureRequest&) {
            return FixtureResponse::json(200, {{"stolen", true}});
        });
        FixtureResponse moved = FixtureResponse::json(307, {});
        moved.headers.append(
            qMakePair(QByteArray("Location"), elsewhere.url("/steal").toEncoded()));
        m_server.setHandler("POST", "/old", [moved](const FixtureRequest&) { return moved; });

        const auto refused = HttpJsonClient::postWithRetry(
            m_server.url("/old"), {}, {{"Authorization", "Bearer secret"}}, 2000ms, fastRetries());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.failure, HttpJsonResponse::Failure::RedirectRefused);
        QVERIFY2(refused.error.contains("redirect"), qPrintable(refused.error));
        QCOMPARE(refused.attempts, 1);
        QCOMPARE(elsewhere.requestCount(), 0);

        // Without credentials, following is harmless.
        const auto followed = HttpJsonClient::post(m_server.url("/old"), {}, {}, 2000ms);
        QVERIFY2(followed.ok(), qPrintable(followed.describe()));
        QCOMPARE(elsewhere.requestCount(), 1);
    }

    void worksFromManyPlainThreadsAtOnce()
    {
        m_server.setHandler("POST", "/square", [](const FixtureRequest& request) {
            const int n = request.json().value("n").toInt();
            FixtureResponse reply = FixtureResponse::json(200, {{"square", n * n}});
            reply.delay = 20ms; // keeps several requests in flight at once
            return reply;
        });
        constexpr int kThreads = 8;
        constexpr int kCallsPerThread = 5;
        std::atomic<int> good{0};
        std::vector<QString> failures(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kCallsPerThread; ++i) {
                    const int n = t * 100 + i;
                    const auto response = HttpJsonClient::postWithRetry(
                        m_server.url("/square"), {{"n", n}}, {}, 5000ms, fastRetries());
                    if (response.ok() && response.body.object().value("square").toInt() == n * n)
                        ++good;
                    else
                        failures[t] = response.describe();
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        for (const QString& failure : failures)
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(good.load(), kThreads * kCallsPerThread);
        QCOMPARE(m_server.requestCount(), kThreads * kCallsPerThread);
    }

private:
    FixtureHttpServer m_server;
};

QTEST_GUILESS_MAIN(TestHttpJsonClient)
#include "tst_httpjsonclient.moc"
