#include "backend/metrics/GroupIndex.h"

namespace querydeck {

std::pair<std::size_t, bool> GroupIndex::findOrInsert(const QString& id, std::size_t next)
{
    if (m_large.isEmpty()) {
        for (const auto& [key, value] : m_small) {
            if (key == id)
                return {value, false};
        }
        if (m_small.size() < kLinearLimit) {
            m_small.emplace_back(id, next);
            return {next, true};
        }
        for (const auto& [key, value] : m_small)
            m_large.insert(key, value);
        m_small.clear();
    }
    const auto found = m_large.constFind(id);
    if (found != m_large.cend())
        return {found.value(), false};
    m_large.insert(id, next);
    return {next, true};
}

} // namespace querydeck
