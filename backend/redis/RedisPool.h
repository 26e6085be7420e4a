#pragma once

#include "backend/common/Backoff.h"
#include "backend/redis/MasterLocator.h"
#include "backend/redis/RedisConnection.h"

#include <QString>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace querydeck {

struct RedisPoolOptions
{
    RedisEndpoint endpoint; // password, db, timeouts; the address comes from the locator
    int maxIdle = 32;       // connections kept for reuse (one per busy worker thread)
    int backoffMinMs = 100;
    int backoffMaxMs = 5000;
    // Equal jitter, so replicas that lost the same master do not reconnect in lockstep.
    Backoff::Jitter backoffJitter = Backoff::Jitter::Equal;
};

// Connections to the current Redis master for the service's worker threads.
// run() borrows an idle connection (or opens one), runs the command(s) and
// gives it back. On a transport failure or READONLY (the master was demoted
// by a failover) it forgets the master, drops every idle connection, asks
// the locator again and retries once, so a failover costs the client no
// error. When that fails too the pool backs off (doubling, bounded, jittered): until
// the next attempt, run() fails at once instead of waiting on a dead server,
// and one caller at a time probes for recovery.
//
// Thread-safe. Commands run outside the pool's lock.
class RedisPool
{
public:
    using Args = RedisConnection::Args;

    RedisPool(std::shared_ptr<MasterLocator> locator, RedisPoolOptions options);
    ~RedisPool();

    RedisReply run(const Args& args);
    std::vector<RedisReply> runPipeline(const std::vector<Args>& commands);

    // A connection of its own to the master (stream followers, subscribers).
    std::unique_ptr<RedisConnection> connectDedicated(QString* error);

    // The master moved (Sentinel said so): reconnect on the next command.
    void masterChanged(const QString& why);

    // False while backing off after a failure.
    bool available() const { return m_available.load(std::memory_order_acquire); }
    QString lastError() const;
    QString describe() const { return m_locator->describe(); }
    // host:port of the master the pool last located and connected to; it
    // stays while backing off after a failure or until a command after a
    // switch locates the new one. Empty before the first command.
    QString currentMaster() const;
    qint64 reconnects() const { return m_reconnects.load(std::memory_order_relaxed); }

private:
    struct Lease
    {
        std::unique_ptr<RedisConnection> connection;
        quint64 generation = 0;
    };
    // Returns an error text when no connection could be had.
    QString take(Lease& lease, bool mayProbe);
    void give(Lease lease);
    void fail(quint64 generation, const QString& why);
    void succeeded();
    template <typename Result, typename Call>
    Result withRetry(Call call, Result (*failed)(const QString&));

    const std::shared_ptr<MasterLocator> m_locator;
    const RedisPoolOptions m_options;
    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<RedisConnection>> m_idle;
    std::optional<RedisAddress> m_master;
    QString m_lastMaster; // currentMaster()
    quint64 m_generation = 1;
    QString m_lastError;
    Backoff m_backoff; // failures() > 0: backing off
    std::chrono::steady_clock::time_point m_retryAt{};
    bool m_probing = false;
    std::atomic<bool> m_available{true};
    std::atomic<qint64> m_reconnects{0};
};

} // namespace querydeck
