// RedisReply::parse: RESP bytes through hiredis's reader into plain replies,
// as both connection classes convert them (RedisReply::fromHiredis). Each
// reply kind, nesting, an incomplete tail (left unread, as a socket read
// would wait for more) and protocol errors, which stop the list and set the
// error hiredis gave.
#include "backend/redis/RedisReply.h"

#include <QTest>

using namespace querydeck;

Q_DECLARE_METATYPE(RedisReply::Type)

class RedisReplyTest : public QObject
{
    Q_OBJECT

private slots:
    void kinds_data();
    void kinds();
    void nestedArrayAndPairs();
    void incompleteTail();
    void protocolErrors_data();
    void protocolErrors();
    void arrayAtTheElementLimit();
};

void RedisReplyTest::kinds_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<RedisReply::Type>("type");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<long long>("integer");

    QTest::newRow("status") << QByteArray("+OK\r\n") << RedisReply::Type::Status << QByteArray("OK")
                            << 0LL;
    QTest::newRow("error") << QByteArray("-READONLY You can't write\r\n") << RedisReply::Type::Error
                           << QByteArray("READONLY You can't write") << 0LL;
    QTest::newRow("integer") << QByteArray(":-42\r\n") << RedisReply::Type::Integer << QByteArray()
                             << -42LL;
    QTest::newRow("bulk with CRLF inside")
        << QByteArray("$7\r\na\r\nb\0cd\r\n", 13) << RedisReply::Type::String
        << QByteArray("a\r\nb\0cd", 7) << 0LL;
    QTest::newRow("empty bulk") << QByteArray("$0\r\n\r\n") << RedisReply::Type::String
                                << QByteArray("") << 0LL;
    QTest::newRow("nil bulk") << QByteArray("$-1\r\n") << RedisReply::Type::Nil << QByteArray()
                              << 0LL;
    QTest::newRow("nil array") << QByteArray("*-1\r\n") << RedisReply::Type::Nil << QByteArray()
                               << 0LL;
}

void RedisReplyTest::kinds()
{
    QFETCH(QByteArray, wire);
    QFETCH(RedisReply::Type, type);
    QFETCH(QByteArray, text);
    QFETCH(long long, integer);

    QString error;
    const QList<RedisReply> replies = RedisReply::parse(wire, &error);
    QCOMPARE(error, QString());
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies[0].type, type);
    QCOMPARE(replies[0].text, text);
    QCOMPARE(replies[0].integer, integer);
}

void RedisReplyTest::nestedArrayAndPairs()
{
    QString error;
    const QList<RedisReply> replies = RedisReply::parse(
        "*5\r\n$4\r\nname\r\n$8\r\nmymaster\r\n$2\r\nip\r\n*2\r\n:1\r\n+x\r\n$4\r\nodd!\r\n"
        "+NEXT\r\n",
        &error);
    QCOMPARE(error, QString());
    QCOMPARE(replies.size(), 2);
    const RedisReply& array = replies[0];
    QCOMPARE(array.type, RedisReply::Type::Array);
    QCOMPARE(array.elements.size(), 5);
    QCOMPARE(array.elements[3].type, RedisReply::Type::Array);
    QCOMPARE(array.elements[3].elements[0].integer, 1LL);
    QCOMPARE(array.elements[3].elements[1].text, QByteArray("x"));
    // pairs() takes names and values two by two; the odd last element is left out.
    const auto pairs = array.pairs();
    QCOMPARE(pairs.size(), 2);
    QCOMPARE(pairs[0], qMakePair(QByteArray("name"), QByteArray("mymaster")));
    QCOMPARE(replies[1].text, QByteArray("NEXT"));
}

void RedisReplyTest::incompleteTail()
{
    QString error;
    const QList<RedisReply> replies = RedisReply::parse("+OK\r\n$10\r\nabc", &error);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies[0].text, QByteArray("OK"));
    QVERIFY(RedisReply::parse("*2\r\n:1\r\n", &error).isEmpty());
    QVERIFY(RedisReply::parse("", &error).isEmpty());
    QCOMPARE(error, QString());
}

void RedisReplyTest::protocolErrors_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("problem");

    QTest::addColumn<int>("before");

    QTest::newRow("HTTP on the Redis port")
        << QByteArray("HTTP/1.1 400 Bad Request\r\n") << "Protocol error" << 0;
    QTest::newRow("unknown type byte") << QByteArray("+OK\r\n!oops\r\n") << "Protocol error" << 1;
    // hiredis's reader keeps a fixed stack of nested arrays.
    QTest::newRow("arrays nested too deep")
        << QByteArray("*1\r\n").repeated(9) + QByteArray(":1\r\n") << "depth" << 0;
    // Found by fuzz_redis_reply: hiredis allocated the declared 1,111,111,112
    // elements (8.9 GB) before reading one. Refused before allocating.
    QTest::newRow("fuzzer: array declaring a billion elements")
        << QByteArray("+OK\r\n-ERR wrong\r\n:42\r\n$5\r\nh=llo\r\n$-1\r\n*1111111112\r\n"
                      "$3\r\nkey\r\n")
        << "reply declares 1111111112 elements, more than 1048576" << 5;
    QTest::newRow("one element over the limit")
        << QByteArray("*1048577\r\n") << "more than 1048576" << 0;
    QTest::newRow("nested array over the limit")
        << QByteArray("*2\r\n:1\r\n*2147483647\r\n") << "more than 1048576" << 0;
}

void RedisReplyTest::protocolErrors()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, problem);
    QFETCH(int, before);

    QString error;
    const QList<RedisReply> replies = RedisReply::parse(wire, &error);
    QVERIFY2(error.contains(problem), qPrintable(error));
    QCOMPARE(replies.size(), before); // the complete replies before the bad one
}

void RedisReplyTest::arrayAtTheElementLimit()
{
    QByteArray wire = "*" + QByteArray::number(RedisReply::kMaxElements) + "\r\n";
    wire += QByteArray(":7\r\n").repeated(RedisReply::kMaxElements);
    QString error;
    const QList<RedisReply> replies = RedisReply::parse(wire, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.first().elements.size(), qsizetype(RedisReply::kMaxElements));
    QCOMPARE(replies.first().elements.last().integer, 7);
    // A refusal is reported once: the next read names hiredis's own error again.
    QCOMPARE(RedisReply::readerError("Protocol error"), QByteArray("Protocol error"));
}

QTEST_APPLESS_MAIN(RedisReplyTest)
#include "tst_redisreply.moc"
