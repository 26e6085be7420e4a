#include "service/SharedActiveUsers.h"

#include "redis/RedisPool.h"

#include <algorithm>

namespace querydeck {

SharedActiveUsers::SharedActiveUsers(std::shared_ptr<RedisPool> pool, QByteArray prefix,
                                     std::chrono::seconds window, Clock clock, int maxBuffered)
    : m_pool(std::move(pool))
    , m_prefix(std::move(prefix))
    , m_window(std::max(window, std::chrono::seconds(1)))
    , m_clock(clock ? std::move(clock) : systemClock())
    , m_maxBuffered(std::max(1, maxBuffered))
{
}

QByteArray SharedActiveUsers::windowKey(qint64 nowMs) const
{
    const qint64 windowMs = qint64(m_window.count()) * 1000;
    return m_prefix + ":users:" + QByteArray::number((nowMs / windowMs) * windowMs / 1000);
}

void SharedActiveUsers::record(const QString& clientId)
{
    if (clientId.isEmpty())
        return;
    std::lock_guard lock(m_mutex);
    if (m_pending.size() < m_maxBuffered)
        m_pending.insert(clientId);
}

std::optional<qint64> SharedActiveUsers::count()
{
    QSet<QString> pending;
    {
        std::lock_guard lock(m_mutex);
        pending.swap(m_pending);
    }
    const QByteArray key = windowKey(m_clock());
    std::vector<RedisConnection::Args> commands;
    RedisConnection::Args add{"PFADD", key};
    for (const QString& id : std::as_const(pending)) {
        add.push_back(id.toUtf8());
        if (add.size() >= 1002) {
            commands.push_back(std::move(add));
            add = {"PFADD", key};
        }
    }
    if (add.size() > 2)
        commands.push_back(std::move(add));
    commands.push_back({"EXPIRE", key, QByteArray::number(qint64(m_window.count()) * 2)});
    commands.push_back({"PFCOUNT", key});
    const std::vector<RedisReply> replies = m_pool->runPipeline(commands);
    if (replies.size() != commands.size() || replies.back().type != RedisReply::Type::Integer) {
        // Keep what was not sent, within the bound, for the next attempt.
        std::lock_guard lock(m_mutex);
        for (const QString& id : std::as_const(pending))
            if (m_pending.size() < m_maxBuffered)
                m_pending.insert(id);
        return std::nullopt;
    }
    return replies.back().integer;
}

} // namespace querydeck
