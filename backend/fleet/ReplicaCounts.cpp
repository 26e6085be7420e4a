#include "backend/fleet/ReplicaCounts.h"

#include <QStringList>
#include <algorithm>

namespace querydeck {

ReplicaCounts ReplicaCounts::of(const QList<ReplicaInfo>& replicas, int desired)
{
    ReplicaCounts counts;
    counts.desired = desired;
    for (const ReplicaInfo& replica : replicas) {
        switch (replica.state) {
        case ReplicaState::Ready:
            ++counts.ready;
            break;
        case ReplicaState::Starting:
            ++counts.starting;
            break;
        case ReplicaState::Failed:
            ++counts.failed;
            break;
        case ReplicaState::Draining:
        case ReplicaState::Stopped:
            break;
        }
    }
    return counts;
}

int ReplicaCounts::working() const
{
    return std::clamp(ready + starting, 0, std::max(0, desired));
}

QString ReplicaCounts::describe() const
{
    const QString total =
        desired == 1 ? QStringLiteral("1 replica") : QStringLiteral("%1 replicas").arg(desired);
    if (ready == desired && starting == 0 && failed == 0)
        return total;
    QStringList parts{QStringLiteral("%1 ready").arg(ready)};
    if (starting > 0)
        parts << QStringLiteral("%1 starting").arg(starting);
    if (failed > 0)
        parts << QStringLiteral("%1 failed").arg(failed);
    return total + QStringLiteral(": ") + parts.join(QStringLiteral(", "));
}

} // namespace querydeck
