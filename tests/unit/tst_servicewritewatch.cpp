#include "backend/redisops/ServiceWriteWatch.h"
#include "ui/redis/FailoverReportText.h"

#include <QtTest>

using namespace querydeck;

namespace {

const QString kOld = QStringLiteral("127.0.0.1:7000");
const QString kNew = QStringLiteral("127.0.0.1:7001");
const QString kA = QStringLiteral("http://127.0.0.1:8101");
const QString kB = QStringLiteral("http://127.0.0.1:8102");

ServiceReplicaProbe::State state(const QString& url, const QString& master, double fallbacks,
                                 bool degraded = false)
{
    ServiceReplicaProbe::State s;
    s.url = url;
    s.usesRedis = true;
    s.redisMaster = master;
    s.failedQueries = 0;
    s.cacheFallbacks = fallbacks;
    s.cacheDegraded = degraded;
    return s;
}

} // namespace

// The failover as the service replicas saw it: rounds of their /v1/info and
// /metrics fed to ServiceWriteWatch::record() at given times since the
// trigger, then the report's figures and the page's sentences.
class TestServiceWriteWatch : public QObject
{
    Q_OBJECT

private slots:
    // Replica A moves at 1.0 s, B at 1.25 s (falling back to memory for a
    // while); the promotion was at 0.3 s; the check write came at 11.3 s.
    void replicasMoveAtDifferentTimes()
    {
        // start() polls over HTTP at once; stop() drops that round and keeps
        // the tracks, so the rounds below are the only ones.
        ServiceWriteWatch fed([] { return qint64(0); });
        fed.setIntervalMs(250);
        fed.start({kA, kB}, kOld);
        fed.stop();
        fed.record({state(kA, kOld, 5), state(kB, kOld, 9)}, 20);
        fed.record({state(kA, kOld, 5), state(kB, kOld, 9)}, 270);
        fed.record({state(kA, kOld, 5), state(kB, kOld, 12, true)}, 520);
        fed.record({state(kA, kOld, 5), state(kB, kOld, 20, true)}, 770);
        fed.record({state(kA, kNew, 5), state(kB, kOld, 24, true)}, 1010);
        fed.record({state(kA, kNew, 5), state(kB, kNew, 24)}, 1260);
        fed.record({state(kA, kNew, 5), state(kB, kNew, 24)}, 1500);

        FailoverReport r;
        r.ok = true;
        r.oldMaster = kOld;
        r.newMaster = kNew;
        r.promotedMs = 300;
        r.durationMs = 11'330;
        fed.fill(&r);
        QCOMPARE(r.replicaWrites.size(), 2);
        QCOMPARE(r.replicaWrites[0].resumedMs, 1010);
        QCOMPARE(r.replicaWrites[0].lastOldMs, 770);
        QCOMPARE(r.replicaWrites[0].fallbacks, 0);
        QCOMPARE(r.replicaWrites[0].degradedFromMs, -1);
        QCOMPARE(r.replicaWrites[1].resumedMs, 1260);
        QCOMPARE(r.replicaWrites[1].fallbacks, 15);
        QCOMPARE(r.replicaWrites[1].degradedFromMs, 270); // the read before the first growth
        QCOMPARE(r.replicaWrites[1].degradedToMs, 1010);
        QCOMPARE(r.writesResumedMs, 1260); // the last replica to move
        QCOMPARE(r.cacheFallbacks, 15);
        // From the promotion (writes to the old master are dropped) to the last move.
        QCOMPARE(r.degradedFromMs, 270);
        QCOMPARE(r.degradedToMs, 1260);
        QVERIFY2(r.writesDetail.startsWith("2 QueryDeck replica(s) read every 0.25 s"),
                 qPrintable(r.writesDetail));

        QCOMPARE(FailoverReportText::outcome(r),
                 QString("Failover done: %1 → %2. A replica was promoted 0.3 s after the trigger. "
                         "The QueryDeck replicas' caches used the new master from 1.3 s "
                         "after the trigger.")
                     .arg(kOld, kNew));
        QVERIFY2(FailoverReportText::writesResumed(r).startsWith(
                     QString("1.3 s after the trigger (%1 at 1.0 s, %2 at 1.3 s)").arg(kA, kB)),
                 qPrintable(FailoverReportText::writesResumed(r)));
        QVERIFY2(FailoverReportText::degraded(r).startsWith(
                     "0.3 s to 1.3 s after the trigger: 15 cache operations answered from "
                     "replica memory; from the promotion until a replica moved"),
                 qPrintable(FailoverReportText::degraded(r)));
        QVERIFY2(FailoverReportText::method(r).startsWith(
                     "Read from each QueryDeck replica every 0.25 s from the trigger"),
                 qPrintable(FailoverReportText::method(r)));
        QVERIFY2(FailoverReportText::checkWrite(r).startsWith(
                     "11.3 s after the trigger (the console's own test"),
                 qPrintable(FailoverReportText::checkWrite(r)));
    }

