#pragma once

#include "common/Clock.h"
#include "telemetry/MetricSource.h"

#include <QStringList>
#include <memory>

namespace querydeck {

class CachedSecret;
class RedisAsyncClient;
struct RedisInfo;

// Samples INFO of one Redis server through an asynchronous hiredis
// connection and turns it into querydeck_redis_* samples labelled
// instance="host:port": memory, keys per db, hits/misses/evictions/expiries
// (counters), clients, role, replication offsets and, on a master, each
// replica's lag in bytes and seconds. querydeck_redis_up is 1 when INFO
// answered, 0 otherwise (then the error names the server and the problem).
// Every 60th poll, and the first, it also compares the server's settings
// with the recommendation (RedisSettingsCheck) and emits settingsChecked.
// With a password secret (console.redis.password) the connection sends AUTH;
// the secret is read when the connection is made, and forgotten (read again
// on the next poll) when the server refuses it.
// Lives on the telemetry thread and must be used from there only; the
// connection is created on the first poll.
class RedisInfoSource : public MetricSource
{
    Q_OBJECT

public:
    static constexpr int kSettingsEveryPolls = 60;

    RedisInfoSource(QString host, int port, QObject* parent = nullptr);
    ~RedisInfoSource() override;

    QString id() const override { return QStringLiteral("redis:") + m_instance; }
    QString description() const override;
    void poll() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setPassword(const QString& password) { m_password = password; }
    void setPasswordSecret(std::shared_ptr<CachedSecret> secret) { m_secret = std::move(secret); }
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // The samples one INFO reply gives (public for tests and the topology view).
    static SourceResult samplesFrom(const RedisInfo& info, const QString& instance, qint64 nowMs);

signals:
    // Differences from the recommended settings; empty when it matches.
    void settingsChecked(const QStringList& differences);

private:
    void finish(SourceResult result, const QString& problem);
    void checkSettings();

    QString m_host;
    int m_port = 0;
    QString m_instance;
    QString m_password;
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
