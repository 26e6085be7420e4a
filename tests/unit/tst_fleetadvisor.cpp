#include "backend/scaling/FleetAdvisor.h"
#include "backend/scaling/HostResourcesCheck.h"
#include "backend/scaling/PortsFreeCheck.h"
#include "backend/scaling/PreflightCheck.h"

#include <QTcpServer>
#include <QtTest>

using namespace querydeck;

Q_DECLARE_METATYPE(querydeck::FleetState)

namespace {

CheckResult runNow(PreflightCheck& check, const ScaleRequest& request)
{
    CheckResult out{CheckResult::Level::Fail, QStringLiteral("<not called>")};
    QObject context;
    check.run(request, &context, [&](const CheckResult& r) { out = r; });
    return out;
}

} // namespace

// The decision matrix, capacity projections and the local pre-flight checks.
class TestFleetAdvisor : public QObject
{
    Q_OBJECT

private slots:
    void diagnose_data()
    {
        QTest::addColumn<FleetState>("state");
        QTest::addColumn<QStringList>("bottlenecks");
        QTest::addColumn<bool>("replicasHelp");
        FleetState calm;
        calm.cpuPercent = 40;
        calm.latencySeconds = 1;
        calm.cacheHitPercent = 60;
        calm.redisEvictionsPerSecond = 0;
        calm.retrievalP95Seconds = 0.2;
        QTest::newRow("calm") << calm << QStringList{} << false;
        FleetState cpu = calm;
        cpu.cpuPercent = 85;
        cpu.latencySeconds = 12; // explained by the CPU: no second finding
        QTest::newRow("high API CPU") << cpu << QStringList{"API compute"} << true;
        FleetState evictions = calm;
        evictions.redisEvictionsPerSecond = 3.5;
        QTest::newRow("Redis evictions")
            << evictions << QStringList{"Redis memory pressure"} << false;
        FleetState retrieval = calm;
        retrieval.retrievalP95Seconds = 2.5;
        QTest::newRow("slow retrieval") << retrieval << QStringList{"slow retrieval"} << false;
        FleetState cache = calm;
        cache.cacheHitPercent = 10;
        QTest::newRow("low hit rate") << cache << QStringList{"cache effectiveness"} << false;
        FleetState latency = calm;
        latency.latencySeconds = 15;
        QTest::newRow("slow, CPU idle")
            << latency << QStringList{"generation or a dependency"} << false;
        FleetState both = cpu;
        both.redisEvictionsPerSecond = 1;
        QTest::newRow("CPU and evictions")
            << both << QStringList{"API compute", "Redis memory pressure"} << true;
        FleetState failed = calm;
        failed.replicas = 2;
        failed.working = 1;
        failed.ready = 1;
        failed.failed = 1;
        QTest::newRow("a failed replica")
            << failed << QStringList{"failed replicas: not capacity"} << false;
        QTest::newRow("no data") << FleetState{} << QStringList{} << false;
    }

    void diagnose()
    {
        QFETCH(FleetState, state);
        QFETCH(QStringList, bottlenecks);
        QFETCH(bool, replicasHelp);
        const QList<Finding> findings = FleetAdvisor::diagnose(state);
        QStringList got;
        bool help = false;
        for (const Finding& f : findings) {
            got << f.bottleneck;
            help = help || f.replicasHelp;
            QVERIFY(!f.symptom.isEmpty() && !f.action.isEmpty());
        }
        QCOMPARE(got, bottlenecks);
        QCOMPARE(help, replicasHelp);
    }

    void evictionsSayNotReplicas()
    {
        FleetState s;
        s.redisEvictionsPerSecond = 2;
        const QList<Finding> findings = FleetAdvisor::diagnose(s);
        QCOMPARE(findings.size(), 1);
        QVERIFY(findings.first().action.contains("Redis memory"));
        QVERIFY(findings.first().action.contains("not more replicas"));
    }

