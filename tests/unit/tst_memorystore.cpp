#include "ManualClock.h"
#include "backend/cache/MemoryStore.h"

#include <QTest>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

using namespace querydeck;

namespace {

CacheEntry makeEntry(const QByteArray& key, int payloadBytes = 100, qint64 expiresMs = 0)
{
    CacheEntry entry;
    entry.key = key;
    entry.normalizedQuery = QString::fromLatin1(key);
    entry.embedding = {1.0f, 0.0f, 0.0f, 0.0f};
    // The payload names its key so readers can check they got the right one.
    entry.payload = key + ':' + QByteArray(std::max(0, payloadBytes), 'x');
    entry.expiresMs = expiresMs;
    return entry;
}

// Records listener calls; thread-safe.
struct Removals
{
    std::mutex mutex;
    QList<QByteArray> keys;
    CacheStore::RemovalListener listener()
    {
        return [this](const QByteArray& key) {
            std::lock_guard lock(mutex);
            keys.append(key);
        };
    }
};

} // namespace

class tst_MemoryStore : public QObject
{
    Q_OBJECT

private slots:
    void nameAndEmpty();
    void putGetRoundTrip();
    void ttlExpiry_data();
    void ttlExpiry();
    void alreadyExpiredEntryRefused();
    void sweepOnPutRemovesUntouchedExpiredEntries();
    void lruEvictionOrderByBytes();
    void bigEntryEvictsSeveralSmallOnes();
    void expiredVictimCountsAsExpiration();
    void oversizedEntryRefused_data();
    void oversizedEntryRefused();
    void replaceUpdatesBytes();
    void removeAndClear();
    void listenerRunsOutsideLock();
    void concurrentPutGet();
};

void tst_MemoryStore::nameAndEmpty()
{
    MemoryStore store(1 << 20);
    QCOMPARE(store.name(), u"memory"_qs);
    QVERIFY(!store.get("missing").has_value());
    QVERIFY(!store.get(QByteArray()).has_value());
    QVERIFY(!store.remove("missing"));
    const auto s = store.stats();
    QCOMPARE(s.entries, 0);
    QCOMPARE(s.bytes, 0);
    QCOMPARE(s.maxBytes, 1 << 20);
    QCOMPARE(s.evictions, 0);
    QCOMPARE(s.expirations, 0);
}

void tst_MemoryStore::putGetRoundTrip()
{
    MemoryStore store(1 << 20);
    CacheEntry entry = makeEntry("k1", 10, 0);
    entry.createdMs = 42;
    entry.embedding = {0.5f, -0.25f};
    QVERIFY(store.put(entry));
    const auto got = store.get("k1");
    QVERIFY(got.has_value());
    QCOMPARE(got->key, entry.key);
    QCOMPARE(got->normalizedQuery, entry.normalizedQuery);
    QCOMPARE(got->payload, entry.payload);
    QCOMPARE(got->embedding, entry.embedding);
    QCOMPARE(got->createdMs, 42);
    QCOMPARE(store.stats().entries, 1);
    QCOMPARE(store.stats().bytes, entry.byteSize());
}

void tst_MemoryStore::ttlExpiry_data()
{
    QTest::addColumn<qint64>("ttlMs");
    QTest::addColumn<qint64>("advanceMs");
    QTest::addColumn<bool>("alive");

    QTest::newRow("well before") << qint64(60000) << qint64(1000) << true;
    QTest::newRow("1 ms before") << qint64(60000) << qint64(59999) << true;
    QTest::newRow("at expiry") << qint64(60000) << qint64(60000) << false;
    QTest::newRow("long after") << qint64(60000) << qint64(14LL * 24 * 3600 * 1000) << false;
    QTest::newRow("never expires (0)")
        << qint64(0) << qint64(100LL * 365 * 24 * 3600 * 1000) << true;
}

void tst_MemoryStore::ttlExpiry()
{
    QFETCH(qint64, ttlMs);
    QFETCH(qint64, advanceMs);
    QFETCH(bool, alive);

    ManualClock clock(1000);
    MemoryStore store(1 << 20, clock.clock());
    Removals removals;
    store.setRemovalListener(removals.listener());
    const qint64 expires = ttlMs == 0 ? 0 : clock.now() + ttlMs;
    QVERIFY(store.put(makeEntry("k", 10, expires)));
    clock.advance(advanceMs);

    QCOMPARE(store.get("k").has_value(), alive);
    // Asking again gives the same answer: an expired entry is gone for good.
    QCOMPARE(store.get("k").has_value(), alive);
    const auto s = store.stats();
    QCOMPARE(s.entries, alive ? 1 : 0);
    QCOMPARE(s.bytes, alive ? makeEntry("k", 10, expires).byteSize() : 0);
    QCOMPARE(s.expirations, alive ? 0 : 1);
    QCOMPARE(s.evictions, 0);
    QCOMPARE(removals.keys, alive ? QList<QByteArray>{} : QList<QByteArray>{"k"});
}

