#include "backend/cache/RedisCacheSync.h"

#include "backend/cache/CacheEntryCodec.h"
#include "backend/cache/RedisStore.h"
#include "backend/cache/SemanticCache.h"
#include "backend/common/Backoff.h"
#include "backend/redis/RedisPool.h"

#include <spdlog/spdlog.h>

namespace querydeck {

namespace {
constexpr int kBlockMs = 300;
constexpr int kBatch = 500;
// Reconnects after Redis went away, jittered: every replica lost it at the
// same moment and must not come back in lockstep.
constexpr Backoff::Options kReconnectBackoff{100, 5000};

QByteArray field(const RedisReply& fields, QByteArrayView name)
{
    for (qsizetype i = 0; i + 1 < fields.elements.size(); i += 2)
        if (fields.elements[i].text == name)
            return fields.elements[i + 1].text;
    return {};
}
} // namespace

RedisCacheSync::RedisCacheSync(std::shared_ptr<RedisPool> pool, std::shared_ptr<RedisStore> store,
                               std::shared_ptr<SemanticCache> cache,
                               std::chrono::milliseconds rebuildBudget)
    : m_pool(std::move(pool))
    , m_store(std::move(store))
    , m_cache(std::move(cache))
    , m_rebuildBudget(rebuildBudget)
{
}

RedisCacheSync::~RedisCacheSync()
{
    stop();
}

void RedisCacheSync::start()
{
    if (m_thread.joinable())
        return;
    m_stop.store(false);
    // Exact tier only from now until the first rebuild is done or Redis is
    // found away, so no semantic hit is served from a half-built index.
    m_rebuilding.store(true);
    m_cache->setSemanticAvailable(false);
    m_thread = std::thread([this] { run(); });
}

void RedisCacheSync::stop()
{
    m_stop.store(true);
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    m_cache->setSemanticAvailable(true);
    m_rebuilding.store(false);
}

void RedisCacheSync::masterChanged()
{
    m_reconnect.store(true);
    m_wake.notify_all(); // cut a reconnect backoff short: the new master is up
}

void RedisCacheSync::sleepFor(int ms)
{
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, std::chrono::milliseconds(ms),
                    [this] { return m_stop.load() || m_reconnect.load(); });
}

void RedisCacheSync::run()
{
    Backoff backoff(kReconnectBackoff);
    bool first = true;
    while (!m_stop.load()) {
        QString error;
        auto connection = m_pool->connectDedicated(&error);
        if (!connection) {
            if (first) {
                // Nothing to rebuild from: serve what this replica caches itself.
                spdlog::warn("[cache] semantic index not rebuilt from redis: {}",
                             error.toStdString());
                first = false;
                m_cache->setSemanticAvailable(true);
                m_rebuilding.store(false);
            }
            m_reconnect.store(false); // a switch announced from now on wakes us
            sleepFor(int(backoff.next()));
            continue;
        }
        first = false;
        backoff.reset();
        m_reconnect.store(false);
        if (!m_rebuildDone && !rebuild(*connection)) {
            // Lost Redis mid-way: serve semantic hits from what we have.
            m_cache->setSemanticAvailable(true);
            m_rebuilding.store(false);
            continue;
        }
        follow(*connection);
    }
}

bool RedisCacheSync::rebuild(RedisConnection& connection)
{
    m_rebuilding.store(true);
    m_cache->setSemanticAvailable(false);
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + m_rebuildBudget;
    // The stream position before the scan: entries added during it are
    // followed afterwards (adopt() skips any seen twice).
    const RedisReply last =
        connection.command({"XREVRANGE", m_store->streamKey(), "+", "-", "COUNT", "1"});
    if (last.isFailed())
        return false;
    m_lastId = (last.type == RedisReply::Type::Array && !last.elements.empty() &&
                !last.elements[0].elements.empty())
                   ? last.elements[0].elements[0].text
                   : QByteArray("0-0");
    QByteArray cursor = "0";
    qint64 adopted = 0;
    bool complete = false;
    while (!m_stop.load() && std::chrono::steady_clock::now() < deadline) {
        const RedisReply scan =
            connection.command({"SCAN", cursor, "MATCH", m_store->entryPattern(), "COUNT",
                                QByteArray::number(kBatch)});
        if (scan.isFailed())
            return false;
        if (scan.type != RedisReply::Type::Array || scan.elements.size() != 2)
            break;
        cursor = scan.elements[0].text;
        const auto& keys = scan.elements[1].elements;
        if (!keys.empty()) {
            RedisConnection::Args mget{"MGET"};
            for (const RedisReply& k : keys)
                mget.push_back(k.text);
            const RedisReply values = connection.command(mget);
            if (values.isFailed())
                return false;
            const qsizetype prefix = m_store->entryKey({}).size();
            for (qsizetype i = 0; i < values.elements.size() && i < qsizetype(keys.size()); ++i) {
                if (values.elements[i].type != RedisReply::Type::String)
                    continue; // expired between SCAN and MGET
                const auto entry =
                    CacheEntryCodec::decode(keys[i].text.mid(prefix), values.elements[i].text);
                if (entry && m_cache->adopt(*entry))
                    ++adopted;
            }
            m_rebuilt.store(adopted, std::memory_order_relaxed);
        }
        if (cursor == "0") {
            complete = true;
            break;
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (complete)
        spdlog::info("[cache] semantic index rebuilt from redis: {} entries in {:.2f} s", adopted,
                     seconds);
    else if (!m_stop.load())
        spdlog::warn("[cache] semantic index rebuild stopped at its time bound ({} ms) after {} "
                     "entries; the rest join as they are written again",
                     m_rebuildBudget.count(), adopted);
    m_rebuildDone = true;
    m_cache->setSemanticAvailable(true);
    m_rebuilding.store(false);
    return true;
}

bool RedisCacheSync::follow(RedisConnection& connection)
{
    const QByteArray stream = m_store->streamKey();
    while (!m_stop.load() && !m_reconnect.load()) {
        // Sent, then polled: the wait is ours, not the command timeout's.
        if (!connection.send({"XREAD", "COUNT", QByteArray::number(kBatch), "BLOCK",
                              QByteArray::number(kBlockMs), "STREAMS", stream, m_lastId}))
            return false;
        std::optional<RedisReply> reply;
        while (!m_stop.load() && !(reply = connection.waitReply(kBlockMs + 1000))) {
        }
        if (!reply)
            return true;
        if (reply->isFailed() || reply->isError()) {
            if (reply->isError())
                spdlog::warn("[cache] stream follow: {}", reply->errorText().toStdString());
            return false;
        }
        if (reply->type != RedisReply::Type::Array)
            continue; // BLOCK timed out: nil
        for (const RedisReply& perStream : reply->elements) {
            if (perStream.elements.size() != 2)
                continue;
            for (const RedisReply& item : perStream.elements[1].elements) {
                if (item.elements.size() != 2)
                    continue;
                m_lastId = item.elements[0].text;
                m_seen.fetch_add(1, std::memory_order_relaxed);
                const RedisReply& fields = item.elements[1];
                CacheEntry entry;
                entry.key = field(fields, "k");
                entry.normalizedQuery = QString::fromUtf8(field(fields, "q"));
                entry.expiresMs = field(fields, "x").toLongLong();
                auto embedding = CacheEntryCodec::bytesToFloats(field(fields, "e"));
                if (!embedding || entry.key.isEmpty())
                    continue;
                entry.embedding = std::move(*embedding);
                if (m_cache->adopt(entry))
                    m_followed.fetch_add(1, std::memory_order_relaxed);
            }
        }
    }
    return true;
}

} // namespace querydeck