    // Throughput per replica is the load on the replicas that serve: with 1
    // of 2 failed, the one ready replica carries all 6 queries/s.
    void throughputPerServingReplica()
    {
        FleetState s;
        s.replicas = 2;
        s.queriesPerSecond = 6;
        QCOMPARE(*s.perReplicaQps(), 3.0);
        s.working = 1;
        s.ready = 1;
        s.failed = 1;
        QCOMPARE(*s.perReplicaQps(), 6.0);
        const QList<Finding> findings = FleetAdvisor::diagnose(s);
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings.first().symptom, QString("1 of 2 replicas failed"));
        s.working = 0;
        s.ready = 0;
        QVERIFY(!s.perReplicaQps());
    }

    // Seconds in their unit: a 2.5 s retrieval P95 and 15 s latency as such,
    // thresholds beside them the same way.
    void findingsInUnits()
    {
        FleetState s;
        s.retrievalP95Seconds = 2.5;
        s.latencySeconds = 15;
        const QList<Finding> findings = FleetAdvisor::diagnose(s);
        QCOMPARE(findings.size(), 2);
        QCOMPARE(findings.at(0).symptom, QString("retrieval p95 2.50 s (> 1 s)"));
        QCOMPARE(findings.at(1).symptom, QString("latency 15.0 s (> 10 s) with CPU not saturated"));
    }

    void projection()
    {
        FleetState s;
        s.replicas = 2;
        s.queriesPerSecond = 6; // 3 per replica at 60% CPU
        s.cpuPercent = 60;
        s.queriesMeasured = 1800; // enough to measure what a query costs
        const CapacityProjection p = FleetAdvisor::project(s, 4, 70);
        QCOMPARE(p.costPerMonth, 280.0);
        QVERIFY(p.queriesPerDay);
        QCOMPARE(*p.queriesPerDay, 3.0 * 70 / 60 * 4 * 86400); // scaled to 70% utilisation
        s.queriesPerSecond = std::nullopt;
        QVERIFY(!FleetAdvisor::project(s, 4, 70).queriesPerDay);
        s.queriesPerSecond = 0;
        QVERIFY(!FleetAdvisor::project(s, 4, 70).queriesPerDay);
        QCOMPARE(FleetAdvisor::tiers().size(), 4);
        QCOMPARE(FleetAdvisor::tiers().at(3).name, QString("Large"));
    }

    // The case: 2.48 queries/s per replica at 1 % CPU. Capacity is
    // what a replica could serve, not what it serves now: "8 replicas =
    // 1.7M/day" (today's load × 8) must not come out.
    void lowCpuLoadIsNotCapacity()
    {
        FleetState s;
        s.replicas = 2;
        s.queriesPerSecond = 4.96;
        s.cpuPercent = 1.0;
        const CapacityProjection p = FleetAdvisor::project(s, 8, 70);
        QVERIFY2(!p.queriesPerDay || *p.queriesPerDay > 2.48 * 86400 * 8 * 1.5,
                 qPrintable(QString::number(p.queriesPerDay.value_or(-1), 'f', 0)));
    }

    // The same fleet measured per query: CPU is the bottleneck, 1 core ÷
    // 4.03 ms of CPU per query = 248 queries/s per replica, planned at 70 %.
    void capacityFromCostPerQuery()
    {
        FleetState s;
        s.replicas = 2;
        s.queriesPerSecond = 4.96;
        s.cpuPercent = 1.0;
        s.cpuSecondsPerQuery = 0.01 / 2.48;
        s.serviceTimeSeconds = 0.002;
        s.queriesMeasured = 1488;
        const ReplicaCapacity c = FleetAdvisor::capacity(s, {1.0, 32, 4});
        QVERIFY2(c.saturationQps, qPrintable(c.unknownReason));
        QCOMPARE(c.bounds.size(), 2);
        QCOMPARE(c.bounds[0].resource, QString("CPU"));
        QCOMPARE(*c.saturationQps, 248.0);
        QCOMPARE(*c.plannedQps, 248.0 * 0.7);
        QCOMPARE(c.bounds[1].resource, QString("handler threads"));
        QCOMPARE(c.bounds[1].queriesPerSecond, 32 / 0.002);
        QCOMPARE(*c.loadQps, 2.48); // beside capacity, not in it
        const CapacityProjection p = FleetAdvisor::project(c, 8, 70);
        QCOMPARE(*p.queriesPerDay, 248.0 * 0.7 * 8 * 86400);
        // Two cores per replica double the CPU bound.
        QCOMPARE(*FleetAdvisor::capacity(s, {2.0, 32, 4}).saturationQps, 496.0);
    }

    // Misses wait on the model: 4 generation slots ÷ 1.5 s of generation per
    // query is the bottleneck, not CPU or handler threads.
    void generationBound()
    {
        FleetState s;
        s.replicas = 1;
        s.queriesPerSecond = 1;
        s.cpuSecondsPerQuery = 0.01;
        s.serviceTimeSeconds = 2.0;
        s.generationSecondsPerQuery = 1.5;
        s.queriesMeasured = 300;
        const ReplicaCapacity c = FleetAdvisor::capacity(s);
        QCOMPARE(c.bounds.size(), 3);
        QCOMPARE(c.bounds[0].resource, QString("generation slots"));
        QCOMPARE(*c.saturationQps, 4 / 1.5);
        QCOMPARE(c.bounds[1].resource, QString("handler threads"));
        QCOMPARE(c.bounds[2].resource, QString("CPU"));
    }

    // Too little traffic, or no CPU measure: no number, and why.
    void notEnoughToMeasure()
    {
        FleetState s;
        s.replicas = 2;
        s.queriesPerSecond = 0.1;
        s.cpuSecondsPerQuery = 0.05;
        s.queriesMeasured = 40;
        ReplicaCapacity c = FleetAdvisor::capacity(s);
        QVERIFY(!c.saturationQps && !c.plannedQps);
        QVERIFY2(c.unknownReason.startsWith("only 40 queries in the last 5 min"),
                 qPrintable(c.unknownReason));
        QVERIFY(!FleetAdvisor::project(c, 4, 70).queriesPerDay);
        QCOMPARE(FleetAdvisor::project(c, 4, 70).costPerMonth, 280.0);
        s.queriesMeasured = std::nullopt;
        QVERIFY(FleetAdvisor::capacity(s).unknownReason.startsWith("no queries measured"));
        s.queriesMeasured = 500;
        s.cpuSecondsPerQuery = std::nullopt;
        s.serviceTimeSeconds = 0.5; // handler threads alone would overstate it
        c = FleetAdvisor::capacity(s);
        QVERIFY(!c.saturationQps);
        QVERIFY2(c.unknownReason.contains("CPU time per query was not measured"),
                 qPrintable(c.unknownReason));
    }

    void portsFree()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        ScaleRequest r;
        r.currentReplicas = 1;
        r.targetReplicas = 2;
        r.basePort = taken.serverPort() - 1; // replica 2 wants the taken port
        PortsFreeCheck check;
        CheckResult result = runNow(check, r);
        QCOMPARE(result.level, CheckResult::Level::Fail);
        QVERIFY2(result.message.contains(QString::number(taken.serverPort())),
                 qPrintable(result.message));
        const quint16 port = taken.serverPort();
        taken.close();
        result = runNow(check, r);
        QCOMPARE(result.level, CheckResult::Level::Pass);
        QVERIFY2(result.message.contains(QString::number(port)), qPrintable(result.message));
        r.basePort = 65535;
        r.targetReplicas = 3;
        result = runNow(check, r);
        QCOMPARE(result.level, CheckResult::Level::Fail);
        QVERIFY(result.message.contains("out of range"));
        r.basePort = 0;
        QCOMPARE(runNow(check, r).level, CheckResult::Level::Warn);
        r.targetReplicas = 1; // scale-down: no ports
        QCOMPARE(runNow(check, r).level, CheckResult::Level::Pass);
    }

    void hostResources()
    {
        QTemporaryDir proc;
        QFile meminfo(proc.filePath("meminfo"));
        QVERIFY(meminfo.open(QIODevice::WriteOnly));
        meminfo.write("MemTotal:       16000000 kB\nMemFree:         1000000 kB\n"
                      "MemAvailable:    1048576 kB\n"); // 1 GiB
        meminfo.close();
        HostResourcesCheck check(proc.path());
        ScaleRequest r;
        r.currentReplicas = 1;
        r.targetReplicas = 2;
        r.memoryPerReplicaBytes = 512LL << 20;
        r.cpuPerReplica = 0.01;
        CheckResult result = runNow(check, r);
        QCOMPARE(result.level, CheckResult::Level::Pass);
        QVERIFY2(result.message.contains("need 512 MiB (1024 MiB available)"),
                 qPrintable(result.message));
        r.targetReplicas = 4; // 3 × 512 MiB > 1 GiB
        result = runNow(check, r);
        QCOMPARE(result.level, CheckResult::Level::Fail);
        QVERIFY(result.message.startsWith("not enough memory"));
        r.targetReplicas = 2;
        r.cpuPerReplica = 1000;
        QCOMPARE(runNow(check, r).level, CheckResult::Level::Warn);

        QVERIFY(meminfo.open(QIODevice::WriteOnly | QIODevice::Truncate));
        meminfo.write("garbage\n");
        meminfo.close();
        result = runNow(check, r);
        QCOMPARE(result.level, CheckResult::Level::Warn);
        QVERIFY(result.message.contains("no MemAvailable"));
        HostResourcesCheck missing(proc.filePath("nowhere"));
        QCOMPARE(runNow(missing, r).level, CheckResult::Level::Warn);
    }
};

QTEST_GUILESS_MAIN(TestFleetAdvisor)
#include "tst_fleetadvisor.moc"
