#include "backend/service/ActiveUsers.h"

#include <algorithm>

namespace querydeck {

ActiveUsers::ActiveUsers(std::chrono::milliseconds window, int maxTracked, Clock clock)
    : m_window(std::max(window, std::chrono::milliseconds(1)))
    , m_maxTracked(std::max(maxTracked, 1))
    , m_clock(std::move(clock))
{
}

void ActiveUsers::touch(const QString& clientId)
{
    if (clientId.isEmpty())
        return;
    if (m_observer)
        m_observer(clientId);
    const qint64 clockMs = m_clock();
    std::lock_guard lock(m_mutex);
    const qint64 now = std::max(clockMs, m_latestMs);
    m_latestMs = now;

    const auto found = m_index.constFind(clientId);
    if (found != m_index.constEnd()) {
        m_recent.splice(m_recent.begin(), m_recent, found.value());
        m_recent.front().seenMs = now;
        return;
    }
    expireLocked(now);
    if (static_cast<int>(m_recent.size()) >= m_maxTracked) {
        const Entry& oldest = m_recent.back();
        m_floorUntilMs = std::max(m_floorUntilMs, oldest.seenMs + m_window.count());
        m_index.remove(oldest.clientId);
        m_recent.pop_back();
    }
    m_recent.push_front(Entry{clientId, now});
    m_index.insert(clientId, m_recent.begin());
}

void ActiveUsers::expireLocked(qint64 nowMs) const
{
    const qint64 cutoff = nowMs - m_window.count();
    while (!m_recent.empty() && m_recent.back().seenMs <= cutoff) {
        m_index.remove(m_recent.back().clientId);
        m_recent.pop_back();
    }
}

int ActiveUsers::count() const
{
    const qint64 clockMs = m_clock();
    std::lock_guard lock(m_mutex);
    expireLocked(std::max(clockMs, m_latestMs));
    return static_cast<int>(m_recent.size());
}

bool ActiveUsers::isSaturated() const
{
    const qint64 clockMs = m_clock();
    std::lock_guard lock(m_mutex);
    return std::max(clockMs, m_latestMs) < m_floorUntilMs;
}

} // namespace querydeck
