#pragma once

#include <QByteArray>
#include <QString>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace querydeck {

class RedisConnection;
class RedisPool;
class RedisStore;
class SemanticCache;

// Keeps this replica's semantic index in step with the shared Redis cache,
// on a thread with a connection of its own. First it rebuilds the index from
// the entries already in Redis (SCAN + MGET), bounded by rebuildBudget: the
// cache serves the exact tier only meanwhile. Then it follows the cache
// stream (XREAD BLOCK) from the position it had before the rebuild began, so
// nothing written in between is missed, and adopts each new entry. A lost
// connection is re-opened with backoff (at the new master after a failover)
// and following resumes from the last entry seen.
//
// Thread rules: start()/stop()/masterChanged() from any thread; status()
// from any thread.
class RedisCacheSync
{
public:
    RedisCacheSync(std::shared_ptr<RedisPool> pool, std::shared_ptr<RedisStore> store,
                   std::shared_ptr<SemanticCache> cache, std::chrono::milliseconds rebuildBudget);
    ~RedisCacheSync();

    // Call once the cache's namespace is set (the corpus is indexed).
    void start();
    void stop();
    // Reconnect the follower (Sentinel announced a new master).
    void masterChanged();

    bool rebuilding() const { return m_rebuilding.load(std::memory_order_acquire); }
    qint64 rebuiltEntries() const { return m_rebuilt.load(std::memory_order_relaxed); }
    qint64 followedEntries() const { return m_followed.load(std::memory_order_relaxed); }
    // Stream entries read, adopted or not (this replica's own, other corpora).
    qint64 streamEntriesSeen() const { return m_seen.load(std::memory_order_relaxed); }

private:
    void run();
    // False when the connection failed mid-way.
    bool rebuild(RedisConnection& connection);
    bool follow(RedisConnection& connection);
    void sleepFor(int ms);

    const std::shared_ptr<RedisPool> m_pool;
    const std::shared_ptr<RedisStore> m_store;
    const std::shared_ptr<SemanticCache> m_cache;
    const std::chrono::milliseconds m_rebuildBudget;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_reconnect{false};
    std::atomic<bool> m_rebuilding{false};
    std::atomic<qint64> m_rebuilt{0};
    std::atomic<qint64> m_followed{0};
    std::atomic<qint64> m_seen{0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    QByteArray m_lastId; // stream position; only the sync thread touches it
    bool m_rebuildDone = false;
};

} // namespace querydeck
