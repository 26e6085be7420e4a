// Drives every route and every error status of the HTTP API against a real
// `querydeck serve` process on a free loopback port.
#include "RawHttp.h"
#include "ServeProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

using namespace querydeck::test;

namespace {

const QByteArray kAdminToken = "test-admin-token-7f3a";
const QByteArray kQueryToken = "test-query-token-91bc";

QJsonObject json(const RawResponse& r)
{
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace

class HttpApiTest : public QObject
{
    Q_OBJECT

private:
    QString writeConfig(const QString& name, const QJsonObject& config)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(QJsonDocument(config).toJson());
        return path;
    }

    QStringList serveArgs(const QString& configName, const QJsonObject& config)
    {
        return {QStringLiteral("--config"),     writeConfig(configName, config),
                QStringLiteral("--corpus"),     QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small"),
                QStringLiteral("--replica-id"), QStringLiteral("test-replica")};
    }

    QJsonObject baseConfig() const
    {
        return QJsonObject{
            {QStringLiteral("auth"),
             QJsonObject{{QStringLiteral("admin_token"),
                          QJsonObject{{QStringLiteral("env"), QStringLiteral("QD_TEST_ADMIN")}}}}},
            {QStringLiteral("rate_limit"), QJsonObject{{QStringLiteral("rate_per_second"), 1000},
                                                       {QStringLiteral("burst"), 1000}}},
            {QStringLiteral("corpus"),
             QJsonObject{{QStringLiteral("index_dir"), m_dir.filePath(QStringLiteral("index"))}}},
        };
    }

    QStringList env() const
    {
        return {QStringLiteral("QD_TEST_ADMIN=") + QString::fromLatin1(kAdminToken)};
    }

    QTemporaryDir m_dir;
    ServeProcess m_main;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString error =
            m_main.start(serveArgs(QStringLiteral("main.json"), baseConfig()), env());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void health()
    {
        const RawResponse r = RawHttp::get(m_main.port(), "/health");
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r).value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        QVERIFY(!r.header("X-Request-Id").isEmpty());
    }

