#pragma once

#include "backend/redis/RedisAddress.h"

#include <QList>
#include <QString>

namespace querydeck {

// What the operator asked for, collected by the failover wizard's pages and
// executed by FailoverController. Plain data.
struct FailoverRequest
{
    enum class Mode
    {
        Sentinel,
        Cluster
    };
    // CLUSTER FAILOVER's option: Default waits for the master to agree and
    // loses nothing; Force skips the master's handshake; Takeover skips
    // the cluster's agreement too. The last two need riskConfirmed.
    enum class ClusterOption
    {
        Default,
        Force,
        Takeover
    };

    Mode mode = Mode::Sentinel;
    QList<RedisAddress> sentinels; // Sentinel mode
    QString masterName;
    RedisAddress clusterSeed; // Cluster mode: any node

    // Sentinel: empty lets Sentinel pick; an address gets the best (lowest
    // non-zero) replica-priority before the trigger. Cluster: the replica to
    // promote (required).
    QString replica;
    ClusterOption clusterOption = ClusterOption::Default;
    bool riskConfirmed = false;

    qint64 maxLagBytes = 1024 * 1024; // a pre-check fails above this
    int maxLagSeconds = 10;
    int timeoutMs = 60000; // trigger to verified
};

} // namespace querydeck
