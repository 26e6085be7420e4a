#include "FixtureHttpServer.h"
#include "backend/retrieval/OpenAIGenerator.h"

#include <QJsonArray>
#include <QtTest>

using namespace querydeck;
using namespace std::chrono_literals;

namespace {

const QString kKey = QStringLiteral("sk-test-0123456789abcdef");

QJsonObject completion(const QString& content)
{
    return {{"id", "chatcmpl-1"},
            {"object", "chat.completion"},
            {"model", "gpt-4o-mini"},
            {"choices", QJsonArray{QJsonObject{
                            {"index", 0},
                            {"message", QJsonObject{{"role", "assistant"}, {"content", content}}},
                            {"finish_reason", "stop"}}}},
            {"usage", QJsonObject{{"prompt_tokens", 10}, {"completion_tokens", 5}}}};
}

QJsonObject errorBody(const QString& message, const QString& type, const QJsonValue& code)
{
    return {{"error", QJsonObject{{"message", message}, {"type", type}, {"code", code}}}};
}

GenerationRequest sampleRequest()
{
    GenerationRequest request;
    request.query = "Why is the cache hit rate low?";
    request.chunks.push_back(
        {{"runbooks/cache-tuning.md", 1, 800, "Lower the similarity threshold carefully."}, 0.8f});
    request.timeout = 5000ms;
    return request;
}

} // namespace

