// When did the service replicas write to the new master? The failover
// report's answer checked against the new master's own record, on real
// servers: a Redis master with one replica and 3 sentinels, two `querydeck
// serve` replicas on --redis-sentinel, each under a light stream of new
// questions (every answer is a cache write: SET + XADD to the cache stream).
//
// Ground truth, independent of the console: the cache stream on the new
// master. Its entry ids are the server's clock at the write, and each entry
// names the replica that wrote it (the question's token). After the
// promotion the new master replicates nothing, so an entry from replica R
// with an id after the promotion was written by R straight to it.
#include "QueryLoad.h"
#include "RedisTopologyFixture.h"
#include "ServeProcess.h"
#include "backend/redisops/FailoverController.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace querydeck;
using namespace querydeck::test;

namespace {

constexpr double kWritesPerSecond = 20; // per replica; one write every 50 ms
// A replica's switch is read by polling; the report may be late by one poll
// interval plus the answer's round trip, never early.
constexpr qint64 kLateToleranceMs = 750;

quint16 portOf(const QString& address)
{
    return quint16(address.section(':', 1).toInt());
}

// Epoch ms of the first entry of the cache stream on `server` whose id is at
// or after `fromMs` and whose question contains `token`; -1 when none.
qint64 firstWriteAtOrAfter(const QString& server, qint64 fromMs, const QString& token)
{
    const QString out = RedisTopologyFixture::cli(
        portOf(server), {"XRANGE", "querydeck:cache-stream", QString::number(fromMs), "+"});
    // redis-cli prints an entry as its id on one line, then its fields.
    qint64 id = -1;
    for (const QString& line : out.split(QLatin1Char('\n'))) {
        const QString l = line.trimmed();
        if (l.size() > 13 && l.at(13) == QLatin1Char('-') && l.left(13).toLongLong() > 0)
            id = l.left(13).toLongLong();
        else if (id >= 0 && l.contains(token))
            return id;
    }
    return -1;
}

} // namespace

class RedisFailoverWritesTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void reportSaysWhenReplicasWroteToTheNewMaster();

private:
    RedisTopologyFixture m_redis;
    QTemporaryDir m_dir;
    ServeProcess m_a;
    ServeProcess m_b;
};

void RedisFailoverWritesTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString error = m_redis.startSentinelTopology(1, 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString config = m_dir.filePath(QStringLiteral("config.json"));
    QVERIFY(ServeProcess::writeRedisConfig(config, m_dir.filePath(QStringLiteral("index"))));
    QStringList sentinels;
    for (const quint16 port : m_redis.sentinelPorts())
        sentinels << RedisTopologyFixture::address(port);
    for (ServeProcess* s : {&m_a, &m_b}) {
        const QString started = s->start(
            {QStringLiteral("--redis-sentinel"), sentinels.join(QLatin1Char(',')),
             QStringLiteral("--redis-master"), QLatin1String(RedisTopologyFixture::kMasterName),
             QStringLiteral("--corpus"), QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small"),
             QStringLiteral("--config"), config});
        QVERIFY2(started.isEmpty(), qPrintable(started));
    }
}

void RedisFailoverWritesTest::cleanupTestCase()
{
    m_a.terminate();
    m_b.terminate();
    m_redis.stop();
}

void RedisFailoverWritesTest::reportSaysWhenReplicasWroteToTheNewMaster()
{
    const QString oldMaster = RedisTopologyFixture::address(m_redis.masterPort());
    std::vector<std::unique_ptr<QueryLoad>> loads;
    const QStringList tokens{QStringLiteral("writesalpha"), QStringLiteral("writesbravo")};
    const QList<ServeProcess*> services{&m_a, &m_b};
    for (int i = 0; i < 2; ++i) {
        // Every question new: a miss, answered, then written to the cache.
        auto load = std::make_unique<QueryLoad>(services[i]->port(), 2, 1 << 30,
                                                tokens[i].toUtf8() + " question");
        load->setRate(kWritesPerSecond);
        load->start();
        loads.push_back(std::move(load));
    }
    // Both replicas are writing to the old master before the trigger.
    const qint64 loadStartMs = QDateTime::currentMSecsSinceEpoch();
    for (const QString& token : tokens)
        QTRY_VERIFY_WITH_TIMEOUT(firstWriteAtOrAfter(oldMaster, loadStartMs, token) > 0, 20000);

    FailoverController controller;
    controller.setRequest(m_redis.failoverRequest());
    QStringList urls;
    for (ServeProcess* s : services)
        urls << QStringLiteral("http://127.0.0.1:%1").arg(s->port());
    controller.setServiceReplicas(urls);
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    QSignalSpy finished(&controller, &FailoverController::finished);
    controller.discover();
    QVERIFY(checks.wait(15000));
    QVERIFY(FailoverCheck::allowTrigger(controller.checks()));
    const qint64 triggerMs = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(controller.trigger());
    QVERIFY(finished.wait(70000));
    for (auto& load : loads)
        load->stop();
    const FailoverReport r = controller.report();
    for (const FailoverEvent& e : r.timeline)
        qInfo("  %+8lld ms  %s", e.atMs, qPrintable(e.text));
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.promotedMs >= 0);

    // The truth, per replica: its first write on the new master after the
    // promotion was seen (an entry there from then on cannot be replicated).
    qint64 lastTruthMs = -1;
    for (int i = 0; i < 2; ++i) {
        const qint64 at = firstWriteAtOrAfter(r.newMaster, triggerMs + r.promotedMs, tokens[i]);
        QVERIFY2(at > 0, qPrintable(tokens[i] + " never wrote to the new master"));
        lastTruthMs = std::max(lastTruthMs, at - triggerMs);
    }
    qInfo("promoted after %.2f s; both replicas wrote to the new master by %.2f s (its cache "
          "stream); the report says %.2f s; the check write was at %.2f s",
          r.promotedMs / 1000.0, lastTruthMs / 1000.0, r.writesResumedMs / 1000.0,
          r.durationMs / 1000.0);

    // The report's figure for "the replicas write to the new master again"
    // is the truth, late by at most one poll, and not before the promotion.
    QVERIFY2(r.writesResumedMs >= 0, qPrintable(r.writesDetail));
    QVERIFY2(
        r.writesResumedMs <= lastTruthMs + kLateToleranceMs,
        qPrintable(
            QStringLiteral("report %1 ms, truth %2 ms").arg(r.writesResumedMs).arg(lastTruthMs)));
    QVERIFY2(r.writesResumedMs + kLateToleranceMs >= r.promotedMs,
             qPrintable(QStringLiteral("report %1 ms, promoted %2 ms")
                            .arg(r.writesResumedMs)
                            .arg(r.promotedMs)));
    QCOMPARE(r.replicaWrites.size(), 2);
    for (const FailoverReport::ReplicaWrites& w : r.replicaWrites) {
        QVERIFY2(w.error.isEmpty(), qPrintable(w.error));
        QCOMPARE(w.master, r.newMaster);
        QVERIFY(w.resumedMs >= 0 && w.resumedMs <= r.writesResumedMs);
    }
}

QTEST_GUILESS_MAIN(RedisFailoverWritesTest)
#include "tst_redisfailover_writes.moc"
