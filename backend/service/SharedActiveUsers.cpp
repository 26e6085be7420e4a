#include "backend/service/SharedActiveUsers.h"

#include "backend/redis/RedisPool.h"

#include <algorithm>

namespace querydeck {

namespace {

constexpr int kBucketsPerWindow = 5;
constexpr qsizetype kIdsPerPfadd = 1000;

} // namespace

SharedActiveUsers::SharedActiveUsers(std::shared_ptr<RedisPool> pool, QByteArray prefix,
                                     std::chrono::seconds window, Clock clock, int maxBuffered)
    : m_pool(std::move(pool))
    , m_prefix(std::move(prefix))
    , m_window(std::max(window, std::chrono::seconds(1)))
    , m_clock(clock ? std::move(clock) : systemClock())
    , m_bucketMs(std::max<qint64>(1000, qint64(m_window.count()) * 1000 / kBucketsPerWindow))
    , m_maxBuffered(std::max(1, maxBuffered))
{
}

QByteArray SharedActiveUsers::bucketKey(qint64 nowMs) const
{
    return m_prefix + ":users:" + QByteArray::number((nowMs / m_bucketMs) * m_bucketMs / 1000);
}

void SharedActiveUsers::record(const QString& clientId)
{
    if (clientId.isEmpty())
        return;
    const QByteArray key = bucketKey(m_clock());
    std::lock_guard lock(m_mutex);
    addPendingLocked(key, clientId);
}

void SharedActiveUsers::addPendingLocked(const QByteArray& key, const QString& clientId)
{
    if (m_pendingCount >= m_maxBuffered)
        return;
    QSet<QString>& ids = m_pending[key];
    const qsizetype before = ids.size();
    ids.insert(clientId);
    m_pendingCount += int(ids.size() - before);
}

std::optional<qint64> SharedActiveUsers::count()
{
    QHash<QByteArray, QSet<QString>> pending;
    {
        std::lock_guard lock(m_mutex);
        pending.swap(m_pending);
        m_pendingCount = 0;
    }
    // A bucket lives until the window no longer reaches it.
    const QByteArray ttl =
        QByteArray::number((qint64(m_window.count()) * 1000 + 2 * m_bucketMs) / 1000);
    std::vector<RedisConnection::Args> commands;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        RedisConnection::Args add{"PFADD", it.key()};
        for (const QString& id : it.value()) {
            add.push_back(id.toUtf8());
            if (qsizetype(add.size()) >= kIdsPerPfadd + 2) {
                commands.push_back(std::move(add));
                add = {"PFADD", it.key()};
            }
        }
        if (add.size() > 2)
            commands.push_back(std::move(add));
        commands.push_back({"EXPIRE", it.key(), ttl});
    }
    // The current bucket and the ones before it that cover one whole window.
    const qint64 now = m_clock();
    RedisConnection::Args countArgs{"PFCOUNT"};
    for (int back = 0; back <= kBucketsPerWindow; ++back)
        countArgs.push_back(bucketKey(now - back * m_bucketMs));
    commands.push_back(std::move(countArgs));
    const std::vector<RedisReply> replies = m_pool->runPipeline(commands);
    if (replies.size() != commands.size() || replies.back().type != RedisReply::Type::Integer) {
        // Keep what was not sent, within the bound, for the next attempt.
        std::lock_guard lock(m_mutex);
        for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
            for (const QString& id : it.value())
                addPendingLocked(it.key(), id);
        }
        return std::nullopt;
    }
    return replies.back().integer;
}

} // namespace querydeck