void tst_MemoryStore::alreadyExpiredEntryRefused()
{
    ManualClock clock(1000);
    MemoryStore store(1 << 20, clock.clock());
    QVERIFY(!store.put(makeEntry("past", 10, clock.now() - 1)));
    QVERIFY(!store.put(makeEntry("now", 10, clock.now())));
    QCOMPARE(store.stats().entries, 0);
}

void tst_MemoryStore::sweepOnPutRemovesUntouchedExpiredEntries()
{
    ManualClock clock(1000);
    MemoryStore store(1 << 24, clock.clock());
    Removals removals;
    store.setRemovalListener(removals.listener());
    constexpr int kShortLived = 100;
    for (int i = 0; i < kShortLived; ++i)
        QVERIFY(store.put(makeEntry("short" + QByteArray::number(i), 10, clock.now() + 50)));
    QVERIFY(store.put(makeEntry("forever", 10, 0)));
    clock.advance(100);

    // Nobody reads the expired keys again; puts alone must reclaim them.
    for (int i = 0; i < kShortLived; ++i)
        QVERIFY(store.put(makeEntry("fresh" + QByteArray::number(i), 10, 0)));

    const auto s = store.stats();
    QCOMPARE(s.expirations, kShortLived);
    QCOMPARE(s.entries, kShortLived + 1);
    QCOMPARE(s.evictions, 0);
    QCOMPARE(removals.keys.size(), kShortLived);
    for (const auto& key : removals.keys)
        QVERIFY2(key.startsWith("short"), key.constData());
    QVERIFY(store.get("forever").has_value());
}

void tst_MemoryStore::lruEvictionOrderByBytes()
{
    const qint64 size = makeEntry("a").byteSize();
    // Room for three equal entries, not four.
    MemoryStore store(3 * size + size / 2);
    Removals removals;
    store.setRemovalListener(removals.listener());
    QVERIFY(store.put(makeEntry("a")));
    QVERIFY(store.put(makeEntry("b")));
    QVERIFY(store.put(makeEntry("c")));
    QVERIFY(store.get("a").has_value()); // a is now most recent; b is the LRU

    QVERIFY(store.put(makeEntry("d")));
    QCOMPARE(removals.keys, QList<QByteArray>{"b"});
    QVERIFY(store.put(makeEntry("e")));
    QCOMPARE(removals.keys, (QList<QByteArray>{"b", "c"}));

    for (const char* key : {"a", "d", "e"})
        QVERIFY2(store.get(key).has_value(), key);
    for (const char* key : {"b", "c"})
        QVERIFY2(!store.get(key).has_value(), key);
    const auto s = store.stats();
    QCOMPARE(s.entries, 3);
    QCOMPARE(s.bytes, 3 * size);
    QCOMPARE(s.evictions, 2);
    QCOMPARE(s.expirations, 0);
}

void tst_MemoryStore::bigEntryEvictsSeveralSmallOnes()
{
    // Bounded in bytes, not entries: one big answer pushes out several small ones.
    const qint64 small = makeEntry("s0", 100).byteSize();
    MemoryStore store(10 * small);
    for (int i = 0; i < 10; ++i)
        QVERIFY(store.put(makeEntry("s" + QByteArray::number(i), 100)));
    QCOMPARE(store.stats().entries, 10);

    const CacheEntry big = makeEntry("big", int(4 * small));
    QVERIFY(store.put(big));
    const auto s = store.stats();
    QVERIFY2(s.bytes <= s.maxBytes, qPrintable(QString::number(s.bytes)));
    QVERIFY(store.get("big").has_value());
    // The oldest ones went first, the newest survived.
    QVERIFY(!store.get("s0").has_value());
    QVERIFY(store.get("s9").has_value());
    QCOMPARE(s.entries, 1 + 10 - s.evictions);
    QVERIFY(s.evictions >= 5);
    QCOMPARE(s.bytes, big.byteSize() + (10 - s.evictions) * small);
}

