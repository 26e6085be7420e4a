#include "RedisTestServer.h"
#include "backend/cache/CacheEntryCodec.h"
#include "backend/cache/RedisCacheSync.h"
#include "backend/cache/RedisStore.h"
#include "backend/cache/SemanticCache.h"
#include "backend/common/Clock.h"
#include "backend/redis/RedisPool.h"
#include "backend/service/SharedActiveUsers.h"

#include <QTest>

using namespace querydeck;
using namespace querydeck::test;

namespace {

constexpr int kDim = 8;

std::vector<float> direction(int axis, float tilt = 0.0f)
{
    std::vector<float> v(kDim, 0.0f);
    v[std::size_t(axis % kDim)] = 1.0f;
    v[std::size_t((axis + 1) % kDim)] = tilt;
    return v;
}

CacheConfig cacheConfig()
{
    CacheConfig c;
    c.ttlSeconds = 300;
    c.similarityThreshold = 0.95;
    return c;
}

// One replica's view of the shared cache: pool, store, semantic cache, follower.
struct Replica
{
    Replica(const RedisEndpoint& endpoint, const QByteArray& ns, bool follow,
            std::chrono::milliseconds rebuildBudget = std::chrono::seconds(10))
    {
        RedisPoolOptions options;
        options.endpoint = endpoint;
        options.backoffMinMs = 50;
        options.backoffMaxMs = 200;
        pool = std::make_shared<RedisPool>(std::make_shared<FixedMasterLocator>(endpoint.address),
                                           options);
        RedisStore::Options storeOptions;
        storeOptions.prefix = "test";
        store = std::make_shared<RedisStore>(pool, storeOptions);
        cache = std::make_shared<SemanticCache>(store, cacheConfig(), kDim, ns);
        if (follow) {
            sync = std::make_unique<RedisCacheSync>(pool, store, cache, rebuildBudget);
            sync->start();
        }
    }
    ~Replica()
    {
        if (sync)
            sync->stop();
    }
    bool insert(const QString& query, const std::vector<float>& embedding,
                const QByteArray& payload)
    {
        const CacheLookup miss = cache->lookupExact(query);
        return miss.tier == CacheTier::Miss && cache->insert(miss, embedding, payload);
    }
    CacheLookup semantic(const QString& query, const std::vector<float>& embedding)
    {
        return cache->lookupSemantic(cache->lookupExact(query), embedding);
    }

    std::shared_ptr<RedisPool> pool;
    std::shared_ptr<RedisStore> store;
    std::shared_ptr<SemanticCache> cache;
    std::unique_ptr<RedisCacheSync> sync;
};

} // namespace

class TestRedisStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString error = m_redis.start(
            {QStringLiteral("maxmemory 256mb"), QStringLiteral("maxmemory-policy allkeys-lru")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void init() { QVERIFY(m_redis.command({"FLUSHALL"}).ok()); }
    void cleanupTestCase() { m_redis.stop(); }

    void codecRoundTripsAndRefusesGarbage()
    {
        CacheEntry entry;
        entry.key = "k";
        entry.normalizedQuery = QStringLiteral("grüße über alles");
        entry.embedding = {0.5f, -1.25f, 3.0f};
        entry.payload = QByteArray("{\"answer\":\"\0x\"}", 15);
        entry.createdMs = 12;
        entry.expiresMs = 34;
        const QByteArray bytes = CacheEntryCodec::encode(entry);
        const auto back = CacheEntryCodec::decode("k", bytes);
        QVERIFY(back);
        QCOMPARE(back->normalizedQuery, entry.normalizedQuery);
        QCOMPARE(back->embedding, entry.embedding);
        QCOMPARE(back->payload, entry.payload);
        QCOMPARE(back->expiresMs, 34);
        QVERIFY(!CacheEntryCodec::decode("k", QByteArray()));
        QVERIFY(!CacheEntryCodec::decode("k", "plain text"));
        QVERIFY(!CacheEntryCodec::decode("k", bytes.left(bytes.size() - 1)));
        QVERIFY(!CacheEntryCodec::decode("k", bytes + "x"));
        QByteArray lying = bytes;
        lying[4 + 16] = char(0x7f); // query length far beyond the record
        QVERIFY(!CacheEntryCodec::decode("k", lying));
        QVERIFY(!CacheEntryCodec::bytesToFloats("abc"));
    }

    void putGetWithTtl()
    {
        Replica a(m_redis.endpoint(), "ns", false);
        CacheEntry entry;
        entry.key = QByteArray("bin\0\xff", 5);
        entry.normalizedQuery = QStringLiteral("q");
        entry.embedding = direction(0);
        entry.payload = QByteArray(2 * 1024 * 1024, 'p');
        entry.createdMs = systemClock()();
        entry.expiresMs = entry.createdMs + 5000;
        QVERIFY(a.store->put(entry));
        const auto got = a.store->get(entry.key);
        QVERIFY(got);
        QCOMPARE(got->payload, entry.payload);
        QCOMPARE(got->embedding, entry.embedding);
        const RedisReply ttl = m_redis.command({"TTL", a.store->entryKey(entry.key)});
        QVERIFY2(ttl.integer >= 4 && ttl.integer <= 5, QByteArray::number(ttl.integer).constData());
        // Exactly one stream entry per put.
        QCOMPARE(m_redis.command({"XLEN", a.store->streamKey()}).integer, 1);
        CacheEntry noExpiry = entry;
        noExpiry.key = "no-expiry";
        noExpiry.expiresMs = 0;
        QVERIFY(a.store->put(noExpiry));
        QCOMPARE(m_redis.command({"TTL", a.store->entryKey("no-expiry")}).integer, -1);
        CacheEntry stale = entry;
        stale.key = "stale";
        stale.expiresMs = entry.createdMs - 1;
        QVERIFY(!a.store->put(stale));
        QVERIFY(a.store->remove(entry.key));
        QVERIFY(!a.store->get(entry.key));
        QCOMPARE(a.store->fallbacks(), 0);
    }

    void corruptValueIsAMiss()
    {
        Replica a(m_redis.endpoint(), "ns", false);
        QVERIFY(m_redis.command({"SET", a.store->entryKey("junk"), "not a record"}).ok());
        QVERIFY(!a.store->get("junk"));
    }

    void sharedAcrossReplicasExactAndSemantic()
    {
        Replica a(m_redis.endpoint(), "corpus-1", true);
        Replica b(m_redis.endpoint(), "corpus-1", true);
        QTRY_VERIFY(!a.sync->rebuilding() && !b.sync->rebuilding());
        QVERIFY(a.insert(QStringLiteral("How do I fail over Redis?"), direction(1), "answer-1"));
        // Exact on the other replica: straight from Redis.
        const CacheLookup exact = b.cache->lookupExact(QStringLiteral("how do i fail over redis"));
        QCOMPARE(exact.tier, CacheTier::Exact);
        QCOMPARE(exact.entry->payload, QByteArray("answer-1"));
        // Semantic on the other replica: once its follower has indexed the stream entry.
        QTRY_COMPARE(b.cache->indexSize(), std::size_t(1));
        const CacheLookup near =
            b.semantic(QStringLiteral("failing over redis how"), direction(1, 0.05f));
        QCOMPARE(near.tier, CacheTier::Semantic);
        QCOMPARE(near.entry->payload, QByteArray("answer-1"));
        // Its own entry is not indexed twice: once its follower has read that
        // stream entry (and skipped it), the index still holds one.
        QTRY_COMPARE(a.sync->streamEntriesSeen(), 1);
        QCOMPARE(a.cache->indexSize(), std::size_t(1));

        // Another corpus never sees it.
        Replica other(m_redis.endpoint(), "corpus-2", true);
        QTRY_VERIFY(!other.sync->rebuilding());
        QCOMPARE(other.cache->indexSize(), std::size_t(0));
        QCOMPARE(other.cache->lookupExact(QStringLiteral("How do I fail over Redis?")).tier,
                 CacheTier::Miss);
    }

    void expiredKeyThroughSemanticTierIsAMissAndLeavesTheIndex()
    {
        Replica a(m_redis.endpoint(), "ns", true);
        QTRY_VERIFY(!a.sync->rebuilding());
        QVERIFY(a.insert(QStringLiteral("queue depth alert"), direction(2), "answer-2"));
        const QByteArray key = a.cache->lookupExact(QStringLiteral("queue depth alert")).key;
        QCOMPARE(a.cache->indexSize(), std::size_t(1));
        // The follower has read (and skipped) our own stream entry.
        QTRY_COMPARE(a.sync->streamEntriesSeen(), 1);
        QVERIFY(m_redis.command({"PEXPIRE", a.store->entryKey(key), "1"}).ok());
        QTRY_VERIFY(m_redis.command({"EXISTS", a.store->entryKey(key)}).integer == 0);
        const CacheLookup near =
            a.semantic(QStringLiteral("alert queue depth"), direction(2, 0.05f));
        QCOMPARE(near.tier, CacheTier::Miss);
        QCOMPARE(a.cache->indexSize(), std::size_t(0));
    }

    void rebuildsTheIndexOnStart()
    {
        {
            Replica writer(m_redis.endpoint(), "ns", false);
            for (int i = 0; i < 300; ++i)
                QVERIFY(writer.insert(QStringLiteral("question number %1").arg(i),
                                      direction(i, float(i) / 300.0f),
                                      "a" + QByteArray::number(i)));
        }
        // Trim the stream so the rebuild has to come from the keys themselves.
        QVERIFY(m_redis.command({"DEL", "test:cache-stream"}).ok());
        Replica fresh(m_redis.endpoint(), "ns", true);
        QTRY_VERIFY(!fresh.sync->rebuilding());
        QCOMPARE(fresh.sync->rebuiltEntries(), 300);
        QCOMPARE(fresh.cache->indexSize(), std::size_t(300));
        const CacheLookup hit =
            fresh.semantic(QStringLiteral("some other words"), direction(7, 7.0f / 300.0f));
        QCOMPARE(hit.tier, CacheTier::Semantic);
        QCOMPARE(hit.entry->payload, QByteArray("a7"));
    }

    void rebuildIsBoundedInTime()
    {
        {
            Replica writer(m_redis.endpoint(), "ns", false);
            for (int i = 0; i < 50; ++i)
                QVERIFY(writer.insert(QStringLiteral("bounded %1").arg(i), direction(i), "x"));
        }
        Replica fresh(m_redis.endpoint(), "ns", true, std::chrono::milliseconds(0));
        QTRY_VERIFY(!fresh.sync->rebuilding());
        QCOMPARE(fresh.sync->rebuiltEntries(), 0);
        QVERIFY(fresh.cache->semanticAvailable());
        // New entries still arrive through the stream.
        Replica writer(m_redis.endpoint(), "ns", false);
        QVERIFY(writer.insert(QStringLiteral("after the bound"), direction(3), "y"));
        QTRY_COMPARE(fresh.cache->indexSize(), std::size_t(1));
    }

    void fallsBackToMemoryWhenRedisIsDown()
    {
        RedisTestServer redis;
        QString error = redis.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Replica a(redis.endpoint(), "ns", true);
        QTRY_VERIFY(!a.sync->rebuilding());
        QVERIFY(a.insert(QStringLiteral("before outage"), direction(0), "one"));
        redis.kill();
        // Reads of shared entries miss, writes and reads go to memory: no exception, no error.
        QCOMPARE(a.cache->lookupExact(QStringLiteral("before outage")).tier, CacheTier::Miss);
        QVERIFY(a.insert(QStringLiteral("during outage"), direction(4), "two"));
        const CacheLookup during = a.cache->lookupExact(QStringLiteral("during outage"));
        QCOMPARE(during.tier, CacheTier::Exact);
        QCOMPARE(during.entry->payload, QByteArray("two"));
        QVERIFY(a.store->fallbacks() >= 3);
        QVERIFY(!a.store->redisAvailable());
        error = redis.restart();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(a.cache->lookupExact(QStringLiteral("x")).tier ==
                                         CacheTier::Miss &&
                                     a.store->redisAvailable(),
                                 5000);
        // Memory-tier answers keep serving after Redis is back.
        QCOMPARE(a.cache->lookupExact(QStringLiteral("during outage")).tier, CacheTier::Exact);
    }

    // The benchmark's claim as a check: an exact hit is one GET, one round trip.
    void exactHitCostsOneCommand()
    {
        Replica a(m_redis.endpoint(), "roundtrip", false);
        QVERIFY(a.insert(QStringLiteral("one round trip?"), direction(3), "answer-3"));
        const auto calls = [this] {
            qint64 total = 0;
            const QByteArray stats = m_redis.command({"INFO", "commandstats"}).text;
            for (const QByteArray& line : stats.split('\n')) {
                // INFO is the test's own; PING is the handshake of a newly
                // opened pooled connection, once per connection, not per hit.
                if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:") ||
                    line.startsWith("cmdstat_ping:"))
                    continue;
                const qsizetype at = line.indexOf("calls=");
                total += line.mid(at + 6, line.indexOf(',', at) - at - 6).toLongLong();
            }
            return total;
        };
        const qint64 before = calls();
        constexpr int kHits = 50;
        for (int i = 0; i < kHits; ++i)
            QCOMPARE(a.cache->lookupExact(QStringLiteral("one round trip?")).tier,
                     CacheTier::Exact);
        QCOMPARE(calls() - before, qint64(kHits));
    }

    void activeUsersAreCountedAcrossReplicas()
    {
        Replica a(m_redis.endpoint(), "ns", false);
        Replica b(m_redis.endpoint(), "ns", false);
        qint64 now = 1'700'000'000'000;
        const Clock clock = [&now] { return now; };
        SharedActiveUsers usersA(a.pool, "test", std::chrono::minutes(5), clock);
        SharedActiveUsers usersB(b.pool, "test", std::chrono::minutes(5), clock);
        for (int i = 0; i < 60; ++i)
            usersA.record(QStringLiteral("client-%1").arg(i));
        for (int i = 40; i < 100; ++i) // 20 seen by both
            usersB.record(QStringLiteral("client-%1").arg(i));
        QCOMPARE(usersA.count().value_or(-1), 60);
        QCOMPARE(usersB.count().value_or(-1), 100); // HyperLogLog: exact at this size
        QCOMPARE(usersA.count().value_or(-1), 100);
        const QByteArray key = usersA.bucketKey(now);
        QVERIFY(key.startsWith("test:users:"));
        const qint64 ttl = m_redis.command({"TTL", key}).integer;
        QVERIFY2(ttl > 300 && ttl <= 600, QByteArray::number(ttl).constData());
        // The window slides: a minute on, the earlier clients still count and
        // a new one adds to them (a fixed window would have dropped to 1).
        now += 60 * 1000;
        QVERIFY(usersA.bucketKey(now) != key);
        usersA.record(QStringLiteral("late"));
        QCOMPARE(usersA.count().value_or(-1), 101);
        // Once the window has passed the first bucket, only "late" is left.
        now += 5 * 60 * 1000;
        QCOMPARE(usersB.count().value_or(-1), 1);
        now += 60 * 1000;
        QCOMPARE(usersB.count().value_or(-1), 0);
    }

    void activeUsersWithoutRedisAreUnknown()
    {
        RedisTestServer redis;
        const QString error = redis.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Replica a(redis.endpoint(), "ns", false);
        SharedActiveUsers users(a.pool, "test");
        users.record(QStringLiteral("x"));
        redis.kill();
        QVERIFY(!users.count());
    }

private:
    RedisTestServer m_redis;
};

QTEST_GUILESS_MAIN(TestRedisStore)
#include "tst_redisstore.moc"
