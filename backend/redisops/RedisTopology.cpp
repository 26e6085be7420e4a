#include "backend/redisops/RedisTopology.h"

namespace querydeck {

const RedisNodeState* RedisTopology::replica(const QString& address) const
{
    for (const RedisNodeState& node : replicas) {
        if (node.address == address)
            return &node;
    }
    return nullptr;
}

} // namespace querydeck
