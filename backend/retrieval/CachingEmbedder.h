#pragma once

#include "backend/retrieval/Embedder.h"

#include <QHash>
#include <atomic>
#include <list>
#include <memory>
#include <mutex>

namespace querydeck {

// Wraps an embedder with a bounded LRU cache of text -> vector, so repeated
// queries (and the exact-tier misses that follow each other) skip the slow
// embedder. Only successful embeddings are cached. Capacity 0 passes every
// call through (each counted as a miss). Thread-safe: the cache is guarded by
// a mutex that is never held while the inner embedder runs, so two threads
// missing on the same text may both embed it (the second result is kept).
class CachingEmbedder final : public Embedder
{
public:
    CachingEmbedder(std::shared_ptr<Embedder> inner, int capacity);

    int dimension() const override { return m_inner->dimension(); }
    QString id() const override { return m_inner->id(); }
    Embedding embed(const QString& text) override;

    int capacity() const { return m_capacity; }
    int size() const;
    quint64 hits() const { return m_hits.load(std::memory_order_relaxed); }
    quint64 misses() const { return m_misses.load(std::memory_order_relaxed); }

private:
    struct Entry
    {
        QString text;
        std::vector<float> vector;
    };
    using List = std::list<Entry>;

    std::shared_ptr<Embedder> m_inner;
    int m_capacity;
    mutable std::mutex m_mutex;
    List m_lru; // most recently used first
    QHash<QString, List::iterator> m_byText;
    std::atomic<quint64> m_hits{0};
    std::atomic<quint64> m_misses{0};
};

} // namespace querydeck
