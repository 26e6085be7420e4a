// Sha256 (libcrypto) against the published test vectors and, differentially,
// against QCryptographicHash, which computed every cache key before it: a key
// that changed would orphan every entry already in a shared Redis.
#include "backend/cache/QueryNormalizer.h"
#include "backend/common/Sha256.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>
#include <atomic>
#include <thread>

using namespace querydeck;

class TestSha256 : public QObject
{
    Q_OBJECT

private slots:
    void knownVectors_data();
    void knownVectors();
    void partsAreConcatenated();
    void matchesQtOnRandomInput();
    void cacheKeyIsUnchanged();
    void threadsDoNotShareState();
};

void TestSha256::knownVectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("hex");
    // FIPS 180-2 appendix B and the empty message.
    QTest::newRow("empty")
        << QByteArray()
        << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("abc") << QByteArray("abc")
                         << QByteArray(
                                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QTest::newRow("two blocks")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QTest::newRow("a million a")
        << QByteArray(1000000, 'a')
        << QByteArray("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

void TestSha256::knownVectors()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, hex);
    QCOMPARE(Sha256::hexDigest({input}), hex);
    QCOMPARE(Sha256::digest({input}), QByteArray::fromHex(hex));
}

void TestSha256::partsAreConcatenated()
{
    QCOMPARE(Sha256::hexDigest({"a", "", "bc"}), Sha256::hexDigest({"abc"}));
    QVERIFY(Sha256::hexDigest({"ab", "c"}) != Sha256::hexDigest({"ab", "d"}));
}

void TestSha256::matchesQtOnRandomInput()
{
    QRandomGenerator rng(12);
    for (int i = 0; i < 500; ++i) {
        QByteArray input(int(rng.bounded(300)), Qt::Uninitialized);
        for (char& c : input)
            c = char(rng.bounded(256));
        const qsizetype cut = input.isEmpty() ? 0 : qsizetype(rng.bounded(int(input.size())));
        const QByteArray expected = QCryptographicHash::hash(input, QCryptographicHash::Sha256);
        QCOMPARE(Sha256::digest({input.first(cut), input.sliced(cut)}), expected);
        QCOMPARE(Sha256::hexDigest({input}), expected.toHex());
    }
}

void TestSha256::cacheKeyIsUnchanged()
{
    // The key as QCryptographicHash computed it before libcrypto did.
    const QString normalized =
        QueryNormalizer::normalize(u"Wie skaliere ich Redis? ｒｅｄｉｓ 🚀"_qs);
    QCryptographicHash before(QCryptographicHash::Sha256);
    before.addData(QByteArrayView("ns-1"));
    before.addData(QByteArrayView("\n"));
    before.addData(normalized.toUtf8());
    QCOMPARE(QueryNormalizer::key(normalized, "ns-1"), before.result().toHex());
}

void TestSha256::threadsDoNotShareState()
{
    // One libcrypto context per thread: interleaved use from several threads
    // gives every thread its own right answers.
    const QByteArray expected = Sha256::hexDigest({"abc"});
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 2000; ++i)
                if (Sha256::hexDigest({"a", "b", "c"}) != expected)
                    ++wrong;
        });
    for (auto& thread : threads)
        thread.join();
    QCOMPARE(wrong.load(), 0);
}

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
