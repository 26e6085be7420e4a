// The auto-scaler's closed loop with nothing simulated, wired as `querydeck
// fleet` wires it (LocalFleetHost with an AutoscaleHost): a real
// LocalReplicaSet (querydeck serve children behind a real nginx) whose
// replicas add a fixed generation latency with one generation slot each, a
// load client through nginx that makes their generation queues grow,
// ScrapeSources feeding each replica's /metrics into the TimeSeriesStore on
// the auto-scaler's telemetry thread, and an AutoscaleOperator in apply mode
// reading that store. It must add a replica under load and take
// it away once the load stops and its window has passed.
#include "QueryLoad.h"
#include "ServeProcess.h"
#include "backend/autoscale/RulePolicy.h"
#include "backend/fleet/LocalReplicaSet.h"
#include "backend/fleet/NginxFrontDoor.h"
#include "backend/fleethost/AutoscaleHost.h"
#include "backend/fleethost/LocalFleetHost.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace querydeck;
using namespace querydeck::test;

class TestAutoscaleClosedLoop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", "/nonexistent-querydeck-test");
        QVERIFY2(!NginxFrontDoor::findBinary(QStringLiteral("nginx")).isEmpty(),
                 "nginx is required (packaging/debian-packages.txt) and was not found");
    }

    void scalesUpUnderLoadAndBackDown()
    {
        QTemporaryDir dir;
        LocalFleetOptions options;
        options.querydeckBinary = QStringLiteral(QUERYDECK_BIN);
        options.runtimeDir = dir.path();
        options.frontPort = ServeProcess::freePortRun(4); // nginx, replicas 1..3
        options.extraArguments = {QStringLiteral("--corpus"),
                                  QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")};
        options.drainTimeoutMs = 10000;
        // Every query a miss, 250 ms of generation each, one slot per replica:
        // eight clients keep the queues of two replicas well above the threshold.
        options.configFile = dir.filePath(QStringLiteral("service.json"));
        QFile config(options.configFile);
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"rate_limit": {"enabled": false}, "cache": {"enabled": false},
            "generator": {"latency": {"enabled": true, "distribution": "fixed", "mean_ms": 250}},
            "queue": {"concurrency": 1, "capacity": 64}})");
        config.close();

        // Short windows for the test; the shape of the plans' rules.
        FleetCommandConfig fleet;
        fleet.scrapeIntervalMs = 500;
        fleet.autoscaler.mode = AutoscaleMode::Apply;
        fleet.autoscaler.policy = QStringLiteral("rules");
        fleet.autoscaler.intervalMs = 500;
        RulePolicyConfig& rules = fleet.autoscaler.rules;
        rules.cpuUpPercent = 100;
        rules.cpuUpForSeconds = 3600; // CPU never decides here; the queue does
        rules.latencyUpSeconds = 1000;
        rules.queueUpDepth = 3;
        rules.cpuDownPercent = 99;
        rules.cpuDownForSeconds = 3; // the scale-down window
        rules.queueDownDepth = 1;
        rules.cooldownUpSeconds = 2;
        rules.cooldownDownSeconds = 5;
        rules.minReplicas = 2;
        rules.maxReplicas = 3;
        QCOMPARE(rules.validate(), QString());
        QCOMPARE(LocalFleetHost::autoscalerFitError(options, fleet), QString());

        // The auto-scaler starts once the first scale has both replicas ready.
        LocalFleetHost host(options, fleet);
        LocalReplicaSet& set = *host.replicaSet();
        QVERIFY2(set.hasFrontDoor(), "nginx is required for this test and was not found");
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        host.start(2);
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));

        QElapsedTimer clock;
        clock.start();
        QStringList timeline; // "t=12.0s desired=3 ready=2"
        auto sample = [&] {
            int ready = 0;
            for (const ReplicaInfo& r : set.replicas())
                ready += r.state == ReplicaState::Ready;
            const QString line = QStringLiteral("t=%1s desired=%2 ready=%3")
                                     .arg(clock.elapsed() / 1000.0, 0, 'f', 1)
                                     .arg(set.desiredCount())
                                     .arg(ready);
            if (timeline.isEmpty() || timeline.last().section(' ', 1) != line.section(' ', 1))
                timeline << line;
        };
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, sample);
        sampler.start(250);

        QueryLoad load(quint16(options.frontPort), 8, 100000);
        load.start();
        const qint64 loadStarted = clock.elapsed();
        QTRY_VERIFY_WITH_TIMEOUT(set.desiredCount() == 3, 40000);
        const qint64 upDecided = clock.elapsed();
        QTRY_VERIFY_WITH_TIMEOUT(set.serversInRotation().size() == 3, 30000);
        const qint64 upInRotation = clock.elapsed();
        // The new replica takes its share of the load.
        QTRY_VERIFY_WITH_TIMEOUT(load.counts().byReplica.value(QStringLiteral("3")) > 0, 10000);
        // Sustained load at the maximum: more answers, and never a fourth replica.
        const qint64 okAtThree = load.counts().ok;
        QTRY_VERIFY_WITH_TIMEOUT(load.counts().ok > okAtThree + 60, 30000);
        QCOMPARE(set.desiredCount(), 3);
        load.stop();
        const qint64 loadStopped = clock.elapsed();

        QTRY_VERIFY_WITH_TIMEOUT(set.desiredCount() == 2, 40000);
        const qint64 downDecided = clock.elapsed();
        QTRY_VERIFY_WITH_TIMEOUT(set.serversInRotation().size() == 2, 30000);
        const qint64 downDone = clock.elapsed();
        sample();
        host.autoscaler()->stop();
        sampler.stop();

        const QueryLoad::Counts counts = load.counts();
        qInfo("closed loop: load from %.1f s; scale-up decided after %.1f s of load, replica 3 "
              "in rotation after %.1f s; load stopped at %.1f s; scale-down decided %.1f s later, "
              "done %.1f s later; %lld answers (%lld non-2xx, %lld transport errors)",
              loadStarted / 1000.0, (upDecided - loadStarted) / 1000.0,
              (upInRotation - loadStarted) / 1000.0, loadStopped / 1000.0,
              (downDecided - loadStopped) / 1000.0, (downDone - loadStopped) / 1000.0,
              counts.total(), counts.non2xx, counts.transport);
        qInfo("replica counts over time: %s", qPrintable(timeline.join(QStringLiteral("; "))));
        int scaleUps = 0;
        for (const ScaleDecision& d : host.autoscaler()->history())
            if (d.changes()) {
                qInfo("decision: %s", qPrintable(d.describe()));
                scaleUps += d.desired > d.current;
            }
        QVERIFY(scaleUps >= 1);
        QVERIFY2(counts.non2xx == 0 && counts.transport == 0, counts.lastFailure.constData());
        // The scale-down came only once the load had stopped (the count was
        // still 3 then), and not within the down cooldown of the scale-up.
        QVERIFY(downDecided - upDecided >= rules.cooldownDownSeconds * 1000 - 500);

        QSignalSpy done(&set, &LocalReplicaSet::shutdownFinished);
        host.shutdown();
        QVERIFY(done.count() > 0 || done.wait(60000));
        QVERIFY(set.replicas().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAutoscaleClosedLoop)
#include "tst_autoscale_closedloop.moc"
