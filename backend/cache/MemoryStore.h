#pragma once

#include "backend/cache/CacheStore.h"
#include "backend/common/Clock.h"

#include <QHash>
#include <list>
#include <mutex>

namespace querydeck {

// In-process CacheStore for local dev mode and single replicas: a hash map
// over an LRU list, bounded in bytes (CacheEntry::byteSize), least recently
// used entries evicted first. Expired entries are never returned; they are
// dropped when touched and by a small sweep on every put (no timer thread).
// Thread-safe: one mutex; the removal listener is called after it is
// released, so the listener may call back into the store.
class MemoryStore final : public CacheStore
{
public:
    explicit MemoryStore(qint64 maxBytes, Clock clock = systemClock());

    QString name() const override;
    std::optional<CacheEntry> get(const QByteArray& key) override;
    bool readsWithoutBlocking() const override { return true; }
    bool put(const CacheEntry& entry) override;
    bool remove(const QByteArray& key) override;
    void clear() override;
    CacheStoreStats stats() const override;
    void setRemovalListener(RemovalListener listener) override;

private:
    struct Node
    {
        CacheEntry entry;
        qint64 bytes = 0;
    };
    using List = std::list<Node>; // front: most recently used
    using Removed = std::vector<QByteArray>;

    bool expired(const Node& node, qint64 now) const;
    void eraseLocked(List::iterator it);
    void sweepLocked(qint64 now, Removed& removed);
    void notify(RemovalListener listener, const Removed& removed) const;

    const qint64 m_maxBytes;
    const Clock m_clock;
    mutable std::mutex m_mutex;
    List m_lru;
    QHash<QByteArray, List::iterator> m_index;
    List::iterator m_sweepCursor; // walks the list a few nodes per put
    qint64 m_bytes = 0;
    qint64 m_evictions = 0;
    qint64 m_expirations = 0;
    RemovalListener m_listener;
};

} // namespace querydeck
