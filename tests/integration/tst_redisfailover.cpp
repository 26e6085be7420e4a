// Topology discovery and FailoverController against a real master, 2
// replicas and 3 sentinels (down-after-milliseconds 1500) on loopback
// ports: the discovered state, the pre-checks (including a replica whose
// link is down), cancel before the trigger, and real Sentinel failovers
// (Sentinel's pick, then a chosen replica), each verified with redis-cli.
#include "RedisTopologyFixture.h"
#include "backend/redisops/FailoverController.h"
#include "backend/redisops/TopologyDiscovery.h"

#include <QSignalSpy>
#include <QTest>

using namespace querydeck;
using querydeck::test::RedisTopologyFixture;

class RedisFailoverTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void discovery();
    void preChecksPass();
    void cancelBeforeTrigger();
    void replicaLinkDownFailsPreCheck();
    void sentinelPicks();
    void chosenReplica();
    void badInput();

private:
    RedisTopologyFixture m_redis;
};

void RedisFailoverTest::initTestCase()
{
    qRegisterMetaType<RedisTopology>();
    const QString error = m_redis.startSentinelTopology(2, 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void RedisFailoverTest::cleanupTestCase()
{
    m_redis.stop();
}

void RedisFailoverTest::discovery()
{
    RedisTopologyFixture::cli(m_redis.masterPort(), {"SET", "k", "v"});
    TopologyDiscovery discovery;
    QSignalSpy spy(&discovery, &TopologyDiscovery::finished);
    // The first address is a dead one: discovery must move on to the next sentinel.
    QList<RedisAddress> sentinels{{QStringLiteral("127.0.0.1"), RedisTopologyFixture::freePort()}};
    sentinels += m_redis.failoverRequest().sentinels;
    discovery.discoverSentinel(sentinels, QLatin1String(RedisTopologyFixture::kMasterName));
    QVERIFY(spy.wait(15000));
    const RedisTopology t = spy.first().first().value<RedisTopology>();
    QCOMPARE(t.kind, RedisTopology::Kind::Sentinel);
    QCOMPARE(t.master.address, RedisTopologyFixture::address(m_redis.masterPort()));
    QVERIFY(t.master.reachable);
    QCOMPARE(t.master.role, QStringLiteral("master"));
    QVERIFY(t.master.offset > 0);
    QCOMPARE(t.replicas.size(), 2);
    for (const RedisNodeState& replica : t.replicas) {
        QVERIFY2(m_redis.replicaPorts().contains(quint16(replica.address.section(':', 1).toInt())),
                 qPrintable(replica.address));
        QCOMPARE(replica.role, QStringLiteral("slave"));
        QCOMPARE(replica.linkStatus, QStringLiteral("up"));
        QCOMPARE(replica.followsMaster, RedisTopologyFixture::address(m_redis.masterPort()));
        QVERIFY(replica.lagBytes >= 0);
        QVERIFY(replica.lagSeconds >= 0);
        QCOMPARE(replica.priority, 100);
    }
    QCOMPARE(t.quorum, 2);
    QVERIFY2(t.quorumOk, qPrintable(t.quorumText));
    QVERIFY2(t.quorumText.startsWith("OK 3 usable Sentinels"), qPrintable(t.quorumText));
    QCOMPARE(t.sentinels.size(), 4); // the dead seed + 3
    QVERIFY(!t.sentinels.first().reachable);
    for (int i = 1; i < 4; ++i)
        QVERIFY2(t.sentinels[i].reachable, qPrintable(t.sentinels[i].address));
    QVERIFY2(t.problems.size() == 1 && t.problems.first().contains("refused", Qt::CaseInsensitive),
             qPrintable(t.problems.join('\n')));
}

void RedisFailoverTest::preChecksPass()
{
    FailoverController controller;
    controller.setRequest(m_redis.failoverRequest());
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    controller.discover();
    QVERIFY(checks.wait(15000));
    QCOMPARE(controller.phase(), FailoverController::Phase::Checked);
    QStringList names;
    for (const FailoverCheck& c : controller.checks()) {
        names << c.name;
        QVERIFY2(c.status != FailoverCheck::Status::Fail, qPrintable(c.name + ": " + c.detail));
    }
    QVERIFY(FailoverCheck::allowTrigger(controller.checks()));
    for (const char* expected :
         {"Master", "Replication lag", "Quorum", "Sentinels", "min-replicas-to-write"})
        QVERIFY2(names.contains(QLatin1String(expected)), qPrintable(names.join(", ")));
    QCOMPARE(names.filter("Replica link").size(), 2);

    // min-replicas-to-write above what the master will have afterwards fails the check.
    QCOMPARE(RedisTopologyFixture::cli(m_redis.masterPort(),
                                       {"CONFIG", "SET", "min-replicas-to-write", "3"}),
             QStringLiteral("OK"));
    controller.discover();
    QVERIFY(checks.wait(15000));
    bool failed = false;
    for (const FailoverCheck& c : controller.checks())
        failed = failed ||
                 (c.name == "min-replicas-to-write" && c.status == FailoverCheck::Status::Fail);
    QVERIFY(failed);
    QVERIFY(!controller.trigger());
    RedisTopologyFixture::cli(m_redis.masterPort(),
                              {"CONFIG", "SET", "min-replicas-to-write", "0"});
}

void RedisFailoverTest::cancelBeforeTrigger()
{
    const QString before = RedisTopologyFixture::currentMaster(m_redis.dataPorts());
    FailoverController controller;
    controller.setRequest(m_redis.failoverRequest());
    QSignalSpy phases(&controller, &FailoverController::phaseChanged);
    controller.discover();
    QVERIFY(controller.cancel()); // while discovering
    QCOMPARE(controller.phase(), FailoverController::Phase::Cancelled);
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    controller.discover();
    QVERIFY(checks.wait(15000));
    QVERIFY(controller.cancel()); // after the checks, before the trigger
    QCOMPARE(controller.phase(), FailoverController::Phase::Cancelled);
    QVERIFY(!controller.trigger());
    // Nothing was sent, now or later: every command that moves a server
    // (replica priorities, SENTINEL FAILOVER) runs in the Triggered phase,
    // which only a successful trigger() enters, and it never did.
    for (const QList<QVariant>& args : phases)
        QVERIFY(args.at(0).value<FailoverController::Phase>() !=
                FailoverController::Phase::Triggered);
    QCOMPARE(RedisTopologyFixture::currentMaster(m_redis.dataPorts()), before);
}

void RedisFailoverTest::replicaLinkDownFailsPreCheck()
{
    // Point one replica at a port where nothing listens: its master link goes down.
    const quint16 replica = m_redis.replicaPorts().first();
    const quint16 dead = RedisTopologyFixture::freePort();
    QCOMPARE(RedisTopologyFixture::cli(replica, {"REPLICAOF", "127.0.0.1", QString::number(dead)}),
             QStringLiteral("OK"));
    FailoverRequest r = m_redis.failoverRequest();
    r.replica = RedisTopologyFixture::address(replica);
    FailoverController controller;
    controller.setRequest(r);
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    controller.discover();
    QVERIFY(checks.wait(15000));
    const FailoverCheck* link = nullptr;
    for (const FailoverCheck& c : controller.checks()) {
        if (c.name == QStringLiteral("Replica link %1").arg(RedisTopologyFixture::address(replica)))
            link = &c;
    }
    QVERIFY(link);
    QCOMPARE(link->status, FailoverCheck::Status::Fail);
    QVERIFY2(link->detail.contains("master link down"), qPrintable(link->detail));
    QVERIFY(!FailoverCheck::allowTrigger(controller.checks()));
    QVERIFY(!controller.trigger());
    QCOMPARE(RedisTopologyFixture::cli(
                 replica, {"REPLICAOF", "127.0.0.1", QString::number(m_redis.masterPort())}),
             QStringLiteral("OK"));
    QTRY_VERIFY_WITH_TIMEOUT(RedisTopologyFixture::cli(replica, {"INFO", "replication"})
                                 .contains("master_link_status:up"),
                             15000);
}

void RedisFailoverTest::sentinelPicks()
{
    const QString oldMaster = RedisTopologyFixture::currentMaster(m_redis.dataPorts());
    QCOMPARE(oldMaster, RedisTopologyFixture::address(m_redis.masterPort()));
    FailoverController controller;
    controller.setRequest(m_redis.failoverRequest());
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    QSignalSpy finished(&controller, &FailoverController::finished);
    controller.discover();
    QVERIFY(checks.wait(15000));
    QVERIFY(controller.trigger());
    QVERIFY(!controller.cancel()); // refused once triggered
    QVERIFY(finished.wait(70000));
    const FailoverController::Report report = controller.report();
    QVERIFY2(report.ok, qPrintable(report.error));
    QCOMPARE(report.oldMaster, oldMaster);
    QVERIFY(report.newMaster != oldMaster);
    QVERIFY(report.durationMs > 0);
    // The servers agree, read without the controller.
    QCOMPARE(RedisTopologyFixture::currentMaster(m_redis.dataPorts()), report.newMaster);
    const QString oldRole = RedisTopologyFixture::cli(m_redis.masterPort(), {"ROLE"});
    QVERIFY2(oldRole.startsWith("slave\n127.0.0.1\n" + report.newMaster.section(':', 1)),
             qPrintable(oldRole));
    const QString named = RedisTopologyFixture::cli(
        m_redis.sentinelPorts().first(),
        {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", RedisTopologyFixture::kMasterName});
    QCOMPARE(named.split('\n').join(':'), report.newMaster);
    QStringList timeline;
    for (const FailoverController::Event& e : report.timeline)
        timeline << e.text;
    QVERIFY2(!timeline.filter("+switch-master").isEmpty(), qPrintable(timeline.join('\n')));
    QVERIFY2(!timeline.filter(report.newMaster + " is master").isEmpty(),
             qPrintable(timeline.join('\n')));
    QVERIFY(report.verified.filter("accepted a write").size() == 1);
    QVERIFY(report.promotedMs > 0 && report.promotedMs <= report.durationMs);
    qInfo("Sentinel failover: replica promoted after %lld ms, write accepted and verified after "
          "%lld ms",
          report.promotedMs, report.durationMs);
}

void RedisFailoverTest::chosenReplica()
{
    // Promote the replica that Sentinel would not necessarily pick: the former master.
    const QString oldMaster = RedisTopologyFixture::currentMaster(m_redis.dataPorts());
    QVERIFY(!oldMaster.isEmpty());
    const QString chosen = RedisTopologyFixture::address(m_redis.masterPort());
    QVERIFY(oldMaster != chosen);
    // Sentinel turns the old master into a replica some seconds after the switch.
    QTRY_VERIFY_WITH_TIMEOUT(
        RedisTopologyFixture::cli(m_redis.masterPort(), {"INFO", "replication"})
            .contains("master_link_status:up"),
        30000);
    FailoverRequest r = m_redis.failoverRequest();
    r.replica = chosen;
    FailoverController controller;
    controller.setRequest(r);
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    QSignalSpy finished(&controller, &FailoverController::finished);
    controller.discover();
    QVERIFY(checks.wait(15000));
    QVERIFY2(controller.topology().replica(chosen),
             "the former master must be listed as a replica");
    QVERIFY2(FailoverCheck::allowTrigger(controller.checks()), "pre-checks must pass");
    QVERIFY(controller.trigger());
    QVERIFY(finished.wait(90000));
    const FailoverController::Report report = controller.report();
    QVERIFY2(report.ok, qPrintable(report.error));
    QCOMPARE(report.newMaster, chosen);
    QCOMPARE(RedisTopologyFixture::currentMaster(m_redis.dataPorts()), chosen);
    // The steering priority was put back.
    QTRY_COMPARE_WITH_TIMEOUT(
        RedisTopologyFixture::cli(m_redis.masterPort(), {"CONFIG", "GET", "replica-priority"}),
        QStringLiteral("replica-priority\n100"), 5000);
}

void RedisFailoverTest::badInput()
{
    // Unknown master name, no sentinel at all, a cluster seed that is a sentinel.
    FailoverRequest r = m_redis.failoverRequest();
    r.masterName = QStringLiteral("no-such-master");
    FailoverController controller;
    controller.setRequest(r);
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    controller.discover();
    QVERIFY(checks.wait(15000));
    QCOMPARE(controller.checks().size(), 1);
    QCOMPARE(controller.checks().first().status, FailoverCheck::Status::Fail);
    QVERIFY2(controller.checks().first().detail.contains(
                 "no sentinel knows a master named \"no-such-master\""),
             qPrintable(controller.checks().first().detail));
    QVERIFY(!controller.trigger());

    FailoverRequest cluster;
    cluster.mode = FailoverRequest::Mode::Cluster;
    cluster.clusterSeed =
        RedisAddress{QStringLiteral("127.0.0.1"), m_redis.sentinelPorts().first()};
    cluster.replica = RedisTopologyFixture::address(m_redis.masterPort());
    FailoverController notCluster;
    notCluster.setRequest(cluster);
    QSignalSpy clusterChecks(&notCluster, &FailoverController::checksReady);
    notCluster.discover();
    QVERIFY(clusterChecks.wait(15000));
    QVERIFY(!FailoverCheck::allowTrigger(notCluster.checks()));
    QVERIFY2(notCluster.topology().problems.join(' ').contains("CLUSTER NODES"),
             qPrintable(notCluster.topology().problems.join(' ')));
}

QTEST_GUILESS_MAIN(RedisFailoverTest)
#include "tst_redisfailover.moc"