class TestOpenAIGenerator : public QObject
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

    void sendsDocumentedChatCompletion()
    {
        m_server.enqueue("POST", "/v1/chat/completions",
                         FixtureResponse::json(200, completion("Lower the threshold [1].")));
        OpenAIGenerator generator(config(), kKey);
        QCOMPARE(generator.name(), QString("openai:gpt-4o-mini"));
        const GenerationResult result = generator.generate(sampleRequest());
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.answer, QString("Lower the threshold [1]."));
        QCOMPARE(result.model, QString("openai:gpt-4o-mini"));

        const FixtureRequest request = m_server.requests().first();
        QCOMPARE(request.path, QByteArray("/v1/chat/completions"));
        QCOMPARE(request.header("Authorization"), "Bearer " + kKey.toUtf8());
        QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject body = request.json();
        QCOMPARE(body.value("model").toString(), QString("gpt-4o-mini"));
        QCOMPARE(body.value("temperature").toDouble(), 0.2);
        QCOMPARE(body.value("max_tokens").toInt(), 512);
        const QJsonArray messages = body.value("messages").toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0].toObject().value("role").toString(), QString("system"));
        QVERIFY(messages[0].toObject().value("content").toString().contains("Cite"));
        QCOMPARE(messages[1].toObject().value("role").toString(), QString("user"));
        const QString user = messages[1].toObject().value("content").toString();
        QVERIFY2(user.contains("[1] runbooks/cache-tuning.md (chunk 1)"), qPrintable(user));
        QVERIFY2(user.contains("Question: Why is the cache hit rate low?"), qPrintable(user));
    }

    void noKeyNoAuthorizationHeader()
    {
        m_server.enqueue("POST", "/v1/chat/completions",
                         FixtureResponse::json(200, completion("ok")));
        OpenAIGenerator generator(config(), QString());
        QVERIFY(generator.generate(sampleRequest()).ok());
        QVERIFY(m_server.requests().first().header("Authorization").isEmpty());
    }

    void errorBodiesAreMapped_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("401 bad key")
            << 401
            << errorBody("Incorrect API key provided: sk-te***cdef.", "invalid_request_error",
                         "invalid_api_key")
            << "HTTP 401 (invalid_request_error, invalid_api_key): Incorrect API key provided";
        QTest::newRow("404 model")
            << 404
            << errorBody("The model `gpt-9` does not exist", "invalid_request_error", QJsonValue())
            << "HTTP 404 (invalid_request_error): The model `gpt-9` does not exist";
        QTest::newRow("400 numeric code") << 400 << errorBody("max_tokens too large", "", 400)
                                          << "HTTP 400 (400): max_tokens too large";
        QTest::newRow("403 no error object") << 403 << QJsonObject{{"detail", "forbidden"}}
                                             << "HTTP 403: {\"detail\":\"forbidden\"}";
    }
    void errorBodiesAreMapped()
    {
        QFETCH(int, status);
        QFETCH(QJsonObject, body);
        QFETCH(QString, expected);
        m_server.enqueue("POST", "/v1/chat/completions", FixtureResponse::json(status, body));
        OpenAIGenerator generator(config(), kKey);
        const GenerationResult result = generator.generate(sampleRequest());
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(expected), qPrintable(result.error));
        QVERIFY2(!result.error.contains(kKey), "the API key must never appear in errors");
        QCOMPARE(m_server.requestCount(), 1); // 4xx: not retried
    }

    void serverErrorsAreRetried_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("500") << 500;
        QTest::newRow("429") << 429;
    }
    void serverErrorsAreRetried()
    {
        QFETCH(int, status);
        m_server.enqueue(
            "POST", "/v1/chat/completions",
            FixtureResponse::json(status, errorBody("try again", "server_error", QJsonValue())));
        m_server.enqueue("POST", "/v1/chat/completions",
                         FixtureResponse::json(200, completion("fine")));
        OpenAIGenerator generator(config(), kKey);
        const GenerationResult result = generator.generate(sampleRequest());
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.answer, QString("fine"));
        QCOMPARE(m_server.requestCount(), 2);
        // Every attempt carries the key.
        for (const FixtureRequest& request : m_server.requests())
            QCOMPARE(request.header("Authorization"), "Bearer " + kKey.toUtf8());
    }

    void malformedCompletions_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no choices") << QJsonObject{{"id", "x"}} << "no 'choices'";
        QTest::newRow("empty choices") << QJsonObject{{"choices", QJsonArray()}} << "no 'choices'";
        QTest::newRow("no message")
            << QJsonObject{{"choices", QJsonArray{QJsonObject{{"index", 0}}}}}
            << "choices[0].message.content";
        QTest::newRow("null content")
            << QJsonObject{{"choices", QJsonArray{QJsonObject{
                                           {"message", QJsonObject{{"role", "assistant"},
                                                                   {"content", QJsonValue()}}}}}}}
            << "no string 'choices[0].message.content'";
        QTest::newRow("blank content") << completion("   ") << "is empty";
    }
    void malformedCompletions()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, expected);
        m_server.enqueue("POST", "/v1/chat/completions", FixtureResponse::json(200, body));
        OpenAIGenerator generator(config(), kKey);
        const GenerationResult result = generator.generate(sampleRequest());
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(expected), qPrintable(result.error));
    }

    void timesOut()
    {
        // The server would answer after a minute: the "timeout" error can only
        // come from the client's own 200 ms limit, once per attempt.
        FixtureResponse slow = FixtureResponse::json(200, completion("late"));
        slow.delay = 60s;
        m_server.setHandler("POST", "/v1/chat/completions",
                            [slow](const FixtureRequest&) { return slow; });
        OpenAIConfig quick = config();
        quick.timeoutMs = 200;
        quick.retries = 1;
        OpenAIGenerator generator(quick, kKey);
        const GenerationResult result = generator.generate(sampleRequest());
        QVERIFY2(result.error.contains("timeout"), qPrintable(result.error));
        QTRY_COMPARE(m_server.requestCount(), 2); // the server may log the retry after it ended
    }

private:
    OpenAIConfig config() const
    {
        OpenAIConfig config;
        config.url = m_server.url().toString();
        config.timeoutMs = 2000;
        config.retries = 2;
        return config;
    }

    FixtureHttpServer m_server;
};

QTEST_GUILESS_MAIN(TestOpenAIGenerator)
#include "tst_openaigenerator.moc"
