#include "backend/retrieval/CachingEmbedder.h"

#include <QTest>
#include <atomic>
#include <thread>

using namespace querydeck;

namespace {

// Embeds a text as a 2-d vector derived from its length and counts calls;
// "fail" always errors so we can check errors are not cached.
class FakeEmbedder final : public Embedder
{
public:
    int dimension() const override { return 2; }
    QString id() const override { return QStringLiteral("fake-2"); }
    Embedding embed(const QString& text) override
    {
        ++calls;
        if (text == u"fail")
            return {{}, QStringLiteral("fake failure")};
        return {{float(text.size()), 1.0f}, {}};
    }
    std::atomic<int> calls{0};
};

} // namespace

class TestCachingEmbedder : public QObject
{
    Q_OBJECT

private slots:
    void forwardsIdentity();
    void hitsAndMisses();
    void evictsLeastRecentlyUsed();
    void boundedByCapacity_data();
    void boundedByCapacity();
    void errorsAreNotCached();
    void zeroCapacityPassesThrough();
    void nullInnerThrows();
    void concurrentSmoke();
};

void TestCachingEmbedder::forwardsIdentity()
{
    CachingEmbedder cache(std::make_shared<FakeEmbedder>(), 4);
    QCOMPARE(cache.dimension(), 2);
    QCOMPARE(cache.id(), QStringLiteral("fake-2"));
}

void TestCachingEmbedder::hitsAndMisses()
{
    auto inner = std::make_shared<FakeEmbedder>();
    CachingEmbedder cache(inner, 4);
    const auto first = cache.embed(QStringLiteral("abc"));
    const auto second = cache.embed(QStringLiteral("abc"));
    QVERIFY(first.ok());
    QCOMPARE(second.vector, first.vector);
    QCOMPARE(inner->calls.load(), 1);
    QCOMPARE(cache.hits(), 1u);
    QCOMPARE(cache.misses(), 1u);
    // Different text, even differing only in case, is a different key.
    cache.embed(QStringLiteral("ABC"));
    QCOMPARE(inner->calls.load(), 2);
    QCOMPARE(cache.misses(), 2u);
}

void TestCachingEmbedder::evictsLeastRecentlyUsed()
{
    auto inner = std::make_shared<FakeEmbedder>();
    CachingEmbedder cache(inner, 2);
    cache.embed(QStringLiteral("a"));
    cache.embed(QStringLiteral("bb"));
    cache.embed(QStringLiteral("a"));   // a is now most recent
    cache.embed(QStringLiteral("ccc")); // evicts bb
    QCOMPARE(cache.size(), 2);
    QCOMPARE(inner->calls.load(), 3);
    cache.embed(QStringLiteral("a")); // still cached
    QCOMPARE(inner->calls.load(), 3);
    cache.embed(QStringLiteral("bb")); // was evicted: embedded again, evicts ccc
    QCOMPARE(inner->calls.load(), 4);
    cache.embed(QStringLiteral("a"));
    QCOMPARE(inner->calls.load(), 4);
    cache.embed(QStringLiteral("ccc"));
    QCOMPARE(inner->calls.load(), 5);
}

void TestCachingEmbedder::boundedByCapacity_data()
{
    QTest::addColumn<int>("capacity");
    QTest::newRow("1") << 1;
    QTest::newRow("7") << 7;
    QTest::newRow("100") << 100;
}

void TestCachingEmbedder::boundedByCapacity()
{
    QFETCH(int, capacity);
    CachingEmbedder cache(std::make_shared<FakeEmbedder>(), capacity);
    for (int i = 0; i < 500; ++i) {
        cache.embed(QString(i % 250 + 1, u'x'));
        QVERIFY(cache.size() <= capacity);
    }
    QCOMPARE(cache.size(), capacity);
}

void TestCachingEmbedder::errorsAreNotCached()
{
    auto inner = std::make_shared<FakeEmbedder>();
    CachingEmbedder cache(inner, 4);
    const auto a = cache.embed(QStringLiteral("fail"));
    const auto b = cache.embed(QStringLiteral("fail"));
    QVERIFY(!a.ok());
    QCOMPARE(b.error, QStringLiteral("fake failure"));
    QCOMPARE(inner->calls.load(), 2);
    QCOMPARE(cache.size(), 0);
    QCOMPARE(cache.hits(), 0u);
}

void TestCachingEmbedder::zeroCapacityPassesThrough()
{
    auto inner = std::make_shared<FakeEmbedder>();
    CachingEmbedder cache(inner, 0);
    cache.embed(QStringLiteral("a"));
    cache.embed(QStringLiteral("a"));
    QCOMPARE(inner->calls.load(), 2);
    QCOMPARE(cache.size(), 0);
    QCOMPARE(cache.hits(), 0u);
    QCOMPARE(cache.misses(), 2u);
    CachingEmbedder negative(inner, -5);
    QCOMPARE(negative.capacity(), 0);
}

void TestCachingEmbedder::nullInnerThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CachingEmbedder(nullptr, 4));
}

void TestCachingEmbedder::concurrentSmoke()
{
    auto inner = std::make_shared<FakeEmbedder>();
    CachingEmbedder cache(inner, 16);
    constexpr int kThreads = 4;
    constexpr int kCalls = 5000;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kCalls; ++i) {
                const int len = (i * 7 + t) % 32 + 1; // 32 keys over 16 slots: constant eviction
                const auto e = cache.embed(QString(len, u'q'));
                if (!e.ok() || e.vector[0] != float(len))
                    ++wrong;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    QCOMPARE(wrong.load(), 0);
    QCOMPARE(cache.hits() + cache.misses(), quint64(kThreads * kCalls));
    QCOMPARE(quint64(inner->calls.load()), cache.misses());
    QVERIFY(cache.size() <= 16);
}

QTEST_GUILESS_MAIN(TestCachingEmbedder)
#include "tst_cachingembedder.moc"
