#pragma once

#include "common/Clock.h"

#include <QByteArray>
#include <QSet>
#include <QString>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace querydeck {

class RedisPool;

// Distinct clients across every replica: a Redis HyperLogLog per fixed
// window (default 5 minutes), key `<prefix>:users:<window start, s since
// epoch>`, expiring after two windows. record() only buffers (no Redis on the
// request path); count() — at scrape time — sends the buffer (PFADD) and
// reads the current window (PFCOUNT) in one round trip. Without Redis it
// returns nullopt and the caller shows its local ActiveUsers figure.
//
// Thread-safe. The buffer is bounded: beyond maxBuffered distinct ids
// between two counts, new ids wait for the next window to be seen.
class SharedActiveUsers
{
public:
    SharedActiveUsers(std::shared_ptr<RedisPool> pool, QByteArray prefix,
                      std::chrono::seconds window = std::chrono::minutes(5),
                      Clock clock = systemClock(), int maxBuffered = 20000);

    void record(const QString& clientId);
    std::optional<qint64> count();
    QByteArray windowKey(qint64 nowMs) const;

private:
    const std::shared_ptr<RedisPool> m_pool;
    const QByteArray m_prefix;
    const std::chrono::seconds m_window;
    const Clock m_clock;
    const int m_maxBuffered;
    std::mutex m_mutex;
    QSet<QString> m_pending;
};

} // namespace querydeck
