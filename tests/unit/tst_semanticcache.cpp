#include "ManualClock.h"
#include "SyntheticEmbeddings.h"
#include "backend/cache/MemoryStore.h"
#include "backend/cache/QueryNormalizer.h"
#include "backend/cache/SemanticCache.h"

#include <QElapsedTimer>
#include <QTest>
#include <atomic>
#include <cmath>
#include <random>
#include <thread>

using namespace querydeck;

namespace {

constexpr int kDim = 64;

CacheConfig config(bool enabled = true, bool semantic = true)
{
    CacheConfig c;
    c.enabled = enabled;
    c.semantic = semantic;
    return c;
}

QString tierName(CacheTier tier)
{
    switch (tier) {
    case CacheTier::Exact:
        return u"exact"_qs;
    case CacheTier::Semantic:
        return u"semantic"_qs;
    case CacheTier::Miss:
        return u"miss"_qs;
    }
    return u"?"_qs;
}

#define QCOMPARE_TIER(actual, expected)                                                            \
    QVERIFY2((actual) == (expected),                                                               \
             qPrintable(u"tier is "_qs + tierName(actual) + u", want "_qs + tierName(expected)))

// Forces every key onto one index label, to exercise collision handling.
class CollidingCache : public SemanticCache
{
public:
    using SemanticCache::SemanticCache;
    void collideAll()
    {
        setLabelFunction([](const QByteArray&) -> std::uint64_t { return 7; });
    }
};

} // namespace

class tst_SemanticCache : public QObject
{
    Q_OBJECT

private slots:
    void exactHitAfterInsert();
    void semanticThreshold_data();
    void semanticThreshold();
    void semanticPicksNearest();
    void badEmbeddings();
    void ttlExpiryMissesBothTiers_data();
    void ttlExpiryMissesBothTiers();
    void evictionRemovesFromIndex();
    void staleIndexPointIsMissAndRemoved();
    void namespaceChangeInvalidates();
    void disabled();
    void semanticOff();
    void emptyQuery();
    void labelCollision();
    void badConstructorArguments();
    void storeOutlivesCache();
    void concurrentLookupsAndInserts();
    void fiftyThousandEntries();
};

void tst_SemanticCache::exactHitAfterInsert()
{
    auto store = std::make_shared<MemoryStore>(1 << 20);
    SemanticCache cache(store, config(), kDim, "corpus-1");
    QCOMPARE(cache.storeName(), u"memory"_qs);
    QCOMPARE(cache.config().similarityThreshold, 0.95);

    const CacheLookup miss = cache.lookupExact(u"What is Redis?"_qs);
    QCOMPARE_TIER(miss.tier, CacheTier::Miss);
    QVERIFY(!miss.entry);
    QCOMPARE(miss.normalized, u"what is redis"_qs);
    QCOMPARE(miss.key, QueryNormalizer::key(u"what is redis"_qs, "corpus-1"));

    SyntheticEmbeddings vectors(1);
    QVERIFY(cache.insert(miss, vectors.unit(kDim), R"({"answer":"a key-value store"})"));
    QCOMPARE(cache.storeStats().entries, 1);
    QCOMPARE(cache.indexSize(), 1u);

    const CacheLookup hit = cache.lookupExact(u"  what IS redis "_qs);
    QCOMPARE_TIER(hit.tier, CacheTier::Exact);
    QVERIFY(hit.entry);
    QCOMPARE(hit.entry->payload, QByteArray(R"({"answer":"a key-value store"})"));
    QCOMPARE(hit.entry->normalizedQuery, u"what is redis"_qs);
    QCOMPARE(hit.key, miss.key);
    const qint64 ttlMs = cache.config().ttlSeconds * 1000;
    QCOMPARE(hit.entry->expiresMs - hit.entry->createdMs, ttlMs);
}

