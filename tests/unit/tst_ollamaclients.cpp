#include "FixtureHttpServer.h"
#include "backend/retrieval/OllamaEmbedder.h"
#include "backend/retrieval/OllamaGenerator.h"

#include <QJsonArray>
#include <QtTest>
#include <atomic>
#include <cmath>
#include <thread>

using namespace querydeck;
using namespace std::chrono_literals;

namespace {

QJsonObject embeddingReply(const QList<double>& values)
{
    QJsonArray array;
    for (double value : values)
        array.append(value);
    return {{"embedding", array}};
}

GenerationRequest sampleRequest()
{
    GenerationRequest request;
    request.query = "How do I drain a replica?";
    request.chunks.push_back(
        {{"runbooks/draining.md", 2, 1600, "POST /admin/drain with the token."}, 0.91f});
    request.chunks.push_back(
        {{"runbooks/scaling-out.md", 0, 0, "Add replicas behind nginx."}, 0.55f});
    request.timeout = 5000ms;
    return request;
}

} // namespace

class TestOllamaClients : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    }
    void init() { m_server.reset(); }

    // --- embedder ---

    void embedderSendsDocumentedRequestAndNormalises()
    {
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::json(200, embeddingReply({3.0, 0.0, 4.0})));
        OllamaEmbedder embedder(config());
        QCOMPARE(embedder.id(), QString("ollama:nomic-embed-text"));
        QCOMPARE(embedder.dimension(), 0); // unknown until the first reply
        const Embedding embedding = embedder.embed("hello world");
        QVERIFY2(embedding.ok(), qPrintable(embedding.error));
        QCOMPARE(embedding.vector.size(), size_t(3));
        QCOMPARE(embedding.vector[0], 0.6f);
        QCOMPARE(embedding.vector[1], 0.0f);
        QCOMPARE(embedding.vector[2], 0.8f);
        QCOMPARE(embedder.dimension(), 3);

        const FixtureRequest request = m_server.requests().first();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QByteArray("/api/embeddings"));
        const QJsonObject body = request.json();
        QCOMPARE(body.value("model").toString(), QString("nomic-embed-text"));
        QCOMPARE(body.value("prompt").toString(), QString("hello world"));
        QCOMPARE(body.size(), 2);
    }

    void probeLearnsDimension()
    {
        QList<double> values;
        for (int i = 0; i < 768; ++i)
            values << (i % 7) - 3.0;
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::json(200, embeddingReply(values)));
        OllamaEmbedder embedder(config());
        QCOMPARE(embedder.probe(), QString());
        QCOMPARE(embedder.dimension(), 768);
        QCOMPARE(m_server.requests().first().json().value("prompt").toString(),
                 QString("dimension probe"));
        double norm = 0;
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::json(200, embeddingReply(values)));
        for (float v : embedder.embed("x").vector)
            norm += double(v) * v;
        QVERIFY(std::abs(norm - 1.0) < 1e-5);
    }

    void embedderRejectsBadReplies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing field")
            << QByteArray(R"({"embeddings":[[1,2]]})") << "no 'embedding' field";
        QTest::newRow("not array") << QByteArray(R"({"embedding":"1,2"})") << "not an array";
        QTest::newRow("empty") << QByteArray(R"({"embedding":[]})") << "'embedding' is empty";
        QTest::newRow("non-number")
            << QByteArray(R"({"embedding":[1,"x",3]})") << "'embedding'[1] is not a number";
        QTest::newRow("null element")
            << QByteArray(R"({"embedding":[1,null]})") << "'embedding'[1] is not a number";
        QTest::newRow("zero vector")
            << QByteArray(R"({"embedding":[0,0,0]})") << "cannot be normalised";
        QTest::newRow("overflowing")
            << QByteArray(R"({"embedding":[1e308,1e308]})") << "cannot be normalised";
        QTest::newRow("not object") << QByteArray(R"([1,2,3])") << "no 'embedding' field";
        QTest::newRow("not json") << QByteArray("embedding: 1") << "not valid JSON";
    }
    void embedderRejectsBadReplies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::text(200, body, "application/json"));
        OllamaEmbedder embedder(config());
        const Embedding embedding = embedder.embed("text");
        QVERIFY(!embedding.ok());
        QVERIFY(embedding.vector.empty());
        QVERIFY2(embedding.error.contains(expected), qPrintable(embedding.error));
        QVERIFY2(embedding.error.contains("nomic-embed-text"), qPrintable(embedding.error));
        QCOMPARE(embedder.dimension(), 0);
    }

    void embedderRejectsOversizedVector()
    {
        QList<double> values(OllamaEmbedder::kMaxDimension + 1, 1.0);
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::json(200, embeddingReply(values)));
        OllamaEmbedder embedder(config());
        const Embedding embedding = embedder.embed("text");
        QVERIFY2(embedding.error.contains("more than the limit"), qPrintable(embedding.error));
    }

    void embedderReportsDimensionChange()
    {
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::json(200, embeddingReply({1, 2, 3})));
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::json(200, embeddingReply({1, 2})));
        OllamaEmbedder embedder(config());
        QVERIFY(embedder.embed("a").ok());
        const Embedding changed = embedder.embed("b");
        QVERIFY(!changed.ok());
        QVERIFY2(
            changed.error.contains("dimension changed: reply has 2 values, earlier replies had 3"),
            qPrintable(changed.error));
        QCOMPARE(embedder.dimension(), 3);
    }

    void embedderReportsServerError()
    {
        // Ollama's documented error shape: {"error": "..."}; 404 is not retried.
        m_server.enqueue(
            "POST", "/api/embeddings",
            FixtureResponse::json(404, {{"error", "model 'nomic-embed-text' not found"}}));
        OllamaEmbedder embedder(config());
        const Embedding embedding = embedder.embed("a");
        QVERIFY2(embedding.error.contains("HTTP 404: model 'nomic-embed-text' not found"),
                 qPrintable(embedding.error));
        QCOMPARE(m_server.requestCount(), 1);
    }

    void embedderRetriesServerErrors()
    {
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::json(500, {{"error", "loading"}}));
        m_server.enqueue("POST", "/api/embeddings",
                         FixtureResponse::json(200, embeddingReply({1, 1})));
        OllamaConfig fast = config();
        OllamaEmbedder embedder(fast);
        const Embedding embedding = embedder.embed("a");
        QVERIFY2(embedding.ok(), qPrintable(embedding.error));
        QCOMPARE(m_server.requestCount(), 2);
    }

    void embedderTimesOutOnSlowServer()
    {
        // The server would answer after a minute: a "timeout" error can only
        // come from the client's own 150 ms limit, never from a late answer.
        FixtureResponse slow = FixtureResponse::json(200, embeddingReply({1}));
        slow.delay = 60s;
        m_server.setHandler("POST", "/api/embeddings",
                            [slow](const FixtureRequest&) { return slow; });
        OllamaConfig quick = config();
        quick.timeoutMs = 150;
        quick.retries = 0;
        OllamaEmbedder embedder(quick);
        const Embedding embedding = embedder.embed("a");
        QVERIFY2(embedding.error.contains("timeout"), qPrintable(embedding.error));
    }

    void embedderServesManyThreadsAtOnce()
    {
        m_server.setHandler("POST", "/api/embeddings", [](const FixtureRequest& request) {
            const double n = request.json().value("prompt").toString().toDouble();
            FixtureResponse reply = FixtureResponse::json(200, embeddingReply({n, 1.0}));
            reply.delay = 10ms;
            return reply;
        });
        OllamaEmbedder embedder(config());
        std::atomic<int> good{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 6; ++t)
            threads.emplace_back([&, t] {
                for (int i = 1; i <= 5; ++i) {
                    const double n = t * 10 + i;
                    const Embedding e = embedder.embed(QString::number(n));
                    const double norm = std::sqrt(n * n + 1.0);
                    if (e.ok() && std::abs(e.vector[0] - n / norm) < 1e-6)
                        ++good;
                }
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(good.load(), 30);
        QCOMPARE(embedder.dimension(), 2);
    }

    void embedderNeedsAModel()
    {
        OllamaConfig none = config();
        none.model.clear();
        OllamaEmbedder embedder(none);
        QVERIFY2(embedder.embed("a").error.contains("embedder.ollama.model is empty"),
                 qPrintable(embedder.embed("a").error));
        QCOMPARE(m_server.requestCount(), 0);
    }

    // --- generator ---

    void generatorSendsDocumentedRequest()
    {
        m_server.enqueue(
            "POST", "/api/generate",
            FixtureResponse::json(200, {{"model", "llama3"},
                                        {"response", " Drain it with POST /admin/drain [1]. "},
                                        {"done", true}}));
        OllamaConfig llama = config();
        llama.model = "llama3";
        OllamaGenerator generator(llama);
        QCOMPARE(generator.name(), QString("ollama:llama3"));
        const GenerationResult result = generator.generate(sampleRequest());
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.answer, QString("Drain it with POST /admin/drain [1]."));
        QCOMPARE(result.model, QString("ollama:llama3"));

        const FixtureRequest request = m_server.requests().first();
        QCOMPARE(request.path, QByteArray("/api/generate"));
        const QJsonObject body = request.json();
        QCOMPARE(body.value("model").toString(), QString("llama3"));
        QCOMPARE(body.value("stream"), QJsonValue(false));
        QVERIFY(body.value("system").toString().contains("Cite"));
        const QString prompt = body.value("prompt").toString();
        QVERIFY2(prompt.contains("[1] runbooks/draining.md (chunk 2)"), qPrintable(prompt));
        QVERIFY2(prompt.contains("POST /admin/drain with the token."), qPrintable(prompt));
        QVERIFY2(prompt.contains("[2] runbooks/scaling-out.md (chunk 0)"), qPrintable(prompt));
        QVERIFY2(prompt.contains("Question: How do I drain a replica?"), qPrintable(prompt));
        QVERIFY(prompt.indexOf("[1]") < prompt.indexOf("[2]"));
    }

    void generatorRejectsBadReplies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing response")
            << QByteArray(R"({"done":true})") << "no 'response' field";
        QTest::newRow("response not string")
            << QByteArray(R"({"response":42,"done":true})") << "not a string";
        QTest::newRow("empty response")
            << QByteArray(R"({"response":"  ","done":true})") << "'response' is empty";
        QTest::newRow("not done") << QByteArray(R"({"response":"par","done":false})")
                                  << "\"done\": false";
        QTest::newRow("not json") << QByteArray("<html>gateway</html>") << "not valid JSON";
    }
    void generatorRejectsBadReplies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        m_server.enqueue("POST", "/api/generate",
                         FixtureResponse::text(200, body, "application/json"));
        OllamaGenerator generator(config());
        const GenerationResult result = generator.generate(sampleRequest());
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(expected), qPrintable(result.error));
        QVERIFY2(result.error.contains("/api/generate"), qPrintable(result.error));
    }

    void generatorRetriesThenReportsStatus()
    {
        m_server.setHandler("POST", "/api/generate", [](const FixtureRequest&) {
            return FixtureResponse::json(503, {{"error", "server busy"}});
        });
        OllamaConfig twice = config();
        twice.retries = 1;
        OllamaGenerator generator(twice);
        const GenerationResult result = generator.generate(sampleRequest());
        QVERIFY2(result.error.contains("HTTP 503: server busy"), qPrintable(result.error));
        QCOMPARE(m_server.requestCount(), 2);
    }

    void requestTimeoutBoundsSlowGeneration()
    {
        // The answer comes after 20 s, inside the configured 30 s: had that
        // limit been used instead of the request's 300 ms, "late" would be the
        // answer instead of a timeout error.
        FixtureResponse slow = FixtureResponse::json(200, {{"response", "late"}, {"done", true}});
        slow.delay = 20s;
        m_server.setHandler("POST", "/api/generate",
                            [slow](const FixtureRequest&) { return slow; });
        OllamaConfig patient = config();
        patient.timeoutMs = 30000; // the request's own timeout is shorter and wins
        patient.retries = 3;
        OllamaGenerator generator(patient);
        GenerationRequest request = sampleRequest();
        request.timeout = 300ms;
        const GenerationResult result = generator.generate(request);
        QVERIFY2(result.error.contains("timeout"), qPrintable(result.error));
        QVERIFY(result.answer.isEmpty());
    }

    void cleanupTestCase() { m_server.stop(); }

private:
    OllamaConfig config() const
    {
        OllamaConfig config;
        config.url = m_server.url("/").toString();
        config.model = "nomic-embed-text";
        config.timeoutMs = 2000;
        config.retries = 1;
        return config;
    }

    FixtureHttpServer m_server;
};

QTEST_GUILESS_MAIN(TestOllamaClients)
#include "tst_ollamaclients.moc"
