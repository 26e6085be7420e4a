#include "backend/retrieval/CachingEmbedder.h"

#include <algorithm>
#include <stdexcept>

namespace querydeck {

CachingEmbedder::CachingEmbedder(std::shared_ptr<Embedder> inner, int capacity)
    : m_inner(std::move(inner))
    , m_capacity(std::max(0, capacity))
{
    if (!m_inner)
        throw std::invalid_argument("CachingEmbedder: inner embedder is null");
}

int CachingEmbedder::size() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_lru.size());
}

Embedding CachingEmbedder::embed(const QString& text)
{
    if (m_capacity > 0) {
        std::lock_guard lock(m_mutex);
        if (auto it = m_byText.constFind(text); it != m_byText.cend()) {
            m_lru.splice(m_lru.begin(), m_lru, *it);
            m_hits.fetch_add(1, std::memory_order_relaxed);
            return Embedding{m_lru.front().vector, {}};
        }
    }
    m_misses.fetch_add(1, std::memory_order_relaxed);

    Embedding result = m_inner->embed(text);
    if (m_capacity == 0 || !result.ok())
        return result;

    std::lock_guard lock(m_mutex);
    if (auto it = m_byText.constFind(text); it != m_byText.cend()) {
        (*it)->vector = result.vector; // another thread got here first
        m_lru.splice(m_lru.begin(), m_lru, *it);
        return result;
    }
    m_lru.push_front({text, result.vector});
    m_byText.insert(text, m_lru.begin());
    while (m_lru.size() > static_cast<std::size_t>(m_capacity)) {
        m_byText.remove(m_lru.back().text);
        m_lru.pop_back();
    }
    return result;
}

} // namespace querydeck
