#include "backend/cache/SemanticCache.h"

#include "backend/cache/QueryNormalizer.h"
#include "backend/common/Fnv1a.h"

#include <cmath>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace querydeck {

namespace {
// Neighbours examined per semantic lookup, so a few stale index points (entry
// expired in a shared store before we heard of it) do not hide a live one.
constexpr int kCandidates = 4;

// Cosine of the (normalised) query and a stored embedding; the index's own
// figure when the entry carries no embedding of the right size.
float exactSimilarity(const std::vector<float>& query, const std::vector<float>& stored,
                      float fallback)
{
    if (stored.size() != query.size())
        return fallback;
    double dot = 0, norm = 0;
    for (std::size_t i = 0; i < query.size(); ++i) {
        dot += double(query[i]) * stored[i];
        norm += double(stored[i]) * stored[i];
    }
    return norm > 0 ? float(dot / std::sqrt(norm)) : fallback;
}
} // namespace

// The semantic index and its label -> key map. Lives in a shared_ptr so the
// store's removal listener can hold it weakly and outlive nothing.
struct SemanticCache::Tier
{
    Tier(int dimension, const IndexOptions& options)
        : index(dimension, options)
    {
    }

    struct Slot
    {
        QByteArray key;
        // Distinguishes a re-insert of the same key from the point a lookup
        // found stale, so a racing lookup never drops a fresh point.
        std::uint64_t generation = 0;
    };

    // The store let go of `key` (evicted or expired).
    void drop(const QByteArray& key)
    {
        std::unique_lock lock(mutex);
        const auto label = labelFunction(key);
        const auto it = labels.find(label);
        if (it == labels.end() || it->second.key != key)
            return; // never indexed, or the label now belongs to a colliding key
        labels.erase(it);
        index.remove(label);
    }

    void dropIfUnchanged(std::uint64_t label, const Slot& seen)
    {
        std::unique_lock lock(mutex);
        const auto it = labels.find(label);
        if (it == labels.end() || it->second.generation != seen.generation)
            return;
        labels.erase(it);
        index.remove(label);
    }

    VectorIndex index;
    std::shared_mutex mutex; // guards labels, nextGeneration, labelFunction
    std::unordered_map<std::uint64_t, Slot> labels;
    std::uint64_t nextGeneration = 0;
    LabelFunction labelFunction = &SemanticCache::defaultLabel;
};

SemanticCache::SemanticCache(std::shared_ptr<CacheStore> store, const CacheConfig& config,
                             int dimension, QByteArray namespaceTag, Clock clock,
                             IndexOptions indexOptions)
    : m_store(std::move(store))
    , m_config(config)
    , m_dimension(dimension)
    , m_clock(clock ? std::move(clock) : systemClock())
    , m_namespace(std::move(namespaceTag))
    , m_tier(std::make_shared<Tier>(dimension, indexOptions))
{
    if (!m_store)
        throw std::invalid_argument("SemanticCache: store must not be null");
    m_store->setRemovalListener([tier = std::weak_ptr<Tier>(m_tier)](const QByteArray& key) {
        if (const auto alive = tier.lock())
            alive->drop(key);
    });
}

SemanticCache::~SemanticCache()
{
    m_store->setRemovalListener({});
}

std::uint64_t SemanticCache::defaultLabel(const QByteArray& key)
{
    return Fnv1a().addBytes(QByteArrayView(key)).value();
}

void SemanticCache::setLabelFunction(LabelFunction function)
{
    std::unique_lock lock(m_tier->mutex);
    m_tier->labelFunction = function ? function : &SemanticCache::defaultLabel;
}

bool SemanticCache::normalise(std::vector<float>& vector)
{
    double sum = 0;
    for (const float v : vector)
        sum += double(v) * double(v);
    if (!(sum > 0) || !std::isfinite(sum))
        return false;
    const auto scale = float(1.0 / std::sqrt(sum));
    for (float& v : vector)
        v *= scale;
    return true;
}

CacheLookup SemanticCache::lookupExact(const QString& query) const
{
    CacheLookup result;
    result.normalized = QueryNormalizer::normalize(query);
    QByteArray tag;
    {
        std::shared_lock lock(m_namespaceMutex);
        tag = m_namespace;
    }
    result.key = QueryNormalizer::key(result.normalized, tag);
    // Text that is nothing but punctuation and spaces carries no question.
    if (!m_config.enabled || result.normalized.isEmpty())
        return result;
    if (auto entry = m_store->get(result.key)) {
        result.tier = CacheTier::Exact;
        result.entry = std::move(entry);
    }
    return result;
}

bool SemanticCache::exactLookupNeverBlocks() const
{
    return m_store->readsWithoutBlocking();
}

IndexOptions SemanticCache::recommendedIndexOptions()
{
    IndexOptions options;
    options.m = 12;
    options.efConstruction = 100;
    options.efSearch = 16;
    options.quantized = true; // candidates only: lookupSemantic re-scores exactly
    return options;
}