void tst_MemoryStore::expiredVictimCountsAsExpiration()
{
    ManualClock clock(1000);
    const qint64 size = makeEntry("a").byteSize();
    MemoryStore store(2 * size, clock.clock());
    QVERIFY(store.put(makeEntry("a", 100, clock.now() + 10)));
    QVERIFY(store.put(makeEntry("b", 100, 0)));
    clock.advance(20);
    // Put touches only the sweep; make sure the victim is the expired LRU entry.
    QVERIFY(store.put(makeEntry("c", 100, 0)));
    const auto s = store.stats();
    QCOMPARE(s.expirations, 1);
    QCOMPARE(s.evictions, 0);
    QCOMPARE(s.entries, 2);
}

void tst_MemoryStore::oversizedEntryRefused_data()
{
    QTest::addColumn<qint64>("slack");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("exactly maxBytes") << qint64(0) << true;
    QTest::newRow("one byte over") << qint64(-1) << false;
    QTest::newRow("far over") << qint64(-4000) << false;
}

void tst_MemoryStore::oversizedEntryRefused()
{
    QFETCH(qint64, slack);
    QFETCH(bool, accepted);
    const CacheEntry entry = makeEntry("big", 5000);
    MemoryStore store(entry.byteSize() + slack);
    Removals removals;
    store.setRemovalListener(removals.listener());
    // A small resident entry: a refused put must not evict it.
    const bool residentFits = makeEntry("r", 1).byteSize() <= store.stats().maxBytes;
    if (residentFits)
        QVERIFY(store.put(makeEntry("r", 1)));

    QCOMPARE(store.put(entry), accepted);
    QCOMPARE(store.get("big").has_value(), accepted);
    if (!accepted) {
        QVERIFY(removals.keys.isEmpty());
        QCOMPARE(store.get("r").has_value(), residentFits);
    } else {
        QCOMPARE(store.stats().bytes, entry.byteSize());
    }
    QVERIFY(store.stats().bytes <= store.stats().maxBytes);

    MemoryStore zero(0);
    QVERIFY(!zero.put(makeEntry("any", 0)));
    MemoryStore negative(-5);
    QCOMPARE(negative.stats().maxBytes, 0);
    QVERIFY(!negative.put(makeEntry("any", 0)));
}

void tst_MemoryStore::replaceUpdatesBytes()
{
    const qint64 small = makeEntry("k", 100).byteSize();
    const qint64 large = makeEntry("k", 2000).byteSize();
    MemoryStore store(4 * large);
    Removals removals;
    store.setRemovalListener(removals.listener());

    // Same key length, so "o" and "k" entries of one payload size cost the same.
    QVERIFY(store.put(makeEntry("o", 100)));
    QVERIFY(store.put(makeEntry("k", 100)));
    QCOMPARE(store.stats().bytes, 2 * small);
    QVERIFY(store.put(makeEntry("k", 2000)));
    QCOMPARE(store.stats().bytes, small + large);
    QCOMPARE(store.stats().entries, 2);
    QCOMPARE(store.get("k")->payload.size(), makeEntry("k", 2000).payload.size());
    QVERIFY(store.put(makeEntry("k", 100)));
    QCOMPARE(store.stats().bytes, 2 * small);
    // Replacing is not a removal: the key stays, the listener is not told.
    QVERIFY(removals.keys.isEmpty());
    QCOMPARE(store.stats().evictions, 0);

    // A replacement that needs room evicts others, never the key itself.
    MemoryStore tight(small + large);
    QVERIFY(tight.put(makeEntry("o", 100)));
    QVERIFY(tight.put(makeEntry("k", 100)));
    QVERIFY(tight.get("o").has_value()); // k is now the LRU
    QVERIFY(tight.put(makeEntry("k", 2000)));
    QVERIFY(tight.get("k").has_value());
    QCOMPARE(tight.stats().bytes, small + large);
    QVERIFY(tight.put(makeEntry("k", int(large)))); // now o must go
    QVERIFY(!tight.get("o").has_value());
    QCOMPARE(tight.stats().entries, 1);
    QCOMPARE(tight.stats().bytes, makeEntry("k", int(large)).byteSize());
    QCOMPARE(tight.stats().evictions, 1);
}

