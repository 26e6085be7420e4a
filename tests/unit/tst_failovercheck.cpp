// FailoverCheck::evaluate over hand-built topologies: each row names the
// situation, the plan, and the check that must come out Pass/Warn/Fail with
// words from its detail; allowTrigger must follow the worst status.
#include "RedisTopologyData.h"
#include "backend/redisops/FailoverCheck.h"

#include <QTest>

using namespace querydeck;

Q_DECLARE_METATYPE(querydeck::FailoverRequest)

namespace {

RedisNodeState node(const QString& address, const QString& role, qint64 lagBytes = 0,
                    qint64 lagSeconds = 0, const QString& link = QStringLiteral("up"))
{
    RedisNodeState n = test::reachableNode(address, role, 1000 - lagBytes);
    n.linkStatus = role == QLatin1String("slave") ? link : QString();
    n.lagBytes = lagBytes;
    n.lagSeconds = lagSeconds;
    n.priority = 100;
    return n;
}

RedisTopology healthy()
{
    RedisTopology t =
        test::sentinelTopologyOf(QStringLiteral("qd"), 2, node("m:6379", "master"),
                                 {node("r1:6379", "slave"), node("r2:6379", "slave")});
    t.quorumOk = true;
    t.quorumText = QStringLiteral("OK 3 usable Sentinels");
    t.sentinels = {
        {"s:1", true, {}, true, {}}, {"s:2", true, {}, true, {}}, {"s:3", true, {}, true, {}}};
    return t;
}

using Status = FailoverCheck::Status;

} // namespace

class FailoverCheckTest : public QObject
{
    Q_OBJECT

private slots:
    void evaluate_data();
    void evaluate();
};

void FailoverCheckTest::evaluate_data()
{
    QTest::addColumn<RedisTopology>("topology");
    QTest::addColumn<FailoverRequest>("request");
    QTest::addColumn<QString>("check");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("allowed");

    const FailoverRequest sentinelPicks;
    FailoverRequest chooseR1;
    chooseR1.replica = QStringLiteral("r1:6379");

    QTest::newRow("healthy") << healthy() << sentinelPicks << "Replication lag" << int(Status::Pass)
                             << "0 bytes, 0 s behind" << true;
    RedisTopology lagging = healthy();
    lagging.replicas[1].lagBytes = 4096;
    lagging.replicas[1].lagSeconds = 2;
    QTest::newRow("lag > 0 warns with the loss window")
        << lagging << sentinelPicks << "Replication lag" << int(Status::Warn)
        << "up to 4096 bytes of writes from the last 2 s may be lost" << true;
    lagging.replicas[1].lagBytes = 5 * 1024 * 1024;
    QTest::newRow("lag over the limit fails")
        << lagging << sentinelPicks << "Replication lag" << int(Status::Fail)
        << "(limit 1048576 bytes, 10 s)" << false;
    RedisTopology oneDown = healthy();
    oneDown.replicas[0].linkStatus = QStringLiteral("down");
    QTest::newRow("Sentinel picks: one replica down only warns")
        << oneDown << sentinelPicks << "Replica link r1:6379" << int(Status::Warn)
        << "master link down" << true;
    QTest::newRow("the chosen replica down fails")
        << oneDown << chooseR1 << "Replica link r1:6379" << int(Status::Fail) << "master link down"
        << false;
    RedisTopology allDown = oneDown;
    allDown.replicas[1].reachable = false;
    allDown.replicas[1].error = QStringLiteral("timeout after 2000 ms");
    QTest::newRow("no promotable replica")
        << allDown << sentinelPicks << "Replicas" << int(Status::Fail)
        << "no replica with its link up" << false;
    RedisTopology noQuorum = healthy();
    noQuorum.quorumOk = false;
    noQuorum.quorumText = QStringLiteral("NOQUORUM 1 usable Sentinels");
    QTest::newRow("no quorum") << noQuorum << sentinelPicks << "Quorum" << int(Status::Fail)
                               << "NOQUORUM" << false;
    RedisTopology strict = healthy();
    strict.minReplicasToWrite = 3;
    QTest::newRow("min-replicas-to-write above what remains")
        << strict << sentinelPicks << "min-replicas-to-write" << int(Status::Fail)
        << "3 required; 2 replicas after the failover" << false;
    QTest::newRow("unknown replica chosen") << healthy() <<
        [] {
            FailoverRequest r;
            r.replica = QStringLiteral("nobody:1");
            return r;
        }() << "Replica" << int(Status::Fail)
                                            << "nobody:1 is not a replica of m:6379" << false;

    RedisTopology cluster = healthy();
    cluster.kind = RedisTopology::Kind::Cluster;
    FailoverRequest force;
    force.mode = FailoverRequest::Mode::Cluster;
    force.replica = QStringLiteral("r1:6379");
    force.clusterOption = FailoverRequest::ClusterOption::Force;
    QTest::newRow("FORCE without confirmation") << cluster << force << "Risk" << int(Status::Fail)
                                                << "need an explicit confirmation" << false;
    force.riskConfirmed = true;
    QTest::newRow("FORCE confirmed warns")
        << cluster << force << "Risk" << int(Status::Warn) << "FORCE confirmed" << true;
    FailoverRequest clusterNoReplica;
    clusterNoReplica.mode = FailoverRequest::Mode::Cluster;
    QTest::newRow("cluster without a chosen replica")
        << cluster << clusterNoReplica << "Replica" << int(Status::Fail)
        << "choose the replica to promote" << false;
    RedisTopology none;
    none.problems << QStringLiteral("no sentinel knows a master named \"qd\"");
    QTest::newRow("nothing discovered") << none << sentinelPicks << "Master" << int(Status::Fail)
                                        << "no sentinel knows a master" << false;
}

void FailoverCheckTest::evaluate()
{
    QFETCH(RedisTopology, topology);
    QFETCH(FailoverRequest, request);
    QFETCH(QString, check);
    QFETCH(int, status);
    QFETCH(QString, detail);
    QFETCH(bool, allowed);

    const QList<FailoverCheck> checks = FailoverCheck::evaluate(topology, request);
    QStringList all;
    const FailoverCheck* found = nullptr;
    for (const FailoverCheck& c : checks) {
        all << QStringLiteral("%1 [%2] %3").arg(c.name).arg(int(c.status)).arg(c.detail);
        if (c.name == check)
            found = &c;
    }
    QVERIFY2(found, qPrintable(all.join('\n')));
    QCOMPARE(int(found->status), status);
    QVERIFY2(found->detail.contains(detail), qPrintable(found->detail));
    QCOMPARE(FailoverCheck::allowTrigger(checks), allowed);
}

QTEST_GUILESS_MAIN(FailoverCheckTest)
#include "tst_failovercheck.moc"
