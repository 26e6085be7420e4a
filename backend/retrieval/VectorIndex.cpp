#include "backend/retrieval/VectorIndex.h"

#include "backend/retrieval/SimdDot.h"

#include <algorithm>
#include <cmath>
#include <hnswlib/hnswlib.h>
#include <mutex>
#include <queue>
#include <stdexcept>

namespace querydeck {

namespace {

// hnswlib's distance for normalised vectors: 1 - cosine, computed with the
// run-time-selected SIMD kernel (hnswlib's own kernels are fixed at compile
// time, and a portable build only gets SSE from them). Vectors are floats, or
// int8 scaled by 127 when the index is quantized.
class CosineSpace final : public hnswlib::SpaceInterface<float>
{
public:
    CosineSpace(std::size_t dimension, bool quantized)
        : m_param{dimension, SimdDot::best(), SimdDot::bestInt8()}
        , m_quantized(quantized)
    {
    }
    std::size_t get_data_size() override
    {
        return m_param.dimension * (m_quantized ? sizeof(std::int8_t) : sizeof(float));
    }
    hnswlib::DISTFUNC<float> get_dist_func() override
    {
        return m_quantized ? &int8Distance : &floatDistance;
    }
    void* get_dist_func_param() override { return &m_param; }

private:
    struct Param
    {
        std::size_t dimension;
        SimdDot::Function dot;
        SimdDot::Int8Function dotInt8;
    };
    static float floatDistance(const void* a, const void* b, const void* param)
    {
        const auto* p = static_cast<const Param*>(param);
        return 1.0f -
               p->dot(static_cast<const float*>(a), static_cast<const float*>(b), p->dimension);
    }
    static float int8Distance(const void* a, const void* b, const void* param)
    {
        const auto* p = static_cast<const Param*>(param);
        constexpr float kScale = 1.0f / (127.0f * 127.0f);
        return 1.0f - float(p->dotInt8(static_cast<const std::int8_t*>(a),
                                       static_cast<const std::int8_t*>(b), p->dimension)) *
                          kScale;
    }
    Param m_param;
    bool m_quantized;
};

} // namespace

struct VectorIndex::Impl
{
    Impl(int dimension, const IndexOptions& options, std::size_t capacity)
        : space(static_cast<std::size_t>(dimension), options.quantized)
        , graph(std::make_unique<hnswlib::HierarchicalNSW<float>>(
              &space, capacity, static_cast<std::size_t>(options.m),
              static_cast<std::size_t>(options.efConstruction)))
    {
        graph->setEf(static_cast<std::size_t>(options.efSearch));
    }

    std::size_t live() const { return graph->cur_element_count - graph->num_deleted_; }