void tst_SemanticCache::semanticThreshold_data()
{
    QTest::addColumn<double>("cosine");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<bool>("hit");
    QTest::addColumn<bool>("quantized");

    QTest::newRow("same meaning, 0.99") << 0.99 << 0.95 << true << false;
    QTest::newRow("reworded, 0.97") << 0.97 << 0.95 << true << false;
    QTest::newRow("just above, 0.952") << 0.952 << 0.95 << true << false;
    QTest::newRow("just below, 0.948") << 0.948 << 0.95 << false << false;
    QTest::newRow("related topic, 0.8") << 0.8 << 0.95 << false << false;
    QTest::newRow("different question, 0.3") << 0.3 << 0.95 << false << false;
    QTest::newRow("orthogonal") << 0.0 << 0.95 << false << false;
    QTest::newRow("opposite") << -0.9 << 0.95 << false << false;
    QTest::newRow("looser threshold 0.85 hits 0.9") << 0.9 << 0.85 << true << false;
    QTest::newRow("looser threshold 0.85 misses 0.8") << 0.8 << 0.85 << false << false;
    // The service's int8 index: the cut-off is still decided on the exact cosine.
    QTest::newRow("int8: just above, 0.952") << 0.952 << 0.95 << true << true;
    QTest::newRow("int8: just below, 0.948") << 0.948 << 0.95 << false << true;
    QTest::newRow("int8: same meaning, 0.99") << 0.99 << 0.95 << true << true;
    QTest::newRow("int8: related topic, 0.8") << 0.8 << 0.95 << false << true;
}

void tst_SemanticCache::semanticThreshold()
{
    QFETCH(double, cosine);
    QFETCH(double, threshold);
    QFETCH(bool, hit);
    QFETCH(bool, quantized);

    CacheConfig cfg = config();
    cfg.similarityThreshold = threshold;
    SemanticCache cache(std::make_shared<MemoryStore>(1 << 20), cfg, kDim, "ns", systemClock(),
                        quantized ? SemanticCache::recommendedIndexOptions() : IndexOptions{});
    SyntheticEmbeddings vectors(42);
    const auto base = vectors.unit(kDim);
    QVERIFY(
        cache.insert(cache.lookupExact(u"How do I scale out replicas?"_qs), base, "scale-answer"));
    // A few unrelated entries so the nearest-neighbour search has a choice.
    for (int i = 0; i < 20; ++i)
        QVERIFY(cache.insert(cache.lookupExact(u"other question %1"_qs.arg(i)), vectors.unit(kDim),
                             "other"));

    const auto reworded = vectors.atCosine(base, cosine);
    QVERIFY(std::abs(SyntheticEmbeddings::cosine(reworded, base) - cosine) < 1e-5);
    const CacheLookup exact = cache.lookupExact(u"What's the way to add more replicas?"_qs);
    QCOMPARE_TIER(exact.tier, CacheTier::Miss);
    const CacheLookup result = cache.lookupSemantic(exact, reworded);

    QCOMPARE_TIER(result.tier, hit ? CacheTier::Semantic : CacheTier::Miss);
    QCOMPARE(result.normalized, exact.normalized);
    QCOMPARE(result.key, exact.key);
    if (hit) {
        QVERIFY(result.entry);
        QCOMPARE(result.entry->payload, QByteArray("scale-answer"));
        QVERIFY2(std::abs(result.similarity - cosine) < 1e-4,
                 qPrintable(u"similarity %1, want %2"_qs.arg(result.similarity).arg(cosine)));
        QVERIFY(result.similarity >= threshold);
    } else {
        QVERIFY(!result.entry);
    }
}

void tst_SemanticCache::semanticPicksNearest()
{
    SemanticCache cache(std::make_shared<MemoryStore>(1 << 20), config(), kDim, "ns");
    SyntheticEmbeddings vectors(7);
    const auto base = vectors.unit(kDim);
    const auto nearA = vectors.atCosine(base, 0.96);
    const auto nearB = vectors.atCosine(base, 0.99);
    QVERIFY(cache.insert(cache.lookupExact(u"question a"_qs), nearA, "A"));
    QVERIFY(cache.insert(cache.lookupExact(u"question b"_qs), nearB, "B"));
    const auto result = cache.lookupSemantic(cache.lookupExact(u"question c"_qs), base);
    QCOMPARE_TIER(result.tier, CacheTier::Semantic);
    QCOMPARE(result.entry->payload, QByteArray("B"));
}

