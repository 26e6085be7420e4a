#pragma once

#include "backend/redis/RedisAddress.h"
#include "backend/redis/RedisReply.h"
#include "backend/redisops/RedisTopology.h"

#include <QHash>
#include <QObject>
#include <functional>

namespace querydeck {

class RedisAsyncClient;

// Reads a topology from the servers, asynchronously: under Sentinel, the
// first sentinel that answers gives the master, replicas, other sentinels
// and CKQUORUM (then every sentinel's own CKQUORUM), then each server's own
// INFO gives roles, link state, offsets, memory and clients; under Cluster,
// CLUSTER NODES from a seed node, then each node's INFO; Direct, one
// server's INFO names its master (itself or the one it follows) and the
// master's INFO its replicas. The password (if any) is sent as AUTH to the
// data servers, never to sentinels. One discovery at a time; finished()
// once per start.
// Lives on one thread (GUI or telemetry) and is used from there only.
class TopologyDiscovery : public QObject
{
    Q_OBJECT

public:
    explicit TopologyDiscovery(QObject* parent = nullptr);
    ~TopologyDiscovery() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // The data servers' password, from the SecretStore; empty: none.
    void setPassword(const QString& password) { m_password = password; }
    // The sentinels' own password (requirepass on sentinel); empty: none.
    void setSentinelPassword(const QString& password) { m_sentinelPassword = password; }
    void discoverSentinel(const QList<RedisAddress>& sentinels, const QString& masterName);
    // focusReplica ("host:port", may be empty) picks which shard fills master/replicas.
    void discoverCluster(const RedisAddress& seed, const QString& focusReplica = {});
    // No Sentinel, no Cluster: the server at `address` and what its INFO says.
    void discoverDirect(const RedisAddress& address);
    bool isRunning() const { return m_running; }

signals:
    void finished(const querydeck::RedisTopology& topology);

private:
    using Handler = std::function<void(const RedisReply&)>;
    void ask(const QString& address, const QByteArrayList& args, Handler handler);
    void trySentinel(int index);
    void readSentinelReplies(const QString& sentinel);
    void readServers();
    void readNode(RedisNodeState& node);
    void readClusterNodes(const QString& focusReplica);
    void readDirect(const RedisAddress& address, bool followed);
    bool isSentinel(const QString& address) const;
    void computeLag();
    void whenDone(std::function<void()> next);
    void done();
    void finish();

    QList<RedisAddress> m_sentinelSeeds;
    RedisTopology m_topology;
    QHash<QString, RedisAsyncClient*> m_clients;
    int m_pending = 0;
    std::function<void()> m_next;
    int m_timeoutMs = 2000;
    QString m_password;
    QString m_sentinelPassword;
    bool m_running = false;
};

} // namespace querydeck
