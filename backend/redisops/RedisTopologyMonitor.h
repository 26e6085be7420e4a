#pragma once

#include "backend/redis/RedisAddress.h"
#include "backend/redisops/RedisSettingsCheck.h"
#include "backend/redisops/RedisTopology.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QTimer>
#include <memory>

namespace querydeck {

class CachedSecret;
class TopologyDiscovery;

// One refresh of the console's Redis topology, as the Redis dock shows it.
// Plain data, copied to the GUI thread.
struct RedisTopologyStatus
{
    QString target; // what was asked: "127.0.0.1:6379" or "qdmaster via sentinels ..."
    QString error;  // why the master could not be read (names the address); empty: it answered
    RedisTopology topology;
    QString settingsServer;                         // the master whose CONFIG was compared
    QList<RedisSettingsCheck::Difference> settings; // differences from the recommendation
    QString settingsError;                          // the check could not run
    qint64 refreshedAtMs = 0;                       // when this refresh ended (epoch ms)
};

// Refreshes the Redis topology for the console's Redis dock: discovery
// (Sentinel when sentinels are configured, else the configured server and
// the replicas its INFO lists), then CONFIG GET on the master compared with
// the recommended settings (RedisSettingsCheck). The password comes from
// the CachedSecret (console.redis.password) and goes to the data servers
// only; when a server refuses it, it is forgotten and read again next time.
// A refresh that is still running when the timer fires is not doubled.
// Lives on the telemetry thread: create it, moveToThread, then invoke
// start() queued; results reach the GUI through refreshed() (queued).
class RedisTopologyMonitor : public QObject
{
    Q_OBJECT

public:
    struct Target
    {
        RedisAddress address;          // used when there are no sentinels
        QList<RedisAddress> sentinels; // with masterName
        QString masterName;
    };

    RedisTopologyMonitor(Target target, std::shared_ptr<CachedSecret> password,
                         QObject* parent = nullptr);
    ~RedisTopologyMonitor() override;

    void setIntervalMs(int ms) { m_timer.setInterval(ms); }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // The config field of the password, named in errors.
    void setPasswordField(const QString& field) { m_passwordField = field; }
    // The sentinels' own password (console.redis.sentinel_password), if any.
    void setSentinelPassword(std::shared_ptr<CachedSecret> secret)
    {
        m_sentinelPassword = std::move(secret);
    }
    QString describeTarget() const;

public slots:
    void start(); // refresh now, then every interval
    void stop();
    void refreshNow();

signals:
    void refreshed(const querydeck::RedisTopologyStatus& status);

private:
    void discovered(const RedisTopology& topology);
    void checkSettings();
    void publish();
    QString explain(const QString& error) const;

    Target m_target;
    std::shared_ptr<CachedSecret> m_password;
    std::shared_ptr<CachedSecret> m_sentinelPassword;
    QString m_passwordField = QStringLiteral("console.redis.password");
    QTimer m_timer;
    int m_timeoutMs = 2000;
    TopologyDiscovery* m_discovery = nullptr;
    RedisTopologyStatus m_status;
    bool m_busy = false;
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::RedisTopologyStatus)
