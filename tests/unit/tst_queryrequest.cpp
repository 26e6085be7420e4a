#include "backend/service/QueryRequest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace querydeck;

namespace {

// parse() (one-pass reader for flat bodies, Qt's parser for the rest) must
// answer exactly as Qt's parser alone: same error text or same fields.
void compareWithQtParser(const QByteArray& body)
{
    const QueryRequest::Parsed fast = QueryRequest::parse(body, 4);
    const QueryRequest::Parsed full = QueryRequest::parseFully(body, 4);
    QCOMPARE(fast.error.has_value(), full.error.has_value());
    if (fast.error) {
        QCOMPARE(fast.error->message, full.error->message);
        return;
    }
    QCOMPARE(fast.request.query, full.request.query);
    QCOMPARE(fast.request.topK, full.request.topK);
    QCOMPARE(fast.request.client, full.request.client);
}

} // namespace

class QueryRequestTest : public QObject
{
    Q_OBJECT

private slots:
    void valid_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("topK");
        QTest::addColumn<QString>("client");
        QTest::newRow("minimal") << QByteArray(R"({"query":"hello"})") << "hello" << 4 << "";
        QTest::newRow("all fields")
            << QByteArray(R"({"query":"q","top_k":20,"client":"ops-1"})") << "q" << 20 << "ops-1";
        QTest::newRow("top_k as 3.0")
            << QByteArray(R"({"query":"q","top_k":3.0})") << "q" << 3 << "";
        QTest::newRow("unknown fields ignored")
            << QByteArray(R"({"query":"q","extra":[1]})") << "q" << 4 << "";
        QTest::newRow("unicode") << QByteArray(R"({"query":"Größe 🙂"})")
                                 << QString::fromUtf8("Größe 🙂") << 4 << "";
        QTest::newRow("newlines allowed")
            << QByteArray(R"({"query":"a\nb\tc"})") << "a\nb\tc" << 4 << "";
        // 4000 characters, each outside the BMP (8000 UTF-16 units): still valid.
        QString emoji;
        for (int i = 0; i < 4000; ++i)
            emoji += QString::fromUtf8("🙂");
        QTest::newRow("4000 astral characters")
            << QJsonDocument(QJsonObject{{"query", emoji}}).toJson(QJsonDocument::Compact) << emoji
            << 4 << "";
    }

    void valid()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, query);
        QFETCH(int, topK);
        QFETCH(QString, client);
        const QueryRequest::Parsed parsed = QueryRequest::parse(body, 4);
        QVERIFY2(!parsed.error, parsed.error ? qPrintable(parsed.error->message) : "");
        QCOMPARE(parsed.request.query, query);
        QCOMPARE(parsed.request.topK, topK);
        QCOMPARE(parsed.request.client, client);
        compareWithQtParser(body);
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("whitespace body") << QByteArray(" \n ") << "empty";
        QTest::newRow("truncated") << QByteArray(R"({"query":"a)") << "invalid JSON";
        QTest::newRow("trailing garbage") << QByteArray(R"({"query":"a"} x)") << "invalid JSON";
        QTest::newRow("string body") << QByteArray(R"("query")") << "invalid JSON";
        QTest::newRow("array body") << QByteArray(R"([{"query":"a"}])") << "JSON object";
        QTest::newRow("missing query")
            << QByteArray(R"({})") << "\"query\" must be a string, got missing";
        QTest::newRow("query bool") << QByteArray(R"({"query":true})") << "got a boolean";
        QTest::newRow("query object") << QByteArray(R"({"query":{}})") << "got an object";
        QTest::newRow("63 levels under the top object is fine, but not a string")
            << "{\"query\":" + QByteArray(63, '[') + QByteArray(63, ']') + "}"
            << "got an array";
        QTest::newRow("empty query") << QByteArray(R"({"query":""})") << "empty";
        QTest::newRow("blank query") << QByteArray(R"({"query":" \n\t "})") << "empty";
        QTest::newRow("too long")
            << QJsonDocument(QJsonObject{{"query", QString(4001, 'x')}}).toJson()
            << "4001 characters";
        QTest::newRow("control char") << QByteArray(R"({"query":"a\u0007b"})") << "control";
        QTest::newRow("invalid utf8") << QByteArray("{\"query\":\"\xff\xfe\"}") << "UTF-8";
        QTest::newRow("overlong utf8") << QByteArray("{\"query\":\"\xc0\xaf\"}") << "UTF-8";
        QTest::newRow("lone surrogate bytes")
            << QByteArray("{\"query\":\"\xed\xa0\x80\"}") << "UTF-8";
        QTest::newRow("top_k negative") << QByteArray(R"({"query":"a","top_k":-1})") << "top_k";
        QTest::newRow("top_k huge") << QByteArray(R"({"query":"a","top_k":1e300})") << "top_k";
        QTest::newRow("top_k null") << QByteArray(R"({"query":"a","top_k":null})") << "top_k";
        QTest::newRow("client empty") << QByteArray(R"({"query":"a","client":""})") << "client";
        QTest::newRow("client unicode") << QByteArray(R"({"query":"a","client":"ü"})") << "client";
        QTest::newRow("deep nesting") << QByteArray(2000, '[') << "nested deeper than 64 levels";
        const auto arrays = [](int depth) {
            return QByteArray(depth, '[') + QByteArray(depth, ']');
        };
        const auto objects = [](int depth) {
            QByteArray out;
            for (int i = 0; i < depth; ++i)
                out += "{\"query\":";
            return out + "\"x\"" + QByteArray(depth, '}');
        };
        QTest::newRow("65 arrays")
            << arrays(65) << "request body: JSON nested deeper than 64 levels at byte 64";
        QTest::newRow("1,000 arrays") << arrays(1000) << "nested deeper than 64 levels at byte 64";
        QTest::newRow("100,000 arrays") << arrays(100000) << "nested deeper than 64 levels";
        QTest::newRow("1,000 objects")
            << objects(1000) << "nested deeper than 64 levels at byte 576";
        QTest::newRow("100,000 objects") << objects(100000) << "nested deeper than 64 levels";
        QTest::newRow("deep array in a valid object")
            << "{\"query\":\"a\",\"x\":" + arrays(65) + "}"
            << "nested deeper than 64 levels";
        QTest::newRow("oversized")
            << "{\"query\":\"a\",\"pad\":\"" + QByteArray(QueryRequest::kMaxBodyBytes, 'p') + "\"}"
            << "the limit is 16777216 bytes";
    }

    void invalid()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, messagePart);
        const QueryRequest::Parsed parsed = QueryRequest::parse(body, 4);
        QVERIFY(parsed.error.has_value());
        QCOMPARE(parsed.error->status, 400);
        QCOMPARE(parsed.error->code, QByteArray("invalid_request"));
        QVERIFY2(parsed.error->message.contains(messagePart), qPrintable(parsed.error->message));
        compareWithQtParser(body);
    }

    // Bodies at the edges of the one-pass reader's shape: each is answered
    // as Qt's parser answers it, whichever path takes it.
    void sameAnswerAsQtParser_data()
    {
        QTest::addColumn<QByteArray>("body");
        const char* bodies[] = {
            R"({"query":"what is redis?","top_k":4,"client":"web"})",
            R"(  { "query" : "spaced" , "top_k" : 7 }  )",
            "{\n\t\"query\":\r\n\"lines\"}\n",
            R"({})",
            R"({"top_k":3})",
            R"({"query":"dup","query":"second"})",
            R"({"query":"a","top_k":3,"top_k":5})",
            R"({"query":"a","client":"x","client":"y"})",
            R"({"query":"a","top_k":0})",
            R"({"query":"a","top_k":00})",
            R"({"query":"a","top_k":07})",
            R"({"query":"a","top_k":-0})",
            R"({"query":"a","top_k":21})",
            R"({"query":"a","top_k":20})",
            R"({"query":"a","top_k":4.5})",
            R"({"query":"a","top_k":4e0})",
            R"({"query":"a","top_k":1E1})",
            R"({"query":"a","top_k":99999999999999999999999})",
            R"({"query":"a","top_k":"4"})",
            R"({"query":"a","client":4})",
            R"({"query":12})",
            R"({"query":"esc "quoted" \ \/ é"})",
            R"({"query":"a","extra":"b","more":1,"x":"y","z":2,"w":"v","u":3,"t":"s"})",
            R"({"query":"a","extra":"b","more":1,"x":"y","z":2,"w":"v","u":3,"t":"s","r":4})",
            R"({"query":"a",})",
            R"({"query":"a" "top_k":3})",
            R"({"query":"a"}})",
            R"({"query":"a"},)",
            R"({"query" "a"})",
            R"({query:"a"})",
            R"({"query":"a")",
            "{\"query\":\"a", // unterminated string (not a raw string: moc misreads it)
            R"({"query":)",
            R"({"query")",
            R"({)",
            R"({"query":"a","top_k":)",
            R"({"query":"a","top_k":3)",
            R"({"query":"a","nested":{"b":1}})",
            R"({"query":"a","list":[1,2]})",
            R"({"query":"a","flag":true})",
            R"({"query":"a","none":null})",
            R"({"query":"   "})",
            R"({"": "empty key", "query":"a"})",
            "{\"query\":\"tab\tinside\"}",
            "{\"query\":\"del \x7f char\"}",
            "{\"query\":\"nul \x00 char\"}",
            "{\"query\":\"Gr\xc3\xb6\xc3\x9fe \xf0\x9f\x99\x82\"}",
            "{\"qu\xc3\xa9ry\":\"a\",\"query\":\"b\"}",
            "\xef\xbb\xbf{\"query\":\"bom\"}",
        };
        for (const char* body : bodies)
            QTest::newRow(body) << QByteArray(body);
        QTest::newRow("embedded NUL") << QByteArray("{\"query\":\"a\"}\0", 14);
        QTest::newRow("4000 ASCII characters") << "{\"query\":\"" + QByteArray(4000, 'q') + "\"}";
        QTest::newRow("4001 ASCII characters") << "{\"query\":\"" + QByteArray(4001, 'q') + "\"}";
    }

    void sameAnswerAsQtParser()
    {
        QFETCH(QByteArray, body);
        compareWithQtParser(body);
    }

    void contentType_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("json");
        QTest::newRow("plain") << QByteArray("application/json") << true;
        QTest::newRow("charset") << QByteArray("application/json; charset=utf-8") << true;
        QTest::newRow("upper") << QByteArray("Application/JSON") << true;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("text") << QByteArray("text/plain") << false;
        QTest::newRow("prefix trick") << QByteArray("application/jsonx") << false;
        QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << false;
    }

    void contentType()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, json);
        QCOMPARE(QueryRequest::isJsonContentType(value), json);
    }

    void errorBodyIsJson()
    {
        const ApiError e = ApiError::methodNotAllowed("GET", "POST");
        const QJsonObject body = QJsonDocument::fromJson(e.body()).object();
        QCOMPARE(body.value("error").toObject().value("code").toString(),
                 QStringLiteral("method_not_allowed"));
        QVERIFY(body.value("error").toObject().value("message").toString().contains("POST"));
        QCOMPARE(e.allow, QByteArray("POST"));
        // Hostile input echoed in a message stays bounded and valid JSON.
        const ApiError nf = ApiError::notFound(QByteArray(100000, '"'));
        QVERIFY(nf.body().size() < 2000);
        QVERIFY(!QJsonDocument::fromJson(nf.body()).isNull());
    }
};

QTEST_GUILESS_MAIN(QueryRequestTest)
#include "tst_queryrequest.moc"
