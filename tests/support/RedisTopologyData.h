#pragma once

#include "backend/redisops/RedisTopology.h"

namespace querydeck::test {

// Hand-built topologies for the tests of what reads them (the Redis dock's
// model, the failover pre-checks), filled the way TopologyDiscovery fills
// them; each test adds the figures it is about.

// A server that answered INFO with this role at this replication offset.
inline RedisNodeState reachableNode(const QString& address, const QString& role,
                                    qint64 offset = 1000)
{
    RedisNodeState n;
    n.address = address;
    n.reachable = true;
    n.role = role;
    n.offset = offset;
    return n;
}

// A Sentinel-managed master and its replicas; the sentinels and their
// quorum verdict are left to the test.
inline RedisTopology sentinelTopologyOf(const QString& masterName, int quorum,
                                        const RedisNodeState& master,
                                        const QList<RedisNodeState>& replicas)
{
    RedisTopology t;
    t.kind = RedisTopology::Kind::Sentinel;
    t.masterName = masterName;
    t.quorum = quorum;
    t.master = master;
    t.replicas = replicas;
    return t;
}

} // namespace querydeck::test