void tst_SemanticCache::badEmbeddings()
{
    SemanticCache cache(std::make_shared<MemoryStore>(1 << 20), config(), kDim, "ns");
    SyntheticEmbeddings vectors(3);
    const auto base = vectors.unit(kDim);
    const auto miss = cache.lookupExact(u"q"_qs);

    // Refused on insert: nothing stored in either tier.
    QVERIFY(!cache.insert(miss, std::vector<float>(kDim - 1, 0.1f), "x"));
    QVERIFY(!cache.insert(miss, {}, "x"));
    QVERIFY(!cache.insert(miss, std::vector<float>(kDim, 0.0f), "x"));
    auto withNan = base;
    withNan[3] = std::nanf("");
    QVERIFY(!cache.insert(miss, withNan, "x"));
    auto withInf = base;
    withInf[0] = INFINITY;
    QVERIFY(!cache.insert(miss, withInf, "x"));
    QCOMPARE(cache.storeStats().entries, 0);
    QCOMPARE(cache.indexSize(), 0u);

    // A scaled (unnormalised) embedding is fine on both sides.
    auto scaled = base;
    for (float& x : scaled)
        x *= 7.5f;
    QVERIFY(cache.insert(miss, scaled, "ok"));
    auto other = cache.lookupExact(u"reworded q"_qs);
    auto halfScaled = vectors.atCosine(base, 0.99);
    for (float& x : halfScaled)
        x *= 0.01f;
    auto hit = cache.lookupSemantic(other, halfScaled);
    QCOMPARE_TIER(hit.tier, CacheTier::Semantic);
    QVERIFY(std::abs(hit.similarity - 0.99) < 1e-4);

    // Unusable lookups miss rather than fail.
    QCOMPARE_TIER(cache.lookupSemantic(other, std::vector<float>(kDim + 1, 0.1f)).tier,
                  CacheTier::Miss);
    QCOMPARE_TIER(cache.lookupSemantic(other, {}).tier, CacheTier::Miss);
    QCOMPARE_TIER(cache.lookupSemantic(other, std::vector<float>(kDim, 0.0f)).tier,
                  CacheTier::Miss);
    QCOMPARE_TIER(cache.lookupSemantic(other, withNan).tier, CacheTier::Miss);

    // A forged or mismatched lookup (key not of its text) is not stored.
    CacheLookup forged = cache.lookupExact(u"real question"_qs);
    forged.key = QueryNormalizer::key(u"another question"_qs, "ns");
    QVERIFY(!cache.insert(forged, base, "poison"));
    QCOMPARE_TIER(cache.lookupExact(u"another question"_qs).tier, CacheTier::Miss);
    CacheLookup blank;
    QVERIFY(!cache.insert(blank, base, "x"));
}

void tst_SemanticCache::ttlExpiryMissesBothTiers_data()
{
    QTest::addColumn<bool>("exactFirst");
    QTest::newRow("exact lookup first") << true;
    QTest::newRow("semantic lookup first") << false;
}

