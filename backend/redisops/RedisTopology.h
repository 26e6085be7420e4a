#pragma once

#include "backend/redis/ClusterNodes.h"
#include "backend/redis/RedisAddress.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace querydeck {

// What the console knows about one Redis server of a topology, read from
// the server itself (INFO replication) and, under Sentinel, from what the
// sentinels report about it.
struct RedisNodeState
{
    QString address; // host:port
    bool reachable = false;
    QString role;                 // "master" / "slave" as the server says; empty when unreachable
    QString linkStatus;           // a replica's master_link_status ("up" / "down")
    QString followsMaster;        // a replica's master_host:master_port
    qint64 offset = -1;           // replication offset (master_repl_offset / slave_repl_offset)
    qint64 lagBytes = -1;         // master offset - this replica's acknowledged offset
    qint64 lagSeconds = -1;       // seconds since the replica's last ack, from the master's INFO
    int priority = -1;            // replica-priority; 0 means never promoted
    qint64 usedMemoryBytes = -1;  // used_memory from INFO; -1 when not read
    qint64 connectedClients = -1; // connected_clients from INFO; -1 when not read
    QStringList sentinelFlags;    // s_down, o_down, disconnected, ... as Sentinel sees it
    QString error;
};

struct SentinelState
{
    QString address;
    bool reachable = false;
    QString error;
    // This sentinel's own SENTINEL CKQUORUM verdict and message; empty when not asked.
    bool quorumOk = false;
    QString quorumText;
};

// A discovered topology: either a Sentinel-managed master with its replicas
// and sentinels, or a Redis Cluster. Plain data, copied to the GUI.
struct RedisTopology
{
    enum class Kind
    {
        None,
        Sentinel,
        Cluster,
        Direct // one server's own view: the master and the replicas it lists, no sentinels
    };

    Kind kind = Kind::None;
    // Sentinel
    QString masterName;
    int quorum = 0;
    bool quorumOk = false;
    QString quorumText; // SENTINEL CKQUORUM's answer, as the sentinel wrote it
    QList<SentinelState> sentinels;
    // Both: under Cluster, `master` and `replicas` describe the shard of the
    // replica chosen for failover (or the first shard) and `cluster` all nodes.
    RedisNodeState master;
    QList<RedisNodeState> replicas;
    int minReplicasToWrite = 0;
    ClusterNodes cluster;
    QList<RedisNodeState> clusterNodeStates; // same order as cluster.nodes
    QStringList problems;

    const RedisNodeState* replica(const QString& address) const;
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::RedisTopology)
