#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <span>
#include <vector>

namespace querydeck {

struct IndexOptions
{
    int m = 16;                 // HNSW graph degree
    int efConstruction = 200;   // build-time beam width
    int efSearch = 64;          // query-time beam width (recall vs speed)
    int initialCapacity = 1024; // grows by doubling
    int bruteForceBelow = 1000; // exact scan while the index is this small
    // Store vectors as int8 (value x 127): a quarter of the memory and memory
    // traffic, which is what bounds HNSW search at scale. Similarities are
    // then approximate (within about 0.01); callers that need an exact
    // cut-off re-score the few candidates with the float vectors.
    bool quantized = false;
};

struct Neighbour
{
    std::uint64_t label = 0;
    float similarity = 0.0f; // cosine similarity of L2-normalised vectors
};

// Nearest-neighbour index over L2-normalised vectors (cosine via inner
// product), backed by hnswlib. Used for corpus retrieval and for the semantic
// tier of the cache. Labels are caller-chosen; adding an existing label
// replaces its vector. Thread-safe: searches run concurrently under a shared
// lock, mutations take it exclusively. Removed points are tombstoned and the
// graph is compacted when tombstones outnumber live points.
class VectorIndex
{
public:
    explicit VectorIndex(int dimension, IndexOptions options = {});
    ~VectorIndex();
    VectorIndex(const VectorIndex&) = delete;
    VectorIndex& operator=(const VectorIndex&) = delete;

    int dimension() const { return m_dimension; }
    const IndexOptions& options() const { return m_options; }
    std::size_t size() const;

    void add(std::uint64_t label, std::span<const float> vector);
    bool remove(std::uint64_t label);
    bool contains(std::uint64_t label) const;
    void clear();

    // Approximate k nearest neighbours, best first (exact while small).
    std::vector<Neighbour> search(std::span<const float> query, int k) const;
    // Exact k nearest neighbours by scanning every point; the recall reference.
    std::vector<Neighbour> searchExact(std::span<const float> query, int k) const;

    // Bytes held by vectors and graph links, for memory accounting.
    std::size_t memoryBytes() const;

    // Maximum error of a similarity from a quantized index.
    static constexpr float kQuantizationError = 0.02f;

private:
    struct Impl;
    // The bytes the graph stores for `vector`: floats as they are, or int8.
    const void* encode(std::span<const float> vector, std::vector<std::int8_t>& buffer) const;
    std::vector<Neighbour> scan(std::span<const float> query, int k) const;
    void compactLocked();

    int m_dimension;
    IndexOptions m_options;
    mutable std::shared_mutex m_mutex;
    std::unique_ptr<Impl> m_impl;
};

} // namespace querydeck