void tst_SemanticCache::ttlExpiryMissesBothTiers()
{
    QFETCH(bool, exactFirst);
    ManualClock clock;
    CacheConfig cfg = config();
    cfg.ttlSeconds = 3600;
    auto store = std::make_shared<MemoryStore>(1 << 20, clock.clock());
    SemanticCache cache(store, cfg, kDim, "ns", clock.clock());
    SyntheticEmbeddings vectors(11);
    const auto base = vectors.unit(kDim);
    QVERIFY(cache.insert(cache.lookupExact(u"how do I drain a replica"_qs), base, "drain"));
    const auto reworded = vectors.atCosine(base, 0.98);
    const auto probe = cache.lookupExact(u"draining a replica, how?"_qs);

    clock.advance(3600 * 1000 - 1);
    QCOMPARE_TIER(cache.lookupExact(u"How do I drain a replica?"_qs).tier, CacheTier::Exact);
    QCOMPARE_TIER(cache.lookupSemantic(probe, reworded).tier, CacheTier::Semantic);

    clock.advance(1);
    if (exactFirst)
        QCOMPARE_TIER(cache.lookupExact(u"How do I drain a replica?"_qs).tier, CacheTier::Miss);
    QCOMPARE_TIER(cache.lookupSemantic(probe, reworded).tier, CacheTier::Miss);
    QCOMPARE_TIER(cache.lookupExact(u"How do I drain a replica?"_qs).tier, CacheTier::Miss);
    QCOMPARE(cache.indexSize(), 0u);
    QCOMPARE(cache.storeStats().entries, 0);
    QCOMPARE(cache.storeStats().expirations, 1);
}

void tst_SemanticCache::evictionRemovesFromIndex()
{
    SyntheticEmbeddings vectors(5);
    std::vector<std::vector<float>> embeddings;
    for (int i = 0; i < 10; ++i)
        embeddings.push_back(vectors.unit(kDim));
    // Size the store from a real entry: room for exactly three.
    CacheEntry probe;
    probe.key = QByteArray(64, 'k');
    probe.normalizedQuery = u"question 0"_qs;
    probe.embedding = embeddings[0];
    probe.payload = QByteArray(200, 'p');
    auto store = std::make_shared<MemoryStore>(3 * probe.byteSize() + probe.byteSize() / 2);
    SemanticCache cache(store, config(), kDim, "ns");

    for (int i = 0; i < 10; ++i)
        QVERIFY(cache.insert(cache.lookupExact(u"question %1"_qs.arg(i)), embeddings[i],
                             QByteArray(200, 'p')));
    QCOMPARE(cache.storeStats().entries, 3);
    QCOMPARE(cache.storeStats().evictions, 7);
    QCOMPARE(cache.indexSize(), 3u);
    for (int i = 0; i < 10; ++i) {
        const bool alive = i >= 7;
        const auto exact = cache.lookupExact(u"question %1"_qs.arg(i));
        QCOMPARE_TIER(exact.tier, alive ? CacheTier::Exact : CacheTier::Miss);
        const auto semantic =
            cache.lookupSemantic(cache.lookupExact(u"reworded %1"_qs.arg(i)), embeddings[i]);
        QCOMPARE_TIER(semantic.tier, alive ? CacheTier::Semantic : CacheTier::Miss);
    }
}

void tst_SemanticCache::staleIndexPointIsMissAndRemoved()
{
    // The store drops an entry without telling us (as a shared Redis would
    // when another replica or Redis' own eviction removes it).
    auto store = std::make_shared<MemoryStore>(1 << 20);
    SemanticCache cache(store, config(), kDim, "ns");
    SyntheticEmbeddings vectors(9);
    const auto base = vectors.unit(kDim);
    const auto miss = cache.lookupExact(u"gone question"_qs);
    QVERIFY(cache.insert(miss, base, "gone"));
    QVERIFY(cache.insert(cache.lookupExact(u"kept question"_qs), vectors.unit(kDim), "kept"));
    QVERIFY(store->remove(miss.key));
    QCOMPARE(cache.indexSize(), 2u);

    const auto result =
        cache.lookupSemantic(cache.lookupExact(u"reworded"_qs), vectors.atCosine(base, 0.99));
    QCOMPARE_TIER(result.tier, CacheTier::Miss);
    QCOMPARE(cache.indexSize(), 1u);
}

