#pragma once

#include "backend/cache/CacheStore.h"
#include "backend/common/Clock.h"

#include <QByteArray>
#include <atomic>
#include <memory>

namespace querydeck {

class MemoryStore;
class RedisPool;

// CacheStore shared by every replica through Redis. An entry is one string
// key `<prefix>:cache:<key>` (CacheEntryCodec record, TTL by SET ... EX), so
// an exact hit is one GET, one round trip. Each put also appends the key,
// normalised query and embedding to the stream `<prefix>:cache-stream`
// (XADD MAXLEN ~), which RedisCacheSync on every replica follows to index it.
//
// Redis trouble is never the caller's problem: when the pool cannot answer,
// reads and writes go to an in-process MemoryStore (the fallback tier) and
// fallbacks() counts them. A key missing from Redis is also looked up there,
// so answers cached during an outage keep serving after it.
//
// Thread-safe (the pool and the fallback tier are).
class RedisStore final : public CacheStore
{
public:
    struct Options
    {
        QByteArray prefix = "querydeck";
        qint64 fallbackMaxBytes = 64LL * 1024 * 1024;
        int streamMaxLength = 100000; // approximate (MAXLEN ~)
    };

    RedisStore(std::shared_ptr<RedisPool> pool, Options options, Clock clock = systemClock());
    ~RedisStore() override;

    QString name() const override;
    std::optional<CacheEntry> get(const QByteArray& key) override;
    bool put(const CacheEntry& entry) override;
    bool remove(const QByteArray& key) override;
    // Clears this replica's fallback tier only. Shared entries stay: other
    // replicas may be serving them, keys carry the corpus namespace so a new
    // corpus never meets them, and TTL and maxmemory retire them.
    void clear() override;
    CacheStoreStats stats() const override;
    void setRemovalListener(RemovalListener listener) override;

    qint64 fallbacks() const { return m_fallbacks.load(std::memory_order_relaxed); }
    bool redisAvailable() const;
    QByteArray entryKey(const QByteArray& key) const;
    QByteArray entryPattern() const;
    QByteArray streamKey() const;

private:
    void fellBack() { m_fallbacks.fetch_add(1, std::memory_order_relaxed); }

    const std::shared_ptr<RedisPool> m_pool;
    const Options m_options;
    const Clock m_clock;
    const std::unique_ptr<MemoryStore> m_local;
    std::atomic<qint64> m_fallbacks{0};
};

} // namespace querydeck
