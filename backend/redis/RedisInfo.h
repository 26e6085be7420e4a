#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace querydeck {

// One replica as its master lists it (`slaveN:ip=..,port=..,state=..,offset=..,lag=..`).
struct RedisReplicaLink
{
    QString ip;
    int port = 0;
    QString state;          // online, wait_bgsave, send_bulk, ...
    qint64 offset = 0;      // replication offset the replica acknowledged
    qint64 lagSeconds = -1; // seconds since its last ack; -1 when not reported
    qint64 lagBytes = 0;    // master_repl_offset - offset, never negative
};

// Keys of one logical database (`dbN:keys=..,expires=..,avg_ttl=..`).
struct RedisDbKeys
{
    int db = 0;
    qint64 keys = 0;
    qint64 expires = 0;
};

// The reply of INFO, read into the figures the console uses. Every field is
// optional because older servers or trimmed sections may not have it; what
// could not be read is listed in problems (with the line number) and the
// rest is kept. Plain data, safe to copy between threads.
struct RedisInfo
{
    static constexpr qsizetype kMaxReplyBytes = 4 * 1024 * 1024;
    static constexpr qsizetype kMaxLineBytes = 64 * 1024;

    QString version; // redis_version
    QString role;    // "master" or "slave"

    std::optional<qint64> usedMemoryBytes;
    std::optional<qint64> usedMemoryRssBytes;
    std::optional<qint64> maxMemoryBytes;
    std::optional<double> fragmentationRatio;
    std::optional<qint64> keyspaceHits;
    std::optional<qint64> keyspaceMisses;
    std::optional<qint64> evictedKeys;
    std::optional<qint64> expiredKeys;
    std::optional<qint64> connectedClients;
    std::optional<qint64> masterReplOffset;

    // Set on a replica only.
    QString masterHost;
    int masterPort = 0;
    QString masterLinkStatus; // "up" / "down"
    std::optional<qint64> masterLastIoSecondsAgo;
    std::optional<qint64> replicaOffset; // slave_repl_offset

    QList<RedisReplicaLink> replicas; // on a master, in INFO order
    QList<RedisDbKeys> databases;     // in INFO order
    QHash<QString, QString> fields;   // every well-formed key:value line, raw
    QStringList problems;

    qint64 totalKeys() const;
    bool isMaster() const { return role == QLatin1String("master"); }

    // Never fails: an empty, oversized or garbled reply gives an object with
    // problems saying why. A reply over kMaxReplyBytes is read up to the cap.
    static RedisInfo parse(QByteArrayView reply);
};

} // namespace querydeck