    // A replica that never moves, one that does not answer: no fleet figure,
    // and the detail names both.
    void notAllMoved()
    {
        ServiceWriteWatch watch([] { return qint64(0); });
        watch.start({kA, kB}, kOld);
        watch.stop();
        ServiceReplicaProbe::State down;
        down.url = kB;
        down.error = QStringLiteral("/v1/info: connection refused");
        watch.record({state(kA, kOld, 0), down}, 250);
        watch.record({state(kA, kOld, 0), down}, 500);
        FailoverReport r;
        r.oldMaster = kOld;
        r.newMaster = kNew;
        r.promotedMs = 300;
        watch.fill(&r);
        QCOMPARE(r.writesResumedMs, -1);
        QVERIFY2(
            r.writesDetail.contains(QString("not on the new master: %1 (on %2)").arg(kA, kOld)),
            qPrintable(r.writesDetail));
        QVERIFY2(
            r.writesDetail.contains(QString("not read: %1 (/v1/info: connection refused)").arg(kB)),
            qPrintable(r.writesDetail));
        QVERIFY(FailoverReportText::writesResumed(r).startsWith("not all seen on the new master"));
        QVERIFY(FailoverReportText::degraded(r).startsWith("none seen"));
    }

    // A replica restarted during the failover: its counter went down, and
    // all it counted since is in.
    void restartCountsFromZero()
    {
        ServiceWriteWatch watch([] { return qint64(0); });
        watch.start({kA}, kOld);
        watch.stop();
        watch.record({state(kA, kOld, 40)}, 250);
        watch.record({state(kA, kNew, 3)}, 500);
        FailoverReport r;
        r.oldMaster = kOld;
        r.newMaster = kNew;
        r.promotedMs = 400;
        watch.fill(&r);
        QCOMPARE(r.cacheFallbacks, 3);
        QCOMPARE(r.writesResumedMs, 500);
        QCOMPARE(r.replicaWrites[0].degradedFromMs, 250);
    }

    void noReplicas()
    {
        ServiceWriteWatch watch([] { return qint64(0); });
        watch.start({}, kOld);
        QVERIFY(!watch.isRunning());
        FailoverReport r;
        watch.fill(&r);
        QCOMPARE(r.writesResumedMs, -1);
        QVERIFY(r.writesDetail.startsWith("not measured"));
        QCOMPARE(FailoverReportText::writesResumed(r), r.writesDetail);
    }

    void metricsParse()
    {
        ServiceReplicaProbe::State s;
        QString error;
        QVERIFY(ServiceReplicaProbe::parseMetrics(
            "querydeck_http_requests_total{route=\"/v1/query\",code=\"200\"} 10\n"
            "querydeck_http_requests_total{route=\"/v1/query\",code=\"503\"} 2\n"
            "querydeck_cache_redis_fallbacks_total 7\n"
            "querydeck_cache_degraded 1\n",
            &s, &error));
        QCOMPARE(s.failedQueries, 2.0);
        QCOMPARE(s.cacheFallbacks, 7.0);
        QVERIFY(s.cacheDegraded);
        ServiceReplicaProbe::State none;
        QVERIFY(ServiceReplicaProbe::parseMetrics("querydeck_ready 1\n", &none, &error));
        QCOMPARE(none.cacheFallbacks, -1.0); // a replica without a Redis cache
        QVERIFY(!none.cacheDegraded);
    }
};

QTEST_GUILESS_MAIN(TestServiceWriteWatch)
#include "tst_servicewritewatch.moc"