CacheLookup SemanticCache::lookupSemantic(const CacheLookup& exactMiss,
                                          std::span<const float> embedding)
{
    CacheLookup result;
    result.normalized = exactMiss.normalized;
    result.key = exactMiss.key;
    if (!m_config.enabled || !m_config.semantic || !semanticAvailable() ||
        embedding.size() != static_cast<std::size_t>(m_dimension))
        return result;
    std::vector<float> query(embedding.begin(), embedding.end());
    if (!normalise(query))
        return result;

    // Held so that no entry of a namespace being replaced is served after
    // setNamespace() returns.
    std::shared_lock nsLock(m_namespaceMutex);
    // A quantized index gives approximate similarities: take candidates
    // within its error of the threshold and decide on the exact cosine with
    // the entry's own embedding.
    const double margin = m_tier->index.options().quantized ? VectorIndex::kQuantizationError : 0.0;
    for (const auto& neighbour : m_tier->index.search(query, kCandidates)) {
        if (double(neighbour.similarity) < m_config.similarityThreshold - margin)
            break; // best first
        Tier::Slot slot;
        {
            std::shared_lock lock(m_tier->mutex);
            const auto it = m_tier->labels.find(neighbour.label);
            if (it == m_tier->labels.end())
                continue;
            slot = it->second;
        }
        // Outside the tier lock: get() may call the removal listener.
        auto entry = m_store->get(slot.key);
        if (entry && entry->key == slot.key) {
            const float similarity = exactSimilarity(query, entry->embedding, neighbour.similarity);
            if (double(similarity) < m_config.similarityThreshold)
                continue;
            result.tier = CacheTier::Semantic;
            result.entry = std::move(entry);
            result.similarity = similarity;
            return result;
        }
        // The store let it go without telling us (shared store, lost race).
        m_tier->dropIfUnchanged(neighbour.label, slot);
    }
    return result;
}

bool SemanticCache::insert(const CacheLookup& miss, std::vector<float> embedding,
                           QByteArray payload)
{
    if (!m_config.enabled || miss.normalized.isEmpty())
        return false;
    if (m_config.semantic &&
        (embedding.size() != static_cast<std::size_t>(m_dimension) || !normalise(embedding)))
        return false;

    // Shared for the whole insert so a concurrent setNamespace() cannot clear
    // between our key check and the store write.
    std::shared_lock nsLock(m_namespaceMutex);
    // Also rejects lookups made before a namespace change, or forged keys.
    if (QueryNormalizer::key(miss.normalized, m_namespace) != miss.key)
        return false;

    CacheEntry entry;
    entry.key = miss.key;
    entry.normalizedQuery = miss.normalized;
    entry.embedding = std::move(embedding);
    entry.payload = std::move(payload);
    entry.createdMs = m_clock();
    entry.expiresMs = m_config.ttlSeconds > 0 ? entry.createdMs + m_config.ttlSeconds * 1000 : 0;
    // Store first, index second: the listener never runs under the tier lock,
    // and a point evicted before it was indexed is dropped by the next lookup
    // that finds it.
    if (!m_store->put(entry))
        return false;
    if (m_config.semantic) {
        std::unique_lock lock(m_tier->mutex);
        const auto label = m_tier->labelFunction(entry.key);
        m_tier->labels[label] = Tier::Slot{entry.key, ++m_tier->nextGeneration};
        m_tier->index.add(label, entry.embedding);
    }
    return true;
}

bool SemanticCache::adopt(const CacheEntry& entry)
{
    if (!m_config.enabled || !m_config.semantic || entry.normalizedQuery.isEmpty() ||
        entry.embedding.size() != static_cast<std::size_t>(m_dimension))
        return false;
    std::vector<float> embedding = entry.embedding;
    if (!normalise(embedding))
        return false;
    std::shared_lock nsLock(m_namespaceMutex);
    // The key commits to the namespace: entries made for another corpus, or
    // whose key does not match their query, are never indexed.
    if (QueryNormalizer::key(entry.normalizedQuery, m_namespace) != entry.key)
        return false;
    std::unique_lock lock(m_tier->mutex);
    const auto label = m_tier->labelFunction(entry.key);
    if (const auto it = m_tier->labels.find(label);
        it != m_tier->labels.end() && it->second.key == entry.key)
        return false; // our own insert, or seen already
    m_tier->labels[label] = Tier::Slot{entry.key, ++m_tier->nextGeneration};
    m_tier->index.add(label, embedding);
    return true;
}

void SemanticCache::setSemanticAvailable(bool available)
{
    m_semanticAvailable.store(available, std::memory_order_release);
}

bool SemanticCache::semanticAvailable() const
{
    return m_semanticAvailable.load(std::memory_order_acquire);
}

void SemanticCache::setNamespace(QByteArray namespaceTag)
{
    std::unique_lock lock(m_namespaceMutex);
    m_namespace = std::move(namespaceTag);
    clearLocked();
}

void SemanticCache::clear()
{
    std::unique_lock lock(m_namespaceMutex);
    clearLocked();
}

void SemanticCache::clearLocked()
{
    m_store->clear();
    std::unique_lock lock(m_tier->mutex);
    m_tier->index.clear();
    m_tier->labels.clear();
}

CacheStoreStats SemanticCache::storeStats() const
{
    return m_store->stats();
}

std::size_t SemanticCache::indexSize() const
{
    return m_tier->index.size();
}

QString SemanticCache::storeName() const
{
    return m_store->name();
}

const CacheConfig& SemanticCache::config() const
{
    return m_config;
}

} // namespace querydeck
