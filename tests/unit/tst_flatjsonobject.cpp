// FlatJsonObject: the one-pass reader QueryRequest tries before Qt's parser.
// What it accepts it must read right; everything else it must decline (the
// differential check against Qt's parser is in tst_queryrequest and
// fuzz_query_request).
#include "backend/service/FlatJsonObject.h"

#include <QTest>

using namespace querydeck;

class TestFlatJsonObject : public QObject
{
    Q_OBJECT

private slots:
    void readsFlatObjects();
    void declines_data();
    void declines();
    void findReportsDuplicates();
};

void TestFlatJsonObject::readsFlatObjects()
{
    const auto members =
        FlatJsonObject::read(R"( {"query" : "what is redis?", "top_k":12 ,"client":"ops"} )");
    QVERIFY(members);
    QCOMPARE(members->count, 3);
    QCOMPARE(members->items[0].key, QByteArrayView("query"));
    QCOMPARE(members->items[0].text, QByteArrayView("what is redis?"));
    QVERIFY(members->items[0].isString);
    QCOMPARE(members->items[1].key, QByteArrayView("top_k"));
    QCOMPARE(members->items[1].text, QByteArrayView("12"));
    QVERIFY(!members->items[1].isString);
    QCOMPARE(members->items[2].text, QByteArrayView("ops"));

    const auto empty = FlatJsonObject::read("{ }");
    QVERIFY(empty);
    QCOMPARE(empty->count, 0);
    const auto zero = FlatJsonObject::read(R"({"n":0})");
    QVERIFY(zero);
    QCOMPARE(zero->items[0].text, QByteArrayView("0"));
}

void TestFlatJsonObject::declines_data()
{
    QTest::addColumn<QByteArray>("body");
    const char* bodies[] = {
        "",
        "   ",
        "[]",
        R"("query")",
        R"({"query":"a\"b"})",
        R"({"query":"a\nb"})",
        R"({"q\u0075ery":"a"})",
        R"({"n":-1})",
        R"({"n":01})",
        R"({"n":1.5})",
        R"({"n":1e3})",
        R"({"n":true})",
        R"({"n":null})",
        R"({"n":{}})",
        R"({"n":[]})",
        R"({"query":"a",})",
        R"({,"query":"a"})",
        R"({"query":"a"} x)",
        R"({"query":"a"}})",
        R"({"query":"a")",
        "{\"query\":\"a", // unterminated string (not a raw string: moc misreads it)
        R"({"query")",
        R"({"query":})",
        R"({query:"a"})",
        R"({'query':'a'})",
        R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9})",
    };
    for (const char* body : bodies)
        QTest::newRow(body) << QByteArray(body);
    QTest::newRow("raw control character") << QByteArray("{\"query\":\"a\x01\"}");
    QTest::newRow("raw newline in string") << QByteArray("{\"query\":\"a\nb\"}");
    QTest::newRow("NUL after the object") << QByteArray("{\"query\":\"a\"}\0", 14);
    QTest::newRow("BOM") << QByteArray("\xef\xbb\xbf{\"query\":\"a\"}");
}

void TestFlatJsonObject::declines()
{
    QFETCH(QByteArray, body);
    QVERIFY(!FlatJsonObject::read(body));
}

void TestFlatJsonObject::findReportsDuplicates()
{
    const auto members = FlatJsonObject::read(R"({"a":"1","b":"2","a":"3"})");
    QVERIFY(members);
    bool duplicate = false;
    QCOMPARE(members->find("b", &duplicate)->text, QByteArrayView("2"));
    QVERIFY(!duplicate);
    QVERIFY(!members->find("c", &duplicate));
    QVERIFY(!duplicate);
    QVERIFY(members->find("a", &duplicate));
    QVERIFY(duplicate);
}

QTEST_GUILESS_MAIN(TestFlatJsonObject)
#include "tst_flatjsonobject.moc"
