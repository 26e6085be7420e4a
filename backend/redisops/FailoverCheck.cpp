#include "backend/redisops/FailoverCheck.h"

namespace querydeck {

namespace {

FailoverCheck check(const QString& name, FailoverCheck::Status status, const QString& detail)
{
    return FailoverCheck{name, status, detail};
}

// Replicas eligible for promotion: the chosen one, or every one Sentinel could pick.
QList<RedisNodeState> candidates(const RedisTopology& topology, const FailoverRequest& request)
{
    if (!request.replica.isEmpty()) {
        const RedisNodeState* chosen = topology.replica(request.replica);
        return chosen ? QList<RedisNodeState>{*chosen} : QList<RedisNodeState>{};
    }
    QList<RedisNodeState> out;
    for (const RedisNodeState& replica : topology.replicas) {
        if (replica.priority != 0)
            out.append(replica);
    }
    return out;
}

} // namespace

QList<FailoverCheck> FailoverCheck::evaluate(const RedisTopology& topology,
                                             const FailoverRequest& request)
{
    using S = Status;
    QList<FailoverCheck> out;
    const bool sentinel = request.mode == FailoverRequest::Mode::Sentinel;

    if (topology.master.address.isEmpty()) {
        out << check(QStringLiteral("Master"), S::Fail,
                     topology.problems.isEmpty() ? QStringLiteral("no master found")
                                                 : topology.problems.join(QStringLiteral("; ")));
        return out;
    }
    out << check(
        QStringLiteral("Master"),
        topology.master.reachable && topology.master.role == QLatin1String("master") ? S::Pass
                                                                                     : S::Warn,
        topology.master.reachable
            ? QStringLiteral("%1 answers as %2").arg(topology.master.address, topology.master.role)
            : QStringLiteral("%1 unreachable (%2): only a forced failover can proceed")
                  .arg(topology.master.address, topology.master.error));

    if (!sentinel && request.replica.isEmpty()) {
        out << check(QStringLiteral("Replica"), S::Fail,
                     QStringLiteral("choose the replica to promote"));
        return out;
    }
    if (!request.replica.isEmpty() && !topology.replica(request.replica))
        out << check(QStringLiteral("Replica"), S::Fail,
                     QStringLiteral("%1 is not a replica of %2")
                         .arg(request.replica, topology.master.address));

    const QList<RedisNodeState> eligible = candidates(topology, request);
    int linkUp = 0;
    qint64 worstLagBytes = 0, worstLagSeconds = 0;
    // A chosen replica must be healthy; when Sentinel picks, one healthy replica is enough.
    const Status whenDown = request.replica.isEmpty() ? S::Warn : S::Fail;
    for (const RedisNodeState& replica : eligible) {
        const bool up = replica.reachable && replica.linkStatus == QLatin1String("up");
        linkUp += up ? 1 : 0;
        out << check(QStringLiteral("Replica link %1").arg(replica.address),
                     up ? S::Pass : whenDown,
                     up                  ? QStringLiteral("link up, offset %1").arg(replica.offset)
                     : replica.reachable ? QStringLiteral("master link %1").arg(replica.linkStatus)
                                         : QStringLiteral("unreachable: %1").arg(replica.error));
        if (up) {
            worstLagBytes = qMax(worstLagBytes, replica.lagBytes);
            worstLagSeconds = qMax(worstLagSeconds, replica.lagSeconds);
        }
    }
    if (linkUp == 0)
        out << check(QStringLiteral("Replicas"), S::Fail,
                     QStringLiteral("no replica with its link up can be promoted"));

    if (linkUp > 0) {
        Status lagStatus = S::Pass;
        QString detail =
            QStringLiteral("%1 bytes, %2 s behind").arg(worstLagBytes).arg(worstLagSeconds);
        if (worstLagBytes > request.maxLagBytes || worstLagSeconds > request.maxLagSeconds) {
            lagStatus = S::Fail;
            detail += QStringLiteral(" (limit %1 bytes, %2 s)")
                          .arg(request.maxLagBytes)
                          .arg(request.maxLagSeconds);
        } else if (worstLagBytes > 0) {
            lagStatus = S::Warn;
            // Writes the replica has not acknowledged are lost if the master
            // dies before they arrive: at most the last lag-seconds (at least 1 s).
            detail += QStringLiteral(": up to %1 bytes of writes from the last %2 s may be lost")
                          .arg(worstLagBytes)
                          .arg(qMax<qint64>(1, worstLagSeconds));
        }
        out << check(QStringLiteral("Replication lag"), lagStatus, detail);
    }

    if (sentinel) {
        out << check(QStringLiteral("Quorum"), topology.quorumOk ? S::Pass : S::Fail,
                     topology.quorumText.isEmpty() ? QStringLiteral("CKQUORUM not answered")
                                                   : topology.quorumText);
        int reachable = 0;
        for (const SentinelState& s : topology.sentinels)
            reachable += s.reachable ? 1 : 0;
        out << check(QStringLiteral("Sentinels"), reachable >= topology.quorum ? S::Pass : S::Fail,
                     QStringLiteral("%1 of %2 reachable, quorum %3")
                         .arg(reachable)
                         .arg(topology.sentinels.size())
                         .arg(topology.quorum));
    } else if (request.clusterOption != FailoverRequest::ClusterOption::Default) {
        out << check(QStringLiteral("Risk"), request.riskConfirmed ? S::Warn : S::Fail,
                     request.riskConfirmed
                         ? QStringLiteral("%1 confirmed: writes not yet replicated can be lost")
                               .arg(request.clusterOption == FailoverRequest::ClusterOption::Force
                                        ? QStringLiteral("FORCE")
                                        : QStringLiteral("TAKEOVER"))
                         : QStringLiteral("FORCE and TAKEOVER need an explicit confirmation"));
    }

    // After the failover the old master comes back as a replica: the new
    // master needs min-replicas-to-write replicas with their link up.
    const qsizetype afterwards = topology.replicas.size(); // the other replicas + the old master
    if (topology.minReplicasToWrite > 0)
        out << check(QStringLiteral("min-replicas-to-write"),
                     afterwards >= topology.minReplicasToWrite ? S::Pass : S::Fail,
                     QStringLiteral("%1 required; %2 replicas after the failover")
                         .arg(topology.minReplicasToWrite)
                         .arg(afterwards));
    else
        out << check(QStringLiteral("min-replicas-to-write"), S::Pass,
                     QStringLiteral("not set (0)"));
    return out;
}

bool FailoverCheck::allowTrigger(const QList<FailoverCheck>& checks)
{
    for (const FailoverCheck& c : checks) {
        if (c.status == Status::Fail)
            return false;
    }
    return !checks.isEmpty();
}

} // namespace querydeck