    CosineSpace space;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
};

VectorIndex::VectorIndex(int dimension, IndexOptions options)
    : m_dimension(dimension)
    , m_options(options)
{
    if (dimension <= 0)
        throw std::invalid_argument("VectorIndex: dimension must be positive");
    m_impl = std::make_unique<Impl>(
        dimension, m_options, static_cast<std::size_t>(std::max(16, options.initialCapacity)));
}

VectorIndex::~VectorIndex() = default;

std::size_t VectorIndex::size() const
{
    std::shared_lock lock(m_mutex);
    return m_impl->live();
}

const void* VectorIndex::encode(std::span<const float> vector,
                                std::vector<std::int8_t>& buffer) const
{
    if (!m_options.quantized)
        return vector.data();
    buffer.resize(vector.size());
    for (std::size_t i = 0; i < vector.size(); ++i)
        buffer[i] =
            static_cast<std::int8_t>(std::lround(std::clamp(vector[i], -1.0f, 1.0f) * 127.0f));
    return buffer.data();
}

void VectorIndex::add(std::uint64_t label, std::span<const float> vector)
{
    if (vector.size() != static_cast<std::size_t>(m_dimension))
        throw std::invalid_argument("VectorIndex: vector has the wrong dimension");
    std::unique_lock lock(m_mutex);
    auto& graph = *m_impl->graph;
    if (graph.cur_element_count >= graph.max_elements_ && !graph.label_lookup_.count(label)) {
        if (graph.num_deleted_ * 2 > graph.cur_element_count)
            compactLocked();
        else
            m_impl->graph->resizeIndex(m_impl->graph->max_elements_ * 2);
    }
    std::vector<std::int8_t> buffer;
    m_impl->graph->addPoint(encode(vector, buffer), label);
}

bool VectorIndex::remove(std::uint64_t label)
{
    std::unique_lock lock(m_mutex);
    auto& graph = *m_impl->graph;
    auto it = graph.label_lookup_.find(label);
    if (it == graph.label_lookup_.end() || graph.isMarkedDeleted(it->second))
        return false;
    graph.markDelete(label);
    // Tombstones slow searches and hold memory; rebuild once they dominate.
    if (graph.num_deleted_ > 1024 && graph.num_deleted_ * 2 > graph.cur_element_count)
        compactLocked();
    return true;
}

bool VectorIndex::contains(std::uint64_t label) const
{
    std::shared_lock lock(m_mutex);
    const auto& graph = *m_impl->graph;
    auto it = graph.label_lookup_.find(label);
    return it != graph.label_lookup_.end() && !graph.isMarkedDeleted(it->second);
}

void VectorIndex::clear()
{
    std::unique_lock lock(m_mutex);
    m_impl = std::make_unique<Impl>(
        m_dimension, m_options, static_cast<std::size_t>(std::max(16, m_options.initialCapacity)));
}

void VectorIndex::compactLocked()
{
    auto& old = *m_impl->graph;
    const std::size_t live = m_impl->live();
    auto fresh =
        std::make_unique<Impl>(m_dimension, m_options, std::max<std::size_t>(live * 2, 16));
    for (std::size_t id = 0; id < old.cur_element_count; ++id) {
        const auto internal = static_cast<hnswlib::tableint>(id);
        if (!old.isMarkedDeleted(internal))
            fresh->graph->addPoint(old.getDataByInternalId(internal),
                                   old.getExternalLabel(internal));
    }
    m_impl = std::move(fresh);
}

std::vector<Neighbour> VectorIndex::scan(std::span<const float> query, int k) const
{
    const auto& graph = *m_impl->graph;
    // The space's SIMD kernel: a plain loop is one serial dependency chain
    // and made exact scans (small indexes, recall checks) several times slower.
    const auto distance = m_impl->space.get_dist_func();
    const void* params = m_impl->space.get_dist_func_param();
    std::vector<std::int8_t> buffer;
    const void* encoded = encode(query, buffer);
    using Scored = std::pair<float, std::uint64_t>; // min-heap on similarity keeps the best k
    std::priority_queue<Scored, std::vector<Scored>, std::greater<>> best;
    for (std::size_t id = 0; id < graph.cur_element_count; ++id) {
        const auto internal = static_cast<hnswlib::tableint>(id);
        if (graph.isMarkedDeleted(internal))
            continue;
        const float similarity =
            1.0f - distance(encoded, graph.getDataByInternalId(internal), params);
        best.emplace(similarity, graph.getExternalLabel(internal));
        if (best.size() > static_cast<std::size_t>(k))
            best.pop();
    }
    std::vector<Neighbour> out(best.size());
    for (auto i = out.size(); i-- > 0; best.pop())
        out[i] = {best.top().second, best.top().first};
    return out;
}

std::vector<Neighbour> VectorIndex::searchExact(std::span<const float> query, int k) const
{
    if (k <= 0 || query.size() != static_cast<std::size_t>(m_dimension))
        return {};
    std::shared_lock lock(m_mutex);
    return scan(query, k);
}

std::vector<Neighbour> VectorIndex::search(std::span<const float> query, int k) const
{
    if (k <= 0 || query.size() != static_cast<std::size_t>(m_dimension))
        return {};
    std::shared_lock lock(m_mutex);
    if (m_impl->live() == 0)
        return {};
    if (m_impl->live() < static_cast<std::size_t>(m_options.bruteForceBelow))
        return scan(query, k);
    std::vector<std::int8_t> buffer;
    auto result = m_impl->graph->searchKnn(encode(query, buffer), static_cast<std::size_t>(k));
    std::vector<Neighbour> out(result.size());
    for (auto i = out.size(); i-- > 0; result.pop())
        out[i] = {result.top().second, 1.0f - result.top().first};
    return out;
}

std::size_t VectorIndex::memoryBytes() const
{
    std::shared_lock lock(m_mutex);
    const auto& graph = *m_impl->graph;
    return graph.max_elements_ * graph.size_data_per_element_ +
           graph.cur_element_count * (sizeof(void*) + graph.size_links_per_element_ / 2);
}

} // namespace querydeck
