#include "backend/cache/RedisStore.h"

#include "backend/cache/CacheEntryCodec.h"
#include "backend/cache/MemoryStore.h"
#include "backend/redis/RedisPool.h"

#include <algorithm>

namespace querydeck {

RedisStore::RedisStore(std::shared_ptr<RedisPool> pool, Options options, Clock clock)
    : m_pool(std::move(pool))
    , m_options(std::move(options))
    , m_clock(clock ? std::move(clock) : systemClock())
    , m_local(std::make_unique<MemoryStore>(m_options.fallbackMaxBytes, m_clock))
{
}

RedisStore::~RedisStore() = default;

QString RedisStore::name() const
{
    return QStringLiteral("redis");
}

QByteArray RedisStore::entryKey(const QByteArray& key) const
{
    return m_options.prefix + ":cache:" + key;
}

QByteArray RedisStore::entryPattern() const
{
    return m_options.prefix + ":cache:*";
}

QByteArray RedisStore::streamKey() const
{
    return m_options.prefix + ":cache-stream";
}

bool RedisStore::redisAvailable() const
{
    return m_pool->available();
}

std::optional<CacheEntry> RedisStore::get(const QByteArray& key)
{
    const RedisReply reply = m_pool->run({"GET", entryKey(key)});
    if (!reply.ok()) {
        fellBack();
        return m_local->get(key);
    }
    if (reply.type == RedisReply::Type::String) {
        auto entry = CacheEntryCodec::decode(key, reply.text);
        // Redis expires by its own clock; ours decides too, like MemoryStore.
        if (entry && (entry->expiresMs == 0 || entry->expiresMs > m_clock()))
            return entry;
        return std::nullopt;
    }
    return m_local->get(key);
}

bool RedisStore::put(const CacheEntry& entry)
{
    const qint64 now = m_clock();
    if (entry.expiresMs != 0 && entry.expiresMs <= now)
        return false;
    RedisConnection::Args set{"SET", entryKey(entry.key), CacheEntryCodec::encode(entry)};
    if (entry.expiresMs != 0) {
        const qint64 ttlSeconds = (entry.expiresMs - now + 999) / 1000;
        set.push_back("EX");
        set.push_back(QByteArray::number(std::max<qint64>(1, ttlSeconds)));
    }
    RedisConnection::Args add{"XADD",
                              streamKey(),
                              "MAXLEN",
                              "~",
                              QByteArray::number(m_options.streamMaxLength),
                              "*",
                              "k",
                              entry.key,
                              "q",
                              entry.normalizedQuery.toUtf8(),
                              "e",
                              CacheEntryCodec::floatsToBytes(entry.embedding),
                              "x",
                              QByteArray::number(entry.expiresMs)};
    const std::vector<RedisReply> replies = m_pool->runPipeline({set, add});
    if (replies.empty() || !replies.front().ok()) {
        fellBack();
        return m_local->put(entry);
    }
    return true;
}

bool RedisStore::remove(const QByteArray& key)
{
    const bool local = m_local->remove(key);
    const RedisReply reply = m_pool->run({"DEL", entryKey(key)});
    if (!reply.ok())
        fellBack();
    return local || reply.integer > 0;
}

void RedisStore::clear()
{
    m_local->clear();
}

CacheStoreStats RedisStore::stats() const
{
    CacheStoreStats s = m_local->stats();
    // DBSIZE: the cache is meant to own its database (see README).
    const RedisReply size = m_pool->run({"DBSIZE"});
    if (size.type == RedisReply::Type::Integer) {
        s.entries += size.integer;
        s.sharedEntries = size.integer;
    }
    return s;
}

void RedisStore::setRemovalListener(RemovalListener listener)
{
    m_local->setRemovalListener(std::move(listener));
}

} // namespace querydeck
