#pragma once

#include "backend/config/ConsoleConfig.h"
#include "backend/config/ConsoleRedisTarget.h"

#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

class QThread;
class QWidget;

namespace querydeck {

class CachedSecret;
class MainWindow;
class RedisTopologyMonitor;
class SecretStore;
class TelemetryEngine;

// The console's Redis (console.redis, else the Redis of the embedded
// service's cache.redis, see ConsoleRedisTarget): the INFO source and the
// topology monitor on the telemetry thread, both using the password read
// once from the keychain (its password secret, through a CachedSecret); in the main
// window the Redis dock (with a View menu entry) and the failover wizard,
// pre-filled with the configured sentinels and master name and given the
// same password. Without either only the wizard is wired.
//
// Thread rules: lives on the GUI thread. The monitor lives on the control
// (telemetry) thread and is reached through queued calls only; the password
// is read there too, never on the GUI thread.
class ConsoleRedis : public QObject
{
    Q_OBJECT

public:
    ConsoleRedis(const ConsoleConfig& console, const RedisConfig& serviceRedis,
                 std::shared_ptr<SecretStore> secrets, TelemetryEngine* engine,
                 QThread* controlThread, QObject* parent = nullptr);
    ~ConsoleRedis() override;

    // Adds the dock and starts the topology refreshes (none without a window).
    void attach(MainWindow* main);
    void openFailoverWizard(QWidget* parent);
    // The QueryDeck replicas (base URLs) the wizard verifies on the new
    // master, asked for each time it opens.
    void setServiceReplicas(std::function<QStringList()> replicas)
    {
        m_serviceReplicas = std::move(replicas);
    }

private:
    ConsoleRedisTarget m_target;
    ConsoleConfig m_console; // m_target's: console.redis filled in
    std::shared_ptr<CachedSecret> m_password;
    std::shared_ptr<CachedSecret> m_sentinelPassword; // the sentinels' own, if any
    RedisTopologyMonitor* m_monitor = nullptr;        // on the control thread
    std::function<QStringList()> m_serviceReplicas;
};

} // namespace querydeck
