#pragma once

#include "backend/redis/RedisAddress.h"

#include <QList>
#include <QObject>
#include <functional>
#include <memory>

namespace querydeck {

class CachedSecret;
class RedisAsyncClient;

// Where the master of a Sentinel set is now, asked asynchronously for the
// console's INFO source: locate() asks each sentinel in turn `SENTINEL
// get-master-addr-by-name` and answers with the first address given (or an
// error naming every sentinel tried and what it said); watch() subscribes
// to +switch-master on the first sentinel that answers and emits
// masterSwitched() when our master moves (re-subscribing, on the next
// sentinel, after that connection ends). Sentinels never get the data
// servers' password; sentinels with their own requirepass get the sentinel
// password secret (read before the first question, read again after a
// sentinel refused it). The subscription starts after a first answer. The data server's own ROLE is
// the caller's cross-check (the INFO source re-locates when INFO says replica). Lives on one thread
// (the telemetry thread) and is used from there only.
class SentinelMasterFinder : public QObject
{
    Q_OBJECT

public:
    using Located = std::function<void(const RedisAddress& master, const QString& error)>;

    SentinelMasterFinder(QList<RedisAddress> sentinels, QString masterName,
                         QObject* parent = nullptr);
    ~SentinelMasterFinder() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // `field` is the config field named in errors, e.g. cache.redis.sentinel_password.
    void setPasswordSecret(std::shared_ptr<CachedSecret> secret, const QString& field);
    QString describe() const; // "qdmaster via sentinels 127.0.0.1:26379,..."
    // One answer per call; a call while one runs is refused with an error.
    void locate(Located done);
    // Starts (or resumes after a lost connection) the +switch-master subscription.
    void watch();

signals:
    void masterSwitched(const querydeck::RedisAddress& master);

private:
    void ask(int index, QStringList problems, Located done);
    void subscribe(int index);
    RedisAsyncClient* client(int index);

    QList<RedisAddress> m_sentinels;
    QString m_masterName;
    int m_timeoutMs = 2000;
    QList<RedisAsyncClient*> m_clients; // one per sentinel, for commands
    RedisAsyncClient* m_subscription = nullptr;
    int m_watchIndex = 0;
    bool m_locating = false;
    bool m_answered = false; // a sentinel answered: the password (if any) works
    std::shared_ptr<CachedSecret> m_secret;
    QString m_passwordField;
    QString m_password; // the sentinels' password as last read
    bool m_passwordRead = false;
};

} // namespace querydeck
