#include "backend/fleet/ReplicaSet.h"

namespace querydeck {

QString replicaStateName(ReplicaState state)
{
    switch (state) {
    case ReplicaState::Starting:
        return QStringLiteral("starting");
    case ReplicaState::Ready:
        return QStringLiteral("ready");
    case ReplicaState::Draining:
        return QStringLiteral("draining");
    case ReplicaState::Stopped:
        return QStringLiteral("stopped");
    case ReplicaState::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

} // namespace querydeck