void tst_SemanticCache::namespaceChangeInvalidates()
{
    auto store = std::make_shared<MemoryStore>(1 << 20);
    SemanticCache cache(store, config(), kDim, "corpus-v1");
    SyntheticEmbeddings vectors(13);
    const auto base = vectors.unit(kDim);
    const auto before = cache.lookupExact(u"what does the cache panel show"_qs);
    QVERIFY(cache.insert(before, base, "v1 answer"));
    const auto pending = cache.lookupExact(u"a question in flight"_qs); // made under v1

    cache.setNamespace("corpus-v2");
    QCOMPARE(cache.storeStats().entries, 0);
    QCOMPARE(cache.indexSize(), 0u);
    const auto exact = cache.lookupExact(u"what does the cache panel show"_qs);
    QCOMPARE_TIER(exact.tier, CacheTier::Miss);
    QVERIFY(exact.key != before.key);
    QCOMPARE_TIER(cache.lookupSemantic(exact, base).tier, CacheTier::Miss);

    // An answer computed against the old corpus must not land in the new one.
    QVERIFY(!cache.insert(pending, vectors.unit(kDim), "stale v1 answer"));
    QVERIFY(!cache.insert(before, base, "stale v1 answer"));
    QCOMPARE(cache.storeStats().entries, 0);
    QCOMPARE(cache.indexSize(), 0u);

    QVERIFY(cache.insert(exact, base, "v2 answer"));
    QCOMPARE(cache.lookupExact(u"what does the cache panel show"_qs).entry->payload,
             QByteArray("v2 answer"));

    // clear() empties both tiers but keeps the namespace.
    cache.clear();
    QCOMPARE(cache.storeStats().entries, 0);
    QCOMPARE(cache.indexSize(), 0u);
    QVERIFY(cache.insert(cache.lookupExact(u"after clear"_qs), base, "x"));
    QCOMPARE(cache.lookupExact(u"after clear"_qs).key,
             QueryNormalizer::key(u"after clear"_qs, "corpus-v2"));
}

void tst_SemanticCache::disabled()
{
    auto store = std::make_shared<MemoryStore>(1 << 20);
    // Something already in the store must not be served either.
    SemanticCache enabled(store, config(), kDim, "ns");
    SyntheticEmbeddings vectors(17);
    const auto base = vectors.unit(kDim);
    QVERIFY(enabled.insert(enabled.lookupExact(u"q"_qs), base, "x"));

    SemanticCache cache(store, config(false, true), kDim, "ns");
    const auto lookup = cache.lookupExact(u"Q?"_qs);
    QCOMPARE_TIER(lookup.tier, CacheTier::Miss);
    QCOMPARE(lookup.normalized, u"q"_qs);
    QCOMPARE(lookup.key, QueryNormalizer::key(u"q"_qs, "ns"));
    QCOMPARE_TIER(cache.lookupSemantic(lookup, base).tier, CacheTier::Miss);
    QVERIFY(!cache.insert(cache.lookupExact(u"new"_qs), base, "y"));
    QCOMPARE(cache.storeStats().entries, 1);
    QCOMPARE(cache.indexSize(), 0u);
}

void tst_SemanticCache::semanticOff()
{
    auto store = std::make_shared<MemoryStore>(1 << 20);
    SemanticCache cache(store, config(true, false), kDim, "ns");
    SyntheticEmbeddings vectors(19);
    const auto base = vectors.unit(kDim);
    QVERIFY(cache.insert(cache.lookupExact(u"exact only"_qs), base, "x"));
    // The exact tier works and needs no usable embedding.
    QVERIFY(cache.insert(cache.lookupExact(u"no embedding"_qs), {}, "y"));
    QCOMPARE(cache.indexSize(), 0u);
    QCOMPARE_TIER(cache.lookupExact(u"Exact only!"_qs).tier, CacheTier::Exact);
    QCOMPARE_TIER(cache.lookupExact(u"no embedding"_qs).tier, CacheTier::Exact);
    QCOMPARE_TIER(cache.lookupSemantic(cache.lookupExact(u"reworded"_qs), base).tier,
                  CacheTier::Miss);
}

