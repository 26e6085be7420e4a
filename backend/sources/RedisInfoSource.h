#pragma once

#include "backend/common/Clock.h"
#include "backend/sources/MetricSource.h"

#include <QStringList>
#include <memory>

namespace querydeck {

class CachedSecret;
class RedisAsyncClient;
class SentinelMasterFinder;
struct RedisAddress;
struct RedisInfo;

// Samples INFO of one Redis server through an asynchronous hiredis
// connection and turns it into querydeck_redis_* samples labelled
// instance="host:port": memory, keys per db, hits/misses/evictions/expiries
// (counters), clients, role, replication offsets and, on a master, each
// replica's lag in bytes and seconds. Each of these series is also labelled
// role="master" or role="replica" (INFO's role), so a replica's figures are
// never taken for the master's. querydeck_redis_up is 1 when INFO
// answered, 0 otherwise (then the error names the server and the problem).
// Every 60th poll, and the first, it also compares the server's settings
// with the recommendation (RedisSettingsCheck) and emits settingsChecked.
// With a password secret (console.redis.password) the connection sends AUTH;
// the secret is read when the connection is made, and forgotten (read again
// on the next poll) when the server refuses it.
// followSentinels(): the server is the current master of a Sentinel set,
// asked of the sentinels before connecting and again after a +switch-master,
// a connection error, or an INFO whose role is not master (then the poll
// locates and samples once more, so no replica's figures are published as
// the master's). The instance label is the master's address of the moment:
// after a failover the old master's series are missing from the next poll,
// and the engine marks them stale at once.
// Lives on the telemetry thread and must be used from there only; the
// connection is created on the first poll.
class RedisInfoSource : public MetricSource
{
    Q_OBJECT

public:
    static constexpr int kSettingsEveryPolls = 60;

    RedisInfoSource(QString host, int port, QObject* parent = nullptr);
    ~RedisInfoSource() override;

    QString id() const override;
    QString description() const override;
    void poll() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setPassword(const QString& password) { m_password = password; }
    void setPasswordSecret(std::shared_ptr<CachedSecret> secret) { m_secret = std::move(secret); }
    // The config field named in password errors (default console.redis.password).
    void setPasswordField(const QString& field) { m_passwordField = field; }
    // Before the first poll: sample whichever server the sentinels call master.
    // sentinelPassword: the sentinels' own password secret (field names it in errors).
    void followSentinels(const QList<RedisAddress>& sentinels, const QString& masterName,
                         std::shared_ptr<CachedSecret> sentinelPassword = {},
                         const QString& sentinelPasswordField = {});
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // The samples one INFO reply gives (public for tests and the topology view).
    static SourceResult samplesFrom(const RedisInfo& info, const QString& instance, qint64 nowMs);

signals:
    // Differences from the recommended settings; empty when it matches.
    void settingsChecked(const QStringList& differences);

private:
    void locateAndSample(bool again);
    void sample(bool again);
    void dropClient();
    QString target() const;
    void finish(SourceResult result, const QString& problem);
    void checkSettings();

    QString m_host;
    int m_port = 0;
    QString m_instance;
    QString m_password;
    QString m_passwordField = QStringLiteral("console.redis.password");
    SentinelMasterFinder* m_finder = nullptr;
    QString m_masterName; // when following sentinels
    bool m_masterSwitched = false;
    std::shared_ptr<CachedSecret> m_secret;
    int m_timeoutMs = 2000;
    Clock m_clock;
    RedisAsyncClient* m_client = nullptr;
    bool m_busy = false;
    bool m_infoAnswered = false;
    int m_polls = 0;
    QStringList m_lastDifferences;
};

} // namespace querydeck
