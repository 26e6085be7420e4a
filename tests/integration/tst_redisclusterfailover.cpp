// A real Redis Cluster (3 masters + 3 replicas, `redis-cli --cluster create`)
// on loopback ports: discovery through CLUSTER NODES, the FORCE risk gate,
// and a manual CLUSTER FAILOVER through FailoverController, verified with
// redis-cli (ROLE, CLUSTER NODES) rather than the controller's own view.
#include "RedisTopologyFixture.h"
#include "backend/redis/ClusterNodes.h"
#include "backend/redisops/FailoverController.h"

#include <QSignalSpy>
#include <QTest>

using namespace querydeck;
using querydeck::test::RedisTopologyFixture;

class RedisClusterFailoverTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void discovery();
    void forceNeedsConfirmation();
    void manualFailover();

private:
    FailoverRequest request(const QString& replica) const;
    ClusterNodes nodesNow() const;
    RedisTopologyFixture m_redis;
};

void RedisClusterFailoverTest::initTestCase()
{
    const QString error = m_redis.startCluster();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void RedisClusterFailoverTest::cleanupTestCase()
{
    m_redis.stop();
}

ClusterNodes RedisClusterFailoverTest::nodesNow() const
{
    return ClusterNodes::parse(
        RedisTopologyFixture::cli(m_redis.clusterPorts().first(), {"CLUSTER", "NODES"}).toUtf8());
}

FailoverRequest RedisClusterFailoverTest::request(const QString& replica) const
{
    FailoverRequest r;
    r.mode = FailoverRequest::Mode::Cluster;
    r.clusterSeed = RedisAddress{QStringLiteral("127.0.0.1"), m_redis.clusterPorts().first()};
    r.replica = replica;
    r.timeoutMs = 60000;
    return r;
}

void RedisClusterFailoverTest::discovery()
{
    const ClusterNodes nodes = nodesNow();
    QVERIFY2(nodes.problems.isEmpty(), qPrintable(nodes.problems.join('\n')));
    QCOMPARE(nodes.nodes.size(), 6);
    int slotTotal = 0, masters = 0;
    for (const ClusterNode& node : nodes.nodes) {
        if (node.isMaster()) {
            ++masters;
            slotTotal += node.slotCount();
            QCOMPARE(nodes.replicasOf(node.id).size(), 1);
        }
    }
    QCOMPARE(masters, 3);
    QCOMPARE(slotTotal, ClusterNodes::kSlots);

    FailoverController controller;
    controller.setRequest(request({}));
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    controller.discover();
    QVERIFY(checks.wait(15000));
    const RedisTopology& t = controller.topology();
    QCOMPARE(t.kind, RedisTopology::Kind::Cluster);
    QCOMPARE(t.cluster.nodes.size(), 6);
    QVERIFY(t.master.reachable);
    QCOMPARE(t.master.role, QStringLiteral("master"));
    QCOMPARE(t.replicas.size(), 1);
    QCOMPARE(t.replicas.first().linkStatus, QStringLiteral("up"));
    QCOMPARE(t.replicas.first().followsMaster, t.master.address);
    // No replica chosen yet: the checks say so and block the trigger.
    QVERIFY(!FailoverCheck::allowTrigger(controller.checks()));
}

void RedisClusterFailoverTest::forceNeedsConfirmation()
{
    const ClusterNodes nodes = nodesNow();
    QString replica;
    for (const ClusterNode& node : nodes.nodes) {
        if (node.isReplica())
            replica = node.address();
    }
    FailoverRequest r = request(replica);
    r.clusterOption = FailoverRequest::ClusterOption::Force;
    FailoverController controller;
    controller.setRequest(r);
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    controller.discover();
    QVERIFY(checks.wait(15000));
    QVERIFY(!FailoverCheck::allowTrigger(controller.checks()));
    QVERIFY(!controller.trigger());
    r.riskConfirmed = true;
    controller.setRequest(r);
    controller.recheck();
    QVERIFY(FailoverCheck::allowTrigger(controller.checks()));
    QVERIFY(controller.cancel()); // and nothing was done
    QCOMPARE(nodesNow().byId(nodes.nodes.first().id)->flags, nodes.nodes.first().flags);
}

void RedisClusterFailoverTest::manualFailover()
{
    const ClusterNodes before = nodesNow();
    const ClusterNode* replica = nullptr;
    for (const ClusterNode& node : before.nodes) {
        if (node.isReplica() && !replica)
            replica = &node;
    }
    QVERIFY(replica);
    const QString oldMaster = before.byId(replica->masterId)->address();
    const int oldSlots = before.byId(replica->masterId)->slotCount();

    FailoverController controller;
    controller.setRequest(request(replica->address()));
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    QSignalSpy finished(&controller, &FailoverController::finished);
    controller.discover();
    QVERIFY(checks.wait(15000));
    QCOMPARE(controller.topology().master.address, oldMaster);
    for (const FailoverCheck& c : controller.checks())
        QVERIFY2(c.status != FailoverCheck::Status::Fail, qPrintable(c.name + ": " + c.detail));
    QVERIFY(controller.trigger());
    QVERIFY(finished.wait(70000));
    const FailoverController::Report report = controller.report();
    QVERIFY2(report.ok, qPrintable(report.error));
    QCOMPARE(report.oldMaster, oldMaster);
    QCOMPARE(report.newMaster, replica->address());

    // The cluster itself, read with redis-cli; gossip reaches the seed node within seconds.
    const auto switched = [&] {
        const ClusterNodes now = nodesNow();
        const ClusterNode* promoted = now.byId(replica->id);
        const ClusterNode* demoted = now.byId(replica->masterId);
        return promoted && demoted && promoted->isMaster() && promoted->slotCount() == oldSlots &&
               demoted->isReplica() && demoted->masterId == replica->id;
    };
    QTRY_VERIFY_WITH_TIMEOUT(switched(), 15000);
    const quint16 newPort = quint16(replica->port);
    QVERIFY(RedisTopologyFixture::cli(newPort, {"ROLE"}).startsWith("master"));
    QVERIFY(report.verified.filter("accepted a write").size() == 1);
    QVERIFY(report.verified.filter("cache read").size() == 1);
    QVERIFY(report.promotedMs > 0 && report.promotedMs <= report.durationMs);
    qInfo("Cluster manual failover: replica promoted after %lld ms, write accepted and verified "
          "after %lld ms",
          report.promotedMs, report.durationMs);
}

QTEST_GUILESS_MAIN(RedisClusterFailoverTest)
#include "tst_redisclusterfailover.moc"
