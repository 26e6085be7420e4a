#include "backend/common/BoundedJson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace querydeck;

// BoundedJson: the iterative pre-scan must count only real nesting, refuse
// one level past the limit (not at it) and name the limit and the byte.
class BoundedJsonTest : public QObject
{
    Q_OBJECT

private:
    static QByteArray nestedArrays(int depth)
    {
        return QByteArray(depth, '[') + QByteArray(depth, ']');
    }
    static QByteArray nestedObjects(int depth)
    {
        QByteArray out;
        for (int i = 0; i < depth; ++i)
            out += "{\"a\":";
        out += "1";
        out += QByteArray(depth, '}');
        return out;
    }

private slots:
    void accepted_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("maxDepth");
        QTest::newRow("flat object") << QByteArray("{\"a\":1,\"b\":[1,2]}") << 2;
        QTest::newRow("array of a scalar") << QByteArray("[42]") << 1;
        QTest::newRow("arrays at the limit") << nestedArrays(64) << 64;
        QTest::newRow("objects at the limit") << nestedObjects(64) << 64;
        QTest::newRow("brackets inside a string") << QByteArray("{\"a\":\"[[[[{{{{\"}") << 1;
        QTest::newRow("escaped quote then brackets")
            << QByteArray("[\"\\\"[[[[\", \"\\\\\", \"]]]\"]") << 1;
        QTest::newRow("escaped backslash ends string") << QByteArray("[[\"x\\\\\"],[\"y\"]]") << 2;
        QTest::newRow("unicode escape") << QByteArray("[\"\\u005b\\u007b\"]") << 1;
        QTest::newRow("siblings do not add up") << QByteArray("[[],[],[[]],[]]") << 3;
        QTest::newRow("utf-8 text") << QByteArray("{\"k\":\"Größe 🙂\"}") << 1;
    }

    void accepted()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, maxDepth);
        const BoundedJson::Result r = BoundedJson::parse(json, {maxDepth, 1 << 20}, u"test");
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.error, BoundedJson::Error::None);
        QVERIFY(!r.document.isNull());
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("maxDepth");
        QTest::addColumn<qsizetype>("maxBytes");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("message");
        const auto deep = int(BoundedJson::Error::TooDeep);
        const auto invalid = int(BoundedJson::Error::Invalid);
        QTest::newRow("arrays one past the limit")
            << nestedArrays(65) << 64 << qsizetype(1 << 20) << deep
            << "body: JSON nested deeper than 64 levels at byte 64";
        QTest::newRow("objects one past the limit")
            << nestedObjects(65) << 64 << qsizetype(1 << 20) << deep
            << "body: JSON nested deeper than 64 levels at byte 320";
        QTest::newRow("1,000 arrays") << nestedArrays(1000) << 64 << qsizetype(1 << 20) << deep
                                      << "nested deeper than 64 levels at byte 64";
        QTest::newRow("100,000 unclosed arrays")
            << QByteArray(100000, '[') << 64 << qsizetype(1 << 20) << deep
            << "nested deeper than 64 levels";
        QTest::newRow("mixed after a string")
            << QByteArray("[\"]]]]\",[[") << 2 << qsizetype(1 << 20) << deep
            << "nested deeper than 2 levels at byte 9";
        QTest::newRow("oversized")
            << QByteArray(1025, ' ') << 64 << qsizetype(1024) << int(BoundedJson::Error::TooLarge)
            << "body: JSON is 1025 bytes; the limit is 1024 bytes";
        QTest::newRow("empty") << QByteArray() << 64 << qsizetype(1024)
                               << int(BoundedJson::Error::Empty) << "body: empty";
        QTest::newRow("whitespace") << QByteArray(" \r\n\t ") << 64 << qsizetype(1024)
                                    << int(BoundedJson::Error::Empty) << "body: empty";
        QTest::newRow("truncated object") << QByteArray("{\"a\":[1,2") << 64 << qsizetype(1024)
                                          << invalid << "body: invalid JSON at byte";
        QTest::newRow("truncated string") << QByteArray("[\"abc") << 64 << qsizetype(1024)
                                          << invalid << "body: invalid JSON at byte";
        QTest::newRow("truncated escape") << QByteArray("[\"abc\\") << 64 << qsizetype(1024)
                                          << invalid << "body: invalid JSON at byte";
        QTest::newRow("invalid utf-8") << QByteArray("[\"caf\xC3\x28\"]") << 64 << qsizetype(1024)
                                       << invalid << "invalid JSON at byte";
        QTest::newRow("lone continuation byte")
            << QByteArray("[\"\x80\"]") << 64 << qsizetype(1024) << invalid << "invalid JSON";
        QTest::newRow("stray closers")
            << QByteArray("]]]]") << 64 << qsizetype(1024) << invalid << "invalid JSON at byte 1";
        // Qt 6.4 takes only an array or object at the top.
        QTest::newRow("top-level scalar")
            << QByteArray("42") << 64 << qsizetype(1024) << invalid << "body: invalid JSON at byte";
        QTest::newRow("trailing garbage")
            << QByteArray("[1] x") << 64 << qsizetype(1024) << invalid << "invalid JSON at byte";
        QTest::newRow("NUL byte") << QByteArray("[1,\0]", 5) << 64 << qsizetype(1024) << invalid
                                  << "invalid JSON at byte";
    }

    void refused()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, maxDepth);
        QFETCH(qsizetype, maxBytes);
        QFETCH(int, error);
        QFETCH(QString, message);
        const BoundedJson::Result r = BoundedJson::parse(json, {maxDepth, maxBytes}, u"body");
        QCOMPARE(int(r.error), error);
        QVERIFY2(r.message.contains(message), qPrintable(r.message));
        QVERIFY(r.message.startsWith(QLatin1String("body: ")));
        QVERIFY(r.document.isNull());
        QVERIFY(r.offset >= 0);
    }

    void invalidKeepsQtReason()
    {
        const BoundedJson::Result r = BoundedJson::parse("{\"a\":", {}, u"x");
        QCOMPARE(r.error, BoundedJson::Error::Invalid);
        QVERIFY(!r.parserError.isEmpty());
        QVERIFY(r.message.endsWith(r.parserError));
    }

    void checkDoesNotParse()
    {
        // Bounds only: syntax errors are left to parse().
        QVERIFY(BoundedJson::check("[1,,,", {}, u"x").ok());
        QVERIFY(BoundedJson::check("[1,,,", {}, u"x").document.isNull());
        QCOMPARE(BoundedJson::check(nestedArrays(3), {2, 100}, u"x").error,
                 BoundedJson::Error::TooDeep);
    }

    void sizeExactlyAtLimitPasses()
    {
        const QByteArray json = "[1,2,3]";
        QVERIFY(BoundedJson::parse(json, {4, json.size()}, u"x").ok());
        QCOMPARE(BoundedJson::parse(json, {4, json.size() - 1}, u"x").error,
                 BoundedJson::Error::TooLarge);
    }

    void roundTripsContent()
    {
        const BoundedJson::Result r =
            BoundedJson::parse("{\"q\":\"a \\\"[x]\\\" b\",\"n\":[1,{\"m\":2}]}", {}, u"x");
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.document.object().value("q").toString(), QStringLiteral("a \"[x]\" b"));
        QCOMPARE(r.document.object().value("n").toArray().at(1).toObject().value("m").toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(BoundedJsonTest)
#include "tst_boundedjson.moc"