void tst_SemanticCache::emptyQuery()
{
    SemanticCache cache(std::make_shared<MemoryStore>(1 << 20), config(), kDim, "ns");
    SyntheticEmbeddings vectors(23);
    for (const QString& q : {QString(), u"   "_qs, u"?!…"_qs}) {
        const auto lookup = cache.lookupExact(q);
        QCOMPARE_TIER(lookup.tier, CacheTier::Miss);
        QVERIFY(lookup.normalized.isEmpty());
        QVERIFY(!cache.insert(lookup, vectors.unit(kDim), "nothing to key on"));
    }
    QCOMPARE(cache.storeStats().entries, 0);
}

void tst_SemanticCache::labelCollision()
{
    ManualClock clock;
    CacheConfig cfg = config();
    cfg.ttlSeconds = 100;
    auto store = std::make_shared<MemoryStore>(1 << 20, clock.clock());
    CollidingCache cache(store, cfg, kDim, "ns", clock.clock());
    cache.collideAll();
    SyntheticEmbeddings vectors(29);
    const auto a = vectors.unit(kDim);
    const auto b = vectors.unit(kDim);
    QVERIFY(cache.insert(cache.lookupExact(u"question a"_qs), a, "A"));
    clock.advance(50 * 1000);
    QVERIFY(cache.insert(cache.lookupExact(u"question b"_qs), b, "B"));
    // One label, so one index point: the newer key owns it.
    QCOMPARE(cache.indexSize(), 1u);
    QCOMPARE(cache.storeStats().entries, 2);

    // Near b: served b's entry, never a's.
    auto hit = cache.lookupSemantic(cache.lookupExact(u"b again"_qs), vectors.atCosine(b, 0.99));
    QCOMPARE_TIER(hit.tier, CacheTier::Semantic);
    QCOMPARE(hit.entry->payload, QByteArray("B"));
    // Near a: a lost its point, so a semantic miss; its exact tier still works.
    QCOMPARE_TIER(
        cache.lookupSemantic(cache.lookupExact(u"a again"_qs), vectors.atCosine(a, 0.99)).tier,
        CacheTier::Miss);
    QCOMPARE_TIER(cache.lookupExact(u"question a"_qs).tier, CacheTier::Exact);

    // a expires; the store tells the listener about a's key, which shares
    // b's label. b's point must stay.
    clock.advance(50 * 1000);
    QCOMPARE_TIER(cache.lookupExact(u"question a"_qs).tier, CacheTier::Miss);
    QCOMPARE(cache.storeStats().expirations, 1);
    QCOMPARE(cache.indexSize(), 1u);
    hit = cache.lookupSemantic(cache.lookupExact(u"b once more"_qs), vectors.atCosine(b, 0.98));
    QCOMPARE_TIER(hit.tier, CacheTier::Semantic);
    QCOMPARE(hit.entry->payload, QByteArray("B"));

    // b expiring does take the point.
    clock.advance(50 * 1000);
    QCOMPARE_TIER(cache.lookupExact(u"question b"_qs).tier, CacheTier::Miss);
    QCOMPARE(cache.indexSize(), 0u);
}

void tst_SemanticCache::badConstructorArguments()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SemanticCache(nullptr, config(), kDim, "ns"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             SemanticCache(std::make_shared<MemoryStore>(1024), config(), 0, "ns"));
}

void tst_SemanticCache::storeOutlivesCache()
{
    // The store is shared and may outlive the cache: its evictions must not
    // reach a destroyed index.
    SyntheticEmbeddings vectors(43);
    const qint64 entrySize = [&] {
        CacheEntry e;
        e.key = QByteArray(64, 'k');
        e.normalizedQuery = u"q0"_qs;
        e.embedding.resize(kDim);
        e.payload = "p";
        return e.byteSize();
    }();
    auto store = std::make_shared<MemoryStore>(2 * entrySize);
    {
        SemanticCache cache(store, config(), kDim, "ns");
        QVERIFY(cache.insert(cache.lookupExact(u"q0"_qs), vectors.unit(kDim), "p"));
        QVERIFY(cache.insert(cache.lookupExact(u"q1"_qs), vectors.unit(kDim), "p"));
    }
    CacheEntry filler;
    for (int i = 0; i < 4; ++i) {
        filler.key = QByteArray(64, char('a' + i));
        QVERIFY(store->put(filler));
    }
    QVERIFY(store->stats().evictions >= 2);
}

