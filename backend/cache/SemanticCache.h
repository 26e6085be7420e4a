#pragma once

#include "backend/cache/CacheConfig.h"
#include "backend/cache/CacheStore.h"
#include "backend/common/Clock.h"
#include "backend/retrieval/VectorIndex.h"

#include <QByteArray>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <vector>

namespace querydeck {

enum class CacheTier
{
    Exact,
    Semantic,
    Miss
};

struct CacheLookup
{
    CacheTier tier = CacheTier::Miss;
    std::optional<CacheEntry> entry;
    float similarity = 0; // semantic hits only
    QString normalized;   // of the query looked up
    QByteArray key;       // exact-tier key of the query looked up
};

// The two-tier answer cache in front of retrieval and generation. Exact tier:
// normalised query text -> SHA-256 key -> CacheStore. Semantic tier: an HNSW
// index of cached query embeddings; a new query whose nearest cached query
// has cosine >= threshold is served that entry. The store owns the entries
// (memory now, Redis later) and its TTL/eviction; this class only keeps its
// index in step with it, through the store's removal listener and by
// dropping index points whose entry the store no longer has. It installs
// itself as the store's (only) removal listener. Queries that normalise to
// nothing are never cached; ttlSeconds <= 0 means entries do not expire.
//
// Thread-safe: lookups and inserts run concurrently from any thread.
// setNamespace()/clear() wait for in-flight inserts and semantic lookups.
// The index may briefly keep a point whose entry was evicted while it was
// being inserted; the first lookup that meets it drops it.
class SemanticCache
{
public:
    // Throws std::invalid_argument for a null store or a dimension <= 0.
    SemanticCache(std::shared_ptr<CacheStore> store, const CacheConfig& config, int dimension,
                  QByteArray namespaceTag, Clock clock = systemClock(),
                  IndexOptions indexOptions = {});
    // HNSW settings for the cache tier. A semantic hit needs a near-duplicate
    // (cosine >= 0.95), which a narrow beam finds as reliably as a wide one,
    // and every miss inserts: so a smaller beam and build width than corpus
    // retrieval uses. tests/bench/bench_semantic measures recall at 100k.
    static IndexOptions recommendedIndexOptions();
    ~SemanticCache();
    SemanticCache(const SemanticCache&) = delete;
    SemanticCache& operator=(const SemanticCache&) = delete;

    // Normalises and keys the query; Exact or Miss, normalized/key filled either way.
    CacheLookup lookupExact(const QString& query) const;
    // lookupExact() never waits on I/O (the store is in process memory).
    bool exactLookupNeverBlocks() const;
    // Nearest cached query with cosine >= threshold -> Semantic, else Miss.
    // The embedding need not be normalised; a wrong dimension or zero vector misses.
    CacheLookup lookupSemantic(const CacheLookup& exactMiss, std::span<const float> embedding);
    // Stores the answer under the miss's key (TTL from config) and indexes the
    // embedding. False when disabled, refused by the store, the embedding is
    // unusable, or the lookup was made under a namespace no longer current.
    bool insert(const CacheLookup& miss, std::vector<float> embedding, QByteArray payload);
    // Indexes an entry some replica already stored (shared store: the stream
    // follower and the start-up rebuild). False when it belongs to another
    // namespace, its embedding is unusable, or it is already indexed.
    bool adopt(const CacheEntry& entry);
    // While false (index being rebuilt from a shared store) lookupSemantic
    // misses, so only the exact tier serves. True by default.
    void setSemanticAvailable(bool available);
    bool semanticAvailable() const;
    // The corpus changed: entries of the old namespace can never match again.
    void setNamespace(QByteArray namespaceTag);
    void clear();

    CacheStoreStats storeStats() const;
    std::size_t indexSize() const;
    QString storeName() const;
    const CacheConfig& config() const;

protected:
    // Index label of a key; must be a pure function (the store's removal
    // listener may call it on any thread, even while this object is going away).
    using LabelFunction = std::uint64_t (*)(const QByteArray& key);
    // A stable 64-bit hash (FNV-1a) of the key.
    static std::uint64_t defaultLabel(const QByteArray& key);
    // For tests that force label collisions; call before the first insert.
    // Two keys sharing a label: the newer one owns the index point.
    void setLabelFunction(LabelFunction function);

private:
    struct Tier;

    void clearLocked();
    static bool normalise(std::vector<float>& vector);

    const std::shared_ptr<CacheStore> m_store;
    const CacheConfig m_config;
    const int m_dimension;
    const Clock m_clock;
    mutable std::shared_mutex m_namespaceMutex; // shared: inserts, lookups; unique: clear
    QByteArray m_namespace;
    std::shared_ptr<Tier> m_tier; // shared with the store's removal listener
    std::atomic<bool> m_semanticAvailable{true};
};

} // namespace querydeck
