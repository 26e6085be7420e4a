#pragma once

#include "backend/config/ConsoleConfig.h"
#include "backend/config/ConsoleRedisTarget.h"
#include "backend/secrets/SecretStore.h"

#include <QObject>
#include <functional>
#include <memory>

class QThread;

namespace querydeck {

class CachedSecret;
class RedisTopologyMonitor;
class TelemetryEngine;

// Hosts the console's Redis (console.redis, else the Redis of the embedded
// service's cache.redis, see ConsoleRedisTarget): the INFO source on the
// telemetry engine and the RedisTopologyMonitor, both using the password read
// once from the keychain (its password secret, through a CachedSecret). The
// window side (the Redis dock and the failover wizard) is attached by
// ui/shell/RedisAttachment from what this host hands out. Without a
// configured Redis there is no monitor and only the wizard is wired.
//
// Thread rules: lives on the GUI thread (create it there). The monitor lives on the control
// (telemetry) thread, is deleted there when it finishes and is reached through
// queued calls only; the passwords are read there too, never on the GUI thread.
class ConsoleRedisHost : public QObject
{
    Q_OBJECT

public:
    ConsoleRedisHost(const ConsoleConfig& console, const RedisConfig& serviceRedis,
                     std::shared_ptr<SecretStore> secrets, TelemetryEngine* engine,
                     QThread* controlThread, QObject* parent = nullptr);
    ~ConsoleRedisHost() override;

    // The console's options with console.redis filled in from the service's.
    const ConsoleConfig& console() const { return m_console; }
    const ConsoleRedisTarget& target() const { return m_target; }
    // On the control thread; null without a configured Redis. Started by
    // startMonitor(), once something listens to it.
    RedisTopologyMonitor* monitor() const { return m_monitor; }
    void startMonitor();

    using PasswordsCallback =
        std::function<void(const SecretResult& password, const SecretResult& sentinel)>;
    // Reads the server's and the sentinels' passwords (the keychain may take a
    // while: on the control thread) and calls `done` back on this host's
    // thread. Without a monitor or any password set, `done` runs at once with
    // empty results.
    void readPasswords(PasswordsCallback done);

private:
    ConsoleRedisTarget m_target;
    ConsoleConfig m_console; // m_target's: console.redis filled in
    std::shared_ptr<CachedSecret> m_password;
    std::shared_ptr<CachedSecret> m_sentinelPassword; // the sentinels' own, if any
    RedisTopologyMonitor* m_monitor = nullptr;        // on the control thread
};

} // namespace querydeck