void tst_SemanticCache::concurrentLookupsAndInserts()
{
    ManualClock clock;
    CacheEntry probe;
    probe.key = QByteArray(64, 'k');
    probe.normalizedQuery = u"thread 0 question 000"_qs;
    probe.embedding.resize(kDim);
    probe.payload = "t0-q000";
    // Small enough that eviction runs concurrently with everything else.
    auto store = std::make_shared<MemoryStore>(300 * probe.byteSize(), clock.clock());
    CacheConfig cfg = config();
    cfg.ttlSeconds = 5; // the clock moves 1 s now and then: entries expire mid-run
    SemanticCache cache(store, cfg, kDim, "ns", clock.clock());

    constexpr int kThreads = 4;
    constexpr int kQuestions = 150;
    SyntheticEmbeddings seedVectors(31);
    std::vector<std::vector<float>> embeddings;
    for (int i = 0; i < kThreads * kQuestions; ++i)
        embeddings.push_back(seedVectors.unit(kDim));

    std::atomic<int> wrong{0};
    std::atomic<int> exactHits{0};
    std::atomic<int> semanticHits{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            SyntheticEmbeddings vectors(100 + t);
            std::mt19937 rng(t);
            for (int round = 0; round < 3; ++round) {
                for (int q = 0; q < kQuestions; ++q) {
                    // Threads ask overlapping questions.
                    const int id = (t * kQuestions / 2 + q) % (kThreads * kQuestions);
                    const QByteArray expected = "answer-" + QByteArray::number(id);
                    const auto exact = cache.lookupExact(u"Question number %1?"_qs.arg(id));
                    if (exact.tier == CacheTier::Exact) {
                        ++exactHits;
                        if (exact.entry->payload != expected)
                            ++wrong;
                    }
                    // The same question reworded, from this thread's own angle.
                    const auto semantic =
                        cache.lookupSemantic(cache.lookupExact(u"reworded %1 %2"_qs.arg(id).arg(t)),
                                             vectors.atCosine(embeddings[id], 0.985));
                    if (semantic.tier == CacheTier::Semantic) {
                        ++semanticHits;
                        if (semantic.entry->payload != expected)
                            ++wrong;
                    }
                    if (exact.tier == CacheTier::Miss && semantic.tier == CacheTier::Miss)
                        cache.insert(exact, embeddings[id], expected);
                    if (rng() % 50 == 0)
                        clock.advance(1000);
                }
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    QCOMPARE(wrong.load(), 0);
    QVERIFY(exactHits.load() > 0);
    QVERIFY(semanticHits.load() > 0);
    const auto stats = cache.storeStats();
    QVERIFY(stats.bytes <= stats.maxBytes);
    QVERIFY(stats.evictions + stats.expirations > 0);
    // The index may hold a few points the store let go of in a race; each is
    // dropped on the lookup that meets it. Never fewer points than entries
    // that can still be found semantically.
    // HNSW is approximate and the churn leaves tombstones in the graph, so a
    // live entry may rarely be missed by the semantic tier (a miss is safe:
    // the query is answered anew). Wrong answers and stale hits never are.
    int stale = 0, live = 0, notFound = 0;
    for (int id = 0; id < kThreads * kQuestions; ++id) {
        const auto exact = cache.lookupExact(u"question number %1"_qs.arg(id));
        const auto semantic = cache.lookupSemantic(exact, embeddings[id]);
        if (exact.tier == CacheTier::Exact) {
            ++live;
            if (semantic.tier == CacheTier::Semantic)
                QCOMPARE(semantic.entry->key, exact.key);
            else
                ++notFound;
        } else if (semantic.tier != CacheTier::Miss) {
            ++stale;
        }
    }
    QCOMPARE(stale, 0);
    QVERIFY2(notFound * 100 <= live,
             qPrintable(u"%1 of %2 live entries not found"_qs.arg(notFound).arg(live)));
    // Known benign race (see the closing note of the change): two threads
    // inserting the same key while the store evicts it can leave an entry
    // without its index point, found by the exact tier only. Never the reverse.
    const auto entries = std::size_t(cache.storeStats().entries);
    QVERIFY2(cache.indexSize() <= entries && cache.indexSize() + entries / 50 + 1 >= entries,
             qPrintable(u"index %1, store %2"_qs.arg(cache.indexSize()).arg(entries)));
    qInfo("exact hits %d, semantic hits %d, entries %lld, evictions %lld, expirations %lld",
          exactHits.load(), semanticHits.load(), stats.entries, stats.evictions, stats.expirations);
}

void tst_SemanticCache::fiftyThousandEntries()
{
    // Sized to stay a few seconds on a shared 2-core machine: HNSW
    // construction dominates, so a small dimension and a lean build beam.
    // tests/bench measures the real 384-dimension case at 100k entries.
    constexpr int kEntries = 50000;
    constexpr int kProbes = 2000;
    constexpr int kSmallDim = 32;
    IndexOptions options;
    options.m = 12;
    options.efConstruction = 40;
    auto store = std::make_shared<MemoryStore>(1LL << 30);
    SemanticCache cache(store, config(), kSmallDim, "ns", systemClock(), options);
    SyntheticEmbeddings vectors(37);

    std::vector<std::vector<float>> embeddings;
    embeddings.reserve(kEntries);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kEntries; ++i) {
        embeddings.push_back(vectors.unit(kSmallDim));
        QVERIFY(cache.insert(cache.lookupExact(u"cached question %1"_qs.arg(i)), embeddings.back(),
                             QByteArray::number(i)));
    }
    const double insertSeconds = timer.nsecsElapsed() / 1e9;
    QCOMPARE(cache.indexSize(), std::size_t(kEntries));
    QCOMPARE(cache.storeStats().entries, kEntries);

    std::mt19937 rng(41);
    std::vector<qint64> nanos;
    nanos.reserve(kProbes);
    int correct = 0;
    for (int p = 0; p < kProbes; ++p) {
        const int id = int(rng() % kEntries);
        const auto query = vectors.atCosine(embeddings[id], 0.98);
        const auto miss = cache.lookupExact(u"probe %1"_qs.arg(p));
        timer.restart();
        const auto result = cache.lookupSemantic(miss, query);
        nanos.push_back(timer.nsecsElapsed());
        if (result.tier == CacheTier::Semantic && result.entry->payload == QByteArray::number(id))
            ++correct;
    }
    int falseHits = 0;
    for (int p = 0; p < 500; ++p) {
        const auto miss = cache.lookupExact(u"unrelated %1"_qs.arg(p));
        if (cache.lookupSemantic(miss, vectors.unit(kSmallDim)).tier != CacheTier::Miss)
            ++falseHits;
    }
    std::sort(nanos.begin(), nanos.end());
    const double p50 = nanos[nanos.size() / 2] / 1000.0;
    const double p99 = nanos[nanos.size() * 99 / 100] / 1000.0;
    const double recall = double(correct) / kProbes;
    qInfo("%d entries, dim %d: insert %.2f s (%.0f/s); semantic lookup p50 %.1f us, p99 %.1f us; "
          "hit recall %.4f; store %lld bytes",
          kEntries, kSmallDim, insertSeconds, kEntries / insertSeconds, p50, p99, recall,
          cache.storeStats().bytes);
    QVERIFY2(recall >= 0.98, qPrintable(u"semantic recall %1 below 0.98"_qs.arg(recall)));
    QCOMPARE(falseHits, 0);
    // Latency is printed, not asserted: on a shared 2-core machine a clock
    // check fails on load, not on code. bench_semantic measures it properly.
}

QTEST_GUILESS_MAIN(tst_SemanticCache)
#include "tst_semanticcache.moc"
