#pragma once

#include "backend/redis/MasterLocator.h"
#include "backend/redis/RedisConnection.h"

#include <QString>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace querydeck {

// Finds the Redis master through Sentinel and hears when it moves.
// locate(): asks each sentinel in turn `SENTINEL get-master-addr-by-name`;
// the first answer whose server confirms it is a master (ROLE) wins, so a
// sentinel with a stale view is skipped. startWatching(): a thread
// subscribed to +switch-master on the first sentinel that answers (the next
// one when it goes away); each switch of our master is reported once, even
// when several sentinels or repeated messages announce it.
//
// Thread-safe; the listener runs on the watcher thread.
class SentinelClient final : public MasterLocator
{
public:
    using SwitchListener = std::function<void(const RedisAddress& master, const QString& why)>;

    // `sentinel` carries the timeouts (and the sentinel password, if any);
    // `master` the password and database of the data servers.
    SentinelClient(std::vector<RedisAddress> sentinels, QString masterName, RedisEndpoint sentinel,
                   RedisEndpoint master);
    ~SentinelClient() override;

    std::optional<RedisAddress> locate(QString* error) override;
    QString describe() const override;

    void startWatching(SwitchListener listener);
    void stopWatching();

    // Parses a +switch-master payload "<name> <old-ip> <old-port> <new-ip> <new-port>".
    static std::optional<RedisAddress> parseSwitch(const QByteArray& payload,
                                                   const QString& masterName);

private:
    void watch();
    bool confirmMaster(const RedisAddress& address, QString* error) const;

    const std::vector<RedisAddress> m_sentinels;
    const QString m_masterName;
    const RedisEndpoint m_sentinelEndpoint;
    const RedisEndpoint m_masterEndpoint;
    SwitchListener m_listener;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<RedisAddress> m_announced; // last switch reported, for de-duplication
};

} // namespace querydeck
