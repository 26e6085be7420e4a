#pragma once

#include "backend/common/Clock.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace querydeck {

class RedisPool;

// Distinct clients across every replica over a sliding window (default 5
// minutes): a Redis HyperLogLog per fifth of the window, key
// `<prefix>:users:<bucket start, s since epoch>`, expiring once the window has
// moved past it; count() is PFCOUNT over the buckets that cover the last window
// (Redis merges them), so the figure slides by a fifth of the window instead
// of dropping to zero each time a fixed window starts. record() only buffers,
// each id under the bucket it arrived in (no Redis on the request path);
// count() — at scrape time — sends the buffer (PFADD) and reads the union in
// one round trip. Without Redis it returns nullopt and the caller shows its
// local ActiveUsers figure.
//
// Thread-safe. The buffer is bounded: beyond maxBuffered ids between two
// counts, new ids wait until they are seen again.
class SharedActiveUsers
{
public:
    SharedActiveUsers(std::shared_ptr<RedisPool> pool, QByteArray prefix,
                      std::chrono::seconds window = std::chrono::minutes(5),
                      Clock clock = systemClock(), int maxBuffered = 20000);

    void record(const QString& clientId);
    std::optional<qint64> count();
    // The bucket a client seen at nowMs is counted in.
    QByteArray bucketKey(qint64 nowMs) const;

private:
    // Buffers one id under its bucket, within maxBuffered; m_mutex held.
    void addPendingLocked(const QByteArray& key, const QString& clientId);

    const std::shared_ptr<RedisPool> m_pool;
    const QByteArray m_prefix;
    const std::chrono::seconds m_window;
    const Clock m_clock;
    const qint64 m_bucketMs;
    const int m_maxBuffered;
    std::mutex m_mutex;
    QHash<QByteArray, QSet<QString>> m_pending; // bucket key -> ids seen in it
    int m_pendingCount = 0;
};

} // namespace querydeck
