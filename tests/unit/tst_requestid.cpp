#include "backend/service/RequestId.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <mutex>
#include <thread>
#include <vector>

using namespace querydeck;

class TestRequestId : public QObject
{
    Q_OBJECT

private slots:
    void idsAreShortUrlSafeAndAcceptable();
    void idsAreUniqueAcrossThreads();
    void idsShareTheProcessPrefix();
    void acceptable_data();
    void acceptable();
};

void TestRequestId::idsAreShortUrlSafeAndAcceptable()
{
    static const QRegularExpression shape(QStringLiteral("^[0-9a-z]{10}-[0-9a-z]{1,13}$"));
    for (int i = 0; i < 1000; ++i) {
        const QByteArray id = RequestId::next();
        QVERIFY2(shape.match(QString::fromLatin1(id)).hasMatch(), id.constData());
        QVERIFY(id.size() <= 24);
        QVERIFY(RequestId::isAcceptable(id));
        QCOMPARE(QByteArray::fromPercentEncoding(id.toPercentEncoding()), id);
        QCOMPARE(id.toPercentEncoding(), id); // nothing to escape
    }
}

void TestRequestId::idsAreUniqueAcrossThreads()
{
    std::mutex mutex;
    QSet<QByteArray> seen;
    int total = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            std::vector<QByteArray> mine;
            for (int i = 0; i < 20000; ++i)
                mine.push_back(RequestId::next());
            std::lock_guard lock(mutex);
            for (const auto& id : mine)
                seen.insert(id);
            total += int(mine.size());
        });
    }
    for (auto& thread : threads)
        thread.join();
    QCOMPARE(seen.size(), total);
    QCOMPARE(total, 160000);
}

void TestRequestId::idsShareTheProcessPrefix()
{
    const QByteArray a = RequestId::next();
    const QByteArray b = RequestId::next();
    QCOMPARE(a.left(11), b.left(11));
    QVERIFY(a != b);
    QCOMPARE(a.at(10), '-');
}

void TestRequestId::acceptable_data()
{
    QTest::addColumn<QByteArray>("incoming");
    QTest::addColumn<bool>("acceptable");

    QTest::newRow("simple") << QByteArray("abc-123") << true;
    QTest::newRow("all classes") << QByteArray("Az09._-") << true;
    QTest::newRow("one char") << QByteArray("x") << true;
    QTest::newRow("uuid") << QByteArray("3f2b8c1e-9d4a-4f7b-8e2a-1c5d6e7f8a9b") << true;
    QTest::newRow("64 chars") << QByteArray(64, 'a') << true;
    QTest::newRow("65 chars") << QByteArray(65, 'a') << false;
    QTest::newRow("huge") << QByteArray(100000, 'a') << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("space") << QByteArray("abc def") << false;
    QTest::newRow("newline (log injection)") << QByteArray("abc\nlevel=error") << false;
    QTest::newRow("CR LF (header injection)") << QByteArray("abc\r\nSet-Cookie: x") << false;
    QTest::newRow("NUL") << QByteArray("abc\0def", 7) << false;
    QTest::newRow("quote") << QByteArray("abc\"") << false;
    QTest::newRow("slash") << QByteArray("a/b") << false;
    QTest::newRow("percent") << QByteArray("a%20b") << false;
    QTest::newRow("non-ASCII") << QByteArray("caf\xc3\xa9") << false;
    QTest::newRow("invalid UTF-8") << QByteArray("\xff\xfe") << false;
}

void TestRequestId::acceptable()
{
    QFETCH(QByteArray, incoming);
    QFETCH(bool, acceptable);
    QCOMPARE(RequestId::isAcceptable(incoming), acceptable);
}

QTEST_GUILESS_MAIN(TestRequestId)
#include "tst_requestid.moc"