void tst_MemoryStore::removeAndClear()
{
    MemoryStore store(1 << 20);
    Removals removals;
    store.setRemovalListener(removals.listener());
    QVERIFY(store.put(makeEntry("a")));
    QVERIFY(store.put(makeEntry("b")));
    QVERIFY(store.remove("a"));
    QVERIFY(!store.remove("a"));
    QCOMPARE(store.stats().entries, 1);
    QCOMPARE(store.stats().bytes, makeEntry("b").byteSize());
    store.clear();
    QCOMPARE(store.stats().entries, 0);
    QCOMPARE(store.stats().bytes, 0);
    QVERIFY(!store.get("b").has_value());
    // Explicit removal is the caller's own doing; the listener is for the
    // store's decisions only.
    QVERIFY(removals.keys.isEmpty());
    // Usable after clear (the sweep cursor was reset).
    for (int i = 0; i < 10; ++i)
        QVERIFY(store.put(makeEntry("n" + QByteArray::number(i))));
    QCOMPARE(store.stats().entries, 10);
}

void tst_MemoryStore::listenerRunsOutsideLock()
{
    ManualClock clock(1000);
    const qint64 size = makeEntry("a").byteSize();
    auto store = std::make_shared<MemoryStore>(2 * size, clock.clock());
    QList<QByteArray> seen;
    // Re-entering the store from the listener would deadlock if it were
    // called under the store's mutex.
    store->setRemovalListener([&](const QByteArray& key) {
        seen.append(key);
        QVERIFY(!store->get(key).has_value());
        QVERIFY(store->stats().entries <= 2);
    });
    QVERIFY(store->put(makeEntry("a", 100, clock.now() + 10)));
    QVERIFY(store->put(makeEntry("b")));
    QVERIFY(store->put(makeEntry("c")));                        // evicts a (LRU)
    QVERIFY(store->put(makeEntry("d", 100, clock.now() + 10))); // evicts b
    clock.advance(10);
    QVERIFY(!store->get("d").has_value()); // expired on access
    QCOMPARE(seen, (QList<QByteArray>{"a", "b", "d"}));
    store->setRemovalListener({});
    QVERIFY(store->put(makeEntry("e")));
    QVERIFY(store->put(makeEntry("f"))); // evicts with no listener set
    QCOMPARE(seen.size(), 3);
    QCOMPARE(store->stats().evictions, 3);
}

void tst_MemoryStore::concurrentPutGet()
{
    ManualClock clock(1000);
    const qint64 maxBytes = 200 * makeEntry("key000", 200).byteSize();
    MemoryStore store(maxBytes, clock.clock());
    std::atomic<qint64> notified{0};
    std::atomic<int> wrongKey{0};
    std::atomic<int> overBound{0};
    store.setRemovalListener([&](const QByteArray&) { ++notified; });

    constexpr int kThreads = 4;
    constexpr int kOps = 40000;
    constexpr int kKeys = 600;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 rng(1234 + t);
            std::uniform_int_distribution<int> keyDist(0, kKeys - 1);
            std::uniform_int_distribution<int> sizeDist(0, 600);
            std::uniform_int_distribution<int> op(0, 99);
            for (int i = 0; i < kOps; ++i) {
                const QByteArray key = "key" + QByteArray::number(keyDist(rng));
                const int r = op(rng);
                if (r < 45) {
                    const qint64 expires = r < 10 ? clock.now() + 5 : 0;
                    store.put(makeEntry(key, sizeDist(rng), expires));
                } else if (r < 95) {
                    if (const auto got = store.get(key);
                        got && (got->key != key || !got->payload.startsWith(key + ':')))
                        ++wrongKey;
                } else if (r < 98) {
                    store.remove(key);
                } else {
                    clock.advance(1);
                    if (store.stats().bytes > maxBytes)
                        ++overBound;
                }
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    QCOMPARE(wrongKey.load(), 0);
    QCOMPARE(overBound.load(), 0);
    const auto s = store.stats();
    QVERIFY2(s.bytes <= maxBytes, qPrintable(QString::number(s.bytes)));
    QVERIFY(s.evictions > 0); // the bound was exercised
    QVERIFY(s.expirations > 0);
    QCOMPARE(notified.load(), s.evictions + s.expirations);

    // The accounting matches what is really there (no expirations happen
    // below: the clock stands still).
    qint64 bytes = 0;
    qint64 entries = 0;
    for (int k = 0; k < kKeys; ++k) {
        if (const auto got = store.get("key" + QByteArray::number(k))) {
            bytes += got->byteSize();
            ++entries;
        }
    }
    const auto after = store.stats();
    QCOMPARE(after.entries, entries);
    QCOMPARE(after.bytes, bytes);
}

QTEST_GUILESS_MAIN(tst_MemoryStore)
#include "tst_memorystore.moc"