    void ready()
    {
        const RawResponse r = RawHttp::get(m_main.port(), "/ready");
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r).value(QLatin1String("status")).toString(), QStringLiteral("ready"));
    }

    void info()
    {
        const RawResponse r = RawHttp::get(m_main.port(), "/v1/info");
        QCOMPARE(r.status, 200);
        const QJsonObject info = json(r);
        QCOMPARE(info.value(QLatin1String("replica")).toString(), QStringLiteral("test-replica"));
        QVERIFY(!info.value(QLatin1String("version")).toString().isEmpty());
        QCOMPARE(info.value(QLatin1String("corpus"))
                     .toObject()
                     .value(QLatin1String("documents"))
                     .toInt(),
                 4);
        const QJsonObject cache = info.value(QLatin1String("cache")).toObject();
        QCOMPARE(cache.value(QLatin1String("similarity_threshold")).toDouble(), 0.95);
        QCOMPARE(cache.value(QLatin1String("store")).toString(), QStringLiteral("memory"));
        QVERIFY2(!r.body.contains(kAdminToken), "info must never contain secrets");
    }

    void queryMissThenExact()
    {
        const QString question = QStringLiteral("How do I drain a replica?");
        const RawResponse first =
            RawHttp::postJson(m_main.port(), "/v1/query", ServeProcess::queryBody(question));
        QCOMPARE(first.status, 200);
        const QJsonObject a = json(first);
        QCOMPARE(a.value(QLatin1String("cache")).toString(), QStringLiteral("miss"));
        QVERIFY(a.value(QLatin1String("similarity")).isNull());
        QVERIFY(a.value(QLatin1String("latency_ms")).isDouble());
        QCOMPARE(a.value(QLatin1String("replica")).toString(), QStringLiteral("test-replica"));
        QVERIFY(a.value(QLatin1String("answer"))
                    .toString()
                    .contains(QLatin1String("drain"), Qt::CaseInsensitive));
        const QJsonArray sources = a.value(QLatin1String("sources")).toArray();
        QVERIFY(!sources.isEmpty());
        QCOMPARE(sources.first().toObject().value(QLatin1String("document")).toString(),
                 QStringLiteral("draining.md"));
        QVERIFY(sources.first().toObject().value(QLatin1String("chunk")).isDouble());
        QVERIFY(sources.first().toObject().value(QLatin1String("score")).isDouble());

        // Case, punctuation and spacing are normalised away: the exact tier.
        const RawResponse second = RawHttp::postJson(
            m_main.port(), "/v1/query",
            ServeProcess::queryBody(QStringLiteral("  how DO i drain a replica ")));
        QCOMPARE(second.status, 200);
        QCOMPARE(json(second).value(QLatin1String("cache")).toString(), QStringLiteral("exact"));
        QCOMPARE(json(second).value(QLatin1String("answer")), a.value(QLatin1String("answer")));
    }

    void semanticHitAndMiss()
    {
        const RawResponse seed =
            RawHttp::postJson(m_main.port(), "/v1/query",
                              ServeProcess::queryBody(QStringLiteral(
                                  "What should I check before a Redis failover with Sentinel?")));
        QCOMPARE(seed.status, 200);
        const RawResponse reworded = RawHttp::postJson(
            m_main.port(), "/v1/query",
            ServeProcess::queryBody(QStringLiteral(
                "What should I check before a Redis failover with Sentinel, please?")));
        QCOMPARE(reworded.status, 200);
        const QJsonObject hit = json(reworded);
        QCOMPARE(hit.value(QLatin1String("cache")).toString(), QStringLiteral("semantic"));
        QVERIFY(hit.value(QLatin1String("similarity")).toDouble() >= 0.95);

        const RawResponse other = RawHttp::postJson(
            m_main.port(), "/v1/query",
            ServeProcess::queryBody(QStringLiteral("When does the error rate alert fire?")));
        QCOMPARE(other.status, 200);
        QCOMPARE(json(other).value(QLatin1String("cache")).toString(), QStringLiteral("miss"));
    }

    void boundaries()
    {
        QCOMPARE(RawHttp::postJson(m_main.port(), "/v1/query",
                                   ServeProcess::queryBody(QString(4000, QLatin1Char('a'))))
                     .status,
                 200);
        QCOMPARE(
            RawHttp::postJson(m_main.port(), "/v1/query", R"({"query":"cache hits","top_k":20})")
                .status,
            200);
        QCOMPARE(RawHttp::postJson(m_main.port(), "/v1/query",
                                   R"({"query":"cache hits","top_k":1,"client":"ops-1"})")
                     .status,
                 200);
        const RawResponse header = RawHttp::postJson(
            m_main.port(), "/v1/query", R"({"query":"alerts"})", {{"X-Client-Id", "dashboard"}});
        QCOMPARE(header.status, 200);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("code");
        auto post = [](const QByteArray& body, const QByteArray& type = "application/json") {
            return RawHttp::build(
                "POST", "/v1/query", body,
                type.isEmpty() ? QList<QPair<QByteArray, QByteArray>>{}
                               : QList<QPair<QByteArray, QByteArray>>{{"Content-Type", type}});
        };
        QTest::newRow("invalid json")
            << post("{\"query\": ") << 400 << QByteArray("invalid_request");
        QTest::newRow("empty body") << post("") << 400 << QByteArray("invalid_request");
        QTest::newRow("array body") << post("[1,2]") << 400 << QByteArray("invalid_request");
        QTest::newRow("missing query")
            << post("{\"top_k\":3}") << 400 << QByteArray("invalid_request");
        QTest::newRow("query is a number")
            << post("{\"query\":42}") << 400 << QByteArray("invalid_request");
        QTest::newRow("query is null")
            << post("{\"query\":null}") << 400 << QByteArray("invalid_request");
        QTest::newRow("empty query")
            << post("{\"query\":\"\"}") << 400 << QByteArray("invalid_request");
        QTest::newRow("blank query")
            << post("{\"query\":\"  \\t \"}") << 400 << QByteArray("invalid_request");
        QTest::newRow("query too long")
            << post(ServeProcess::queryBody(QString(4001, QLatin1Char('a')))) << 400
            << QByteArray("invalid_request");
        QTest::newRow("NUL in query")
            << post("{\"query\":\"a\\u0000b\"}") << 400 << QByteArray("invalid_request");
        QTest::newRow("top_k zero")
            << post("{\"query\":\"x\",\"top_k\":0}") << 400 << QByteArray("invalid_request");
        QTest::newRow("top_k 21") << post("{\"query\":\"x\",\"top_k\":21}") << 400
                                  << QByteArray("invalid_request");
        QTest::newRow("top_k fraction")
            << post("{\"query\":\"x\",\"top_k\":2.5}") << 400 << QByteArray("invalid_request");
        QTest::newRow("top_k string")
            << post("{\"query\":\"x\",\"top_k\":\"3\"}") << 400 << QByteArray("invalid_request");
        QTest::newRow("client number")
            << post("{\"query\":\"x\",\"client\":7}") << 400 << QByteArray("invalid_request");
        QTest::newRow("client too long")
            << post("{\"query\":\"x\",\"client\":\"" + QByteArray(200, 'c') + "\"}") << 400
            << QByteArray("invalid_request");
        QTest::newRow("invalid utf-8")
            << post("{\"query\":\"caf\xC3\x28\"}") << 400 << QByteArray("invalid_request");
        QTest::newRow("no content type")
            << post("{\"query\":\"x\"}", "") << 415 << QByteArray("unsupported_media_type");
        QTest::newRow("text/plain") << post("{\"query\":\"x\"}", "text/plain") << 415
                                    << QByteArray("unsupported_media_type");
        QTest::newRow("GET on query")
            << RawHttp::build("GET", "/v1/query") << 405 << QByteArray("method_not_allowed");
        QTest::newRow("POST on health")
            << RawHttp::build("POST", "/health") << 405 << QByteArray("method_not_allowed");
        QTest::newRow("DELETE on metrics")
            << RawHttp::build("DELETE", "/metrics") << 405 << QByteArray("method_not_allowed");
        QTest::newRow("unknown route")
            << RawHttp::build("GET", "/v2/nothing") << 404 << QByteArray("not_found");
        QTest::newRow("traversal")
            << RawHttp::build("GET", "/../../etc/passwd") << 404 << QByteArray("not_found");
        QTest::newRow("drain without token")
            << RawHttp::build("POST", "/admin/drain") << 401 << QByteArray("unauthorized");
        QTest::newRow("drain wrong token")
            << RawHttp::build("POST", "/admin/drain", {}, {{"Authorization", "Bearer nope"}}) << 401
            << QByteArray("unauthorized");
        QTest::newRow("bad client header")
            << RawHttp::build("POST", "/v1/query", "{\"query\":\"x\"}",
                              {{"Content-Type", "application/json"}, {"X-Client-Id", "has space"}})
            << 400 << QByteArray("invalid_request");
    }

    void errors()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QByteArray, code);
        const RawResponse r = RawHttp::exchange(m_main.port(), request);
        QCOMPARE(r.status, status);
        QCOMPARE(r.errorCode(), code);
        QVERIFY2(!json(r)
                      .value(QLatin1String("error"))
                      .toObject()
                      .value(QLatin1String("message"))
                      .toString()
                      .isEmpty(),
                 "every error has a message");
        if (status == 405)
            QVERIFY(!r.header("Allow").isEmpty());
    }

    // Issue 12: ~1,000 nested arrays in a 2 KB body overflowed the HTTP
    // worker's stack (SIGSEGV). Each must be a clean 400 naming the limit, and
    // the process must still answer afterwards.
    void deeplyNestedBodyIsRefusedAndProcessSurvives_data()
    {
        QTest::addColumn<QByteArray>("body");
        auto arrays = [](int depth) { return QByteArray(depth, '[') + QByteArray(depth, ']'); };
        auto objects = [](int depth) {
            QByteArray out;
            for (int i = 0; i < depth; ++i)
                out += "{\"q\":";
            return out + "1" + QByteArray(depth, '}');
        };
        QTest::newRow("65 arrays") << arrays(65);
        QTest::newRow("1,000 arrays") << arrays(1000);
        QTest::newRow("1,000 unclosed arrays") << QByteArray(1000, '[');
        QTest::newRow("10,000 arrays (60 KB)") << arrays(10000);
        QTest::newRow("1,000 objects") << objects(1000);
        QTest::newRow("array inside the query object")
            << "{\"query\":\"x\",\"extra\":" + arrays(2000) + "}";
    }

    void deeplyNestedBodyIsRefusedAndProcessSurvives()
    {
        QFETCH(QByteArray, body);
        const RawResponse r = RawHttp::postJson(m_main.port(), "/v1/query", body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QByteArray("invalid_request"));
        const QString message = json(r)
                                    .value(QLatin1String("error"))
                                    .toObject()
                                    .value(QLatin1String("message"))
                                    .toString();
        QVERIFY2(message.contains(QLatin1String("nested deeper than 64 levels")),
                 qPrintable(message));
        QCOMPARE(m_main.process().state(), QProcess::Running);
        QCOMPARE(RawHttp::get(m_main.port(), "/health").status, 200);
    }

    void hundredThousandNestedArraysOverTheLimit()
    {
        // 100,000 levels is 200 KB: over the 64 KiB body limit, so the answer
        // is 413 before any parsing — and the process lives on.
        const QByteArray body = QByteArray(100000, '[') + QByteArray(100000, ']');
        const RawResponse r = RawHttp::postJson(m_main.port(), "/v1/query", body);
        QCOMPARE(r.status, 413);
        QCOMPARE(m_main.process().state(), QProcess::Running);
        QCOMPARE(RawHttp::get(m_main.port(), "/health").status, 200);
    }

    void oversizedBodyRefusedFromContentLength()
    {
        // Only the head is sent: the 413 must come from Content-Length alone.
        const QByteArray head =
            "POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 70000\r\n\r\n";
        const RawResponse r = RawHttp::exchange(m_main.port(), head, 5000);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errorCode(), QByteArray("payload_too_large"));
    }

    void chunkedBodyCappedWhileReading()
    {
        QByteArray request =
            "POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        const QByteArray chunk(8192, 'a');
        for (int i = 0; i < 10; ++i) // 80 KiB, over the 64 KiB limit
            request += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
        request += "0\r\n\r\n";
        const RawResponse r = RawHttp::exchange(m_main.port(), request, 5000);
        QCOMPARE(r.status, 413);

        QByteArray small =
            "POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        const QByteArray body = R"({"query":"how do I drain a replica?"})";
        small += QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n";
        QCOMPARE(RawHttp::exchange(m_main.port(), small, 5000).status, 200);
    }

    void metrics()
    {
        const RawResponse r = RawHttp::get(m_main.port(), "/metrics");
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Content-Type").startsWith("text/plain; version=0.0.4"));
        const QByteArray text = r.body;
        for (const char* name :
             {"# TYPE querydeck_http_requests_total counter",
              "# TYPE querydeck_http_request_duration_seconds histogram",
              "# TYPE querydeck_cache_lookups_total counter", "querydeck_cache_entries",
              "querydeck_cache_bytes", "querydeck_cache_evictions_total",
              "querydeck_generation_queue_depth", "querydeck_generation_in_flight",
              "querydeck_retrieval_duration_seconds_bucket",
              "querydeck_generation_duration_seconds_count", "querydeck_active_users",
              "querydeck_process_cpu_seconds_total", "querydeck_process_resident_memory_bytes"})
            QVERIFY2(text.contains(name), name);
        QVERIFY(text.contains(R"(querydeck_http_requests_total{code="200",route="/v1/query"})"));
        QVERIFY(text.contains(R"(querydeck_http_requests_total{code="413",route="/v1/query"})"));
        QVERIFY(text.contains(R"(querydeck_cache_lookups_total{result="exact"})"));
        QVERIFY(!text.contains(R"(querydeck_cache_lookups_total{result="exact"} 0)"));
        QVERIFY(!text.contains(R"(querydeck_cache_lookups_total{result="semantic"} 0)"));
        QVERIFY(!text.contains("querydeck_active_users 0"));
    }

    void rateLimitedPerAddress()
    {
        QJsonObject config = baseConfig();
        config.insert(
            QStringLiteral("rate_limit"),
            QJsonObject{{QStringLiteral("rate_per_second"), 0.5}, {QStringLiteral("burst"), 2}});
        ServeProcess limited;
        const QString error =
            limited.start(serveArgs(QStringLiteral("limited.json"), config), env());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QByteArray body = R"({"query":"cache","client":"greedy"})";
        QCOMPARE(RawHttp::postJson(limited.port(), "/v1/query", body).status, 200);
        QCOMPARE(RawHttp::postJson(limited.port(), "/v1/query", body).status, 200);
        const RawResponse refused = RawHttp::postJson(limited.port(), "/v1/query", body);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.errorCode(), QByteArray("rate_limited"));
        QVERIFY(refused.header("Retry-After").toInt() >= 1);
        // Another client id from the same address shares its bucket (issue 12;
        // more in tst_ratelimit_http).
        QCOMPARE(
            RawHttp::postJson(limited.port(), "/v1/query", R"({"query":"cache","client":"polite"})")
                .status,
            429);
        QCOMPARE(limited.terminate(), 0);
    }

    void queryTokenRequiredWhenConfigured()
    {
        QJsonObject config = baseConfig();
        config.insert(
            QStringLiteral("auth"),
            QJsonObject{{QStringLiteral("require_query_token"), true},
                        {QStringLiteral("query_token"),
                         QJsonObject{{QStringLiteral("env"), QStringLiteral("QD_TEST_QUERY")}}}});
        ServeProcess secured;
        const QString error =
            secured.start(serveArgs(QStringLiteral("secured.json"), config),
                          {QStringLiteral("QD_TEST_QUERY=") + QString::fromLatin1(kQueryToken)});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QByteArray body = R"({"query":"cache"})";
        QCOMPARE(RawHttp::postJson(secured.port(), "/v1/query", body).status, 401);
        QCOMPARE(RawHttp::postJson(secured.port(), "/v1/query", body,
                                   {{"Authorization", "Bearer wrong"}})
                     .status,
                 401);
        QCOMPARE(RawHttp::postJson(secured.port(), "/v1/query", body,
                                   {{"Authorization", "Bearer " + kQueryToken}})
                     .status,
                 200);
        // Health and readiness stay open for load balancers.
        QCOMPARE(RawHttp::get(secured.port(), "/health").status, 200);
        QCOMPARE(secured.terminate(), 0);
        QVERIFY2(!secured.output().contains(kQueryToken), "the token must never be logged");
    }

    void queueFullAndSigtermFinishesInFlight()
    {
        QJsonObject config = baseConfig();
        config.insert(QStringLiteral("queue"), QJsonObject{{QStringLiteral("concurrency"), 1},
                                                           {QStringLiteral("capacity"), 1}});
        config.insert(
            QStringLiteral("generator"),
            QJsonObject{{QStringLiteral("latency"),
                         QJsonObject{{QStringLiteral("enabled"), true},
                                     {QStringLiteral("distribution"), QStringLiteral("fixed")},
                                     {QStringLiteral("mean_ms"), 1500}}}});
        ServeProcess slow;
        const QString error = slow.start(serveArgs(QStringLiteral("slow.json"), config), env());
        QVERIFY2(error.isEmpty(), qPrintable(error));

        // Three different questions at once: one generates, one waits, one is refused.
        std::vector<RawResponse> responses(3);
        std::vector<std::thread> clients;
        for (int i = 0; i < 3; ++i)
            clients.emplace_back([&, i] {
                responses[i] = RawHttp::postJson(
                    slow.port(), "/v1/query",
                    ServeProcess::queryBody(
                        QStringLiteral("distinct question number %1 about redis").arg(i)));
            });
        for (auto& t : clients)
            t.join();
        int ok = 0, refused = 0;
        for (const RawResponse& r : responses) {
            if (r.status == 200)
                ++ok;
            if (r.status == 503) {
                ++refused;
                QCOMPARE(r.errorCode(), QByteArray("overloaded"));
                QVERIFY(r.header("Retry-After").toInt() >= 1);
            }
        }
        QCOMPARE(ok, 2);
        QCOMPARE(refused, 1);

        // SIGTERM while a query is generating: it still gets its answer, new
        // queries are refused while draining, and the process exits 0.
        RawResponse inFlight;
        std::thread client([&] {
            inFlight = RawHttp::postJson(
                slow.port(), "/v1/query",
                ServeProcess::queryBody(QStringLiteral("a slow question on alerts")));
        });
        QTRY_VERIFY_WITH_TIMEOUT(
            json(RawHttp::get(slow.port(), "/ready")).value(QLatin1String("in_flight")).toInt() >=
                2,
            5000);
        ::kill(pid_t(slow.process().processId()), SIGTERM);
        QTRY_COMPARE_WITH_TIMEOUT(RawHttp::get(slow.port(), "/ready").status, 503, 5000);
        const RawResponse late = RawHttp::postJson(
            slow.port(), "/v1/query", ServeProcess::queryBody(QStringLiteral("too late")));
        QVERIFY(late.status == 503 || late.status == 0);
        if (late.status == 503) {
            QCOMPARE(late.errorCode(), QByteArray("draining"));
            QVERIFY(!late.header("Retry-After").isEmpty());
        }
        client.join();
        QCOMPARE(inFlight.status, 200);
        QVERIFY(slow.process().waitForFinished(10000));
        QCOMPARE(slow.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(slow.process().exitCode(), 0);
    }

    void badConfigRefusedWithFieldName()
    {
        ServeProcess broken;
        const QString error =
            broken.start({QStringLiteral("--config"),
                          writeConfig(QStringLiteral("bad.json"),
                                      QJsonObject{{QStringLiteral("http"),
                                                   QJsonObject{{QStringLiteral("threads"), -3}}}})},
                         {}, false, 10000);
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains(QLatin1String("http.threads")), qPrintable(error));
        QCOMPARE(broken.process().exitCode(), 2);
    }

    void adminDrain()
    {
        const RawResponse r = RawHttp::exchange(
            m_main.port(), RawHttp::build("POST", "/admin/drain", {},
                                          {{"Authorization", "Bearer " + kAdminToken}}));
        QCOMPARE(r.status, 202);
        const RawResponse ready = RawHttp::get(m_main.port(), "/ready");
        QCOMPARE(ready.status, 503);
        QCOMPARE(json(ready).value(QLatin1String("status")).toString(), QStringLiteral("draining"));
        const RawResponse refused = RawHttp::postJson(
            m_main.port(), "/v1/query", ServeProcess::queryBody(QStringLiteral("anything")));
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.errorCode(), QByteArray("draining"));
        QVERIFY(!refused.header("Retry-After").isEmpty());
        QCOMPARE(RawHttp::get(m_main.port(), "/health").status, 200); // still alive
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_main.terminate(), 0);
        QVERIFY2(!m_main.output().contains(kAdminToken), "the admin token must never be logged");
    }
};

QTEST_GUILESS_MAIN(HttpApiTest)
#include "tst_http_api.moc"
