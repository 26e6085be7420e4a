#include "backend/cache/MemoryStore.h"

#include <algorithm>

namespace querydeck {

namespace {
// Nodes the incremental sweep inspects per put: enough to keep up with a
// steady insert rate, small enough that put stays O(1).
constexpr int kSweepPerPut = 4;
} // namespace

MemoryStore::MemoryStore(qint64 maxBytes, Clock clock)
    : m_maxBytes(std::max<qint64>(0, maxBytes))
    , m_clock(clock ? std::move(clock) : systemClock())
    , m_sweepCursor(m_lru.end())
{
}

QString MemoryStore::name() const
{
    return QStringLiteral("memory");
}

bool MemoryStore::expired(const Node& node, qint64 now) const
{
    return node.entry.expiresMs != 0 && node.entry.expiresMs <= now;
}

void MemoryStore::eraseLocked(List::iterator it)
{
    if (it == m_sweepCursor)
        ++m_sweepCursor;
    m_bytes -= it->bytes;
    m_index.remove(it->entry.key);
    m_lru.erase(it);
}

void MemoryStore::sweepLocked(qint64 now, Removed& removed)
{
    for (int i = 0; i < kSweepPerPut && !m_lru.empty(); ++i) {
        if (m_sweepCursor == m_lru.end())
            m_sweepCursor = m_lru.begin();
        auto it = m_sweepCursor++;
        if (expired(*it, now)) {
            removed.push_back(it->entry.key);
            ++m_expirations;
            eraseLocked(it);
        }
    }
}

void MemoryStore::notify(RemovalListener listener, const Removed& removed) const
{
    if (!listener)
        return;
    for (const auto& key : removed)
        listener(key);
}

std::optional<CacheEntry> MemoryStore::get(const QByteArray& key)
{
    Removed removed;
    RemovalListener listener;
    std::optional<CacheEntry> result;
    {
        std::lock_guard lock(m_mutex);
        const auto found = m_index.constFind(key);
        if (found == m_index.constEnd())
            return std::nullopt;
        const auto it = found.value();
        if (expired(*it, m_clock())) {
            removed.push_back(it->entry.key);
            ++m_expirations;
            eraseLocked(it);
            listener = m_listener;
        } else {
            m_lru.splice(m_lru.begin(), m_lru, it);
            result = it->entry;
        }
    }
    notify(std::move(listener), removed);
    return result;
}

bool MemoryStore::put(const CacheEntry& entry)
{
    const qint64 bytes = entry.byteSize();
    const qint64 now = m_clock();
    if (bytes > m_maxBytes || (entry.expiresMs != 0 && entry.expiresMs <= now))
        return false;

    Removed removed;
    RemovalListener listener;
    {
        std::lock_guard lock(m_mutex);
        // A replaced value is not "removed": the key stays in the store.
        if (const auto found = m_index.constFind(entry.key); found != m_index.constEnd())
            eraseLocked(found.value());
        sweepLocked(now, removed);
        while (m_bytes + bytes > m_maxBytes && !m_lru.empty()) {
            auto victim = std::prev(m_lru.end());
            if (expired(*victim, now))
                ++m_expirations;
            else
                ++m_evictions;
            removed.push_back(victim->entry.key);
            eraseLocked(victim);
        }
        m_lru.push_front(Node{entry, bytes});
        m_index.insert(entry.key, m_lru.begin());
        m_bytes += bytes;
        if (!removed.empty())
            listener = m_listener;
    }
    notify(std::move(listener), removed);
    return true;
}

bool MemoryStore::remove(const QByteArray& key)
{
    std::lock_guard lock(m_mutex);
    const auto found = m_index.constFind(key);
    if (found == m_index.constEnd())
        return false;
    eraseLocked(found.value());
    return true;
}

void MemoryStore::clear()
{
    std::lock_guard lock(m_mutex);
    m_index.clear();
    m_lru.clear();
    m_sweepCursor = m_lru.end();
    m_bytes = 0;
}

CacheStoreStats MemoryStore::stats() const
{
    std::lock_guard lock(m_mutex);
    CacheStoreStats s;
    s.entries = m_index.size();
    s.bytes = m_bytes;
    s.maxBytes = m_maxBytes;
    s.evictions = m_evictions;
    s.expirations = m_expirations;
    return s;
}

void MemoryStore::setRemovalListener(RemovalListener listener)
{
    std::lock_guard lock(m_mutex);
    m_listener = std::move(listener);
}

} // namespace querydeck
