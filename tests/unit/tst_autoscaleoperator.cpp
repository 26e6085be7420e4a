#include "FixtureHttpServer.h"
#include "KubeFixture.h"
#include "ManualClock.h"
#include "ScriptedReplicaSet.h"
#include "backend/autoscale/AutoscaleOperator.h"
#include "backend/autoscale/RulePolicy.h"
#include "backend/fleet/KubernetesReplicaSet.h"
#include "backend/metrics/TimeSeriesStore.h"
#include "backend/secrets/KeychainSecretStore.h"

#include <QNetworkReply>
#include <QThread>
#include <QtTest>

using namespace querydeck;

// The controller against a real store and the Kubernetes backend on the
// fixture API: recommend never scales, apply does, every decision is kept
// (bounded) with its inputs.
class TestAutoscaleOperator : public QObject
{
    Q_OBJECT

private:
    FixtureHttpServer m_server;
    KubeFixture m_kube{m_server};
    KeychainSecretStore m_secrets;
    ManualClock m_clock;

    static AutoscaleMetrics metrics()
    {
        AutoscaleMetrics m;
        m.cpuPercent = "avg(test_cpu)";
        m.latencySeconds = "avg(test_latency)";
        m.queueDepth = "sum(test_queue)";
        return m;
    }

    void feed(TimeSeriesStore& store, double cpu, double queue)
    {
        store.append(SeriesKey::make("test_cpu", {{"instance", "a"}}), m_clock.now(), cpu);
        store.append(SeriesKey::make("test_latency", {}), m_clock.now(), 1.0);
        store.append(SeriesKey::make("test_queue", {{"instance", "a"}}), m_clock.now(), queue / 2);
        store.append(SeriesKey::make("test_queue", {{"instance", "b"}}), m_clock.now(), queue / 2);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("QD_TEST_KUBE_TOKEN", KubeFixture::kToken);
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_kube.setReplicas(3);
        m_kube.install();
    }
    void cleanupTestCase() { m_server.stop(); }

    void recommendThenApply()
    {
        const KubernetesConfig config = m_kube.config();
        KubernetesReplicaSet set(config, &m_secrets);
        TimeSeriesStore store;
        AutoscaleOperator controller(store, std::make_unique<RulePolicy>(), metrics(),
                                     m_clock.clock());
        QVERIFY2(controller.metricsError().isEmpty(), qPrintable(controller.metricsError()));
        controller.setReplicaSet(&set);
        // evaluate() posts the set a queued scale() (the set may live on
        // another thread); delivering the set's posted calls runs it now, and
        // scale() starts its PATCH on the set's own network manager before it
        // returns. So counting unfinished PATCH replies right after is exact:
        // no waiting, and no window in which a late scale could hide.
        const auto patchesInFlight = [&set] {
            QCoreApplication::sendPostedEvents(&set, QEvent::MetaCall);
            int patches = 0;
            for (const QNetworkReply* reply : set.findChildren<QNetworkReply*>()) {
                const QByteArray verb =
                    reply->request().attribute(QNetworkRequest::CustomVerbAttribute).toByteArray();
                if (!reply->isFinished() && verb == "PATCH")
                    ++patches;
            }
            return patches;
        };
        connect(&set, &ReplicaSet::replicasChanged, &controller,
                [&] { controller.setReplicaCount(set.desiredCount()); });
        QSignalSpy decided(&controller, &AutoscaleOperator::decided);

        // Before the count is known: a hold that says so.
        controller.evaluate();
        QCOMPARE(decided.count(), 1);
        QVERIFY(decided.last().at(0).value<ScaleDecision>().reason.contains("not known"));

        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        QVERIFY(refreshed.wait(5000));

        // Queue depth 60 > 50: scale up at once — recommended only.
        feed(store, 40.0, 60.0);
        QCOMPARE(controller.mode(), AutoscaleMode::Recommend);
        controller.evaluate();
        ScaleDecision d = decided.last().at(0).value<ScaleDecision>();
        QCOMPARE(decided.last().at(1).value<AutoscaleMode>(), AutoscaleMode::Recommend);
        QCOMPARE(d.current, 3);
        QCOMPARE(d.desired, 4);
        QCOMPARE(*d.inputs.queueDepth, 60.0);
        QCOMPARE(*d.inputs.cpuPercent, 40.0);
        QCOMPARE(*d.inputs.latencySeconds, 1.0);
        QCOMPARE(patchesInFlight(), 0); // recommend never scales
        QCOMPARE(m_kube.replicas(), 3);

        controller.setMode(AutoscaleMode::Apply);
        m_clock.advance(15'000);
        feed(store, 40.0, 60.0);
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        controller.evaluate();
        QCOMPARE(patchesInFlight(), 1); // the same probe sees apply's scale
        QVERIFY(finished.wait(5000));
        QCOMPARE(m_kube.replicas(), 4);
        QTRY_COMPARE(set.desiredCount(), 4);

        // Inside the 60 s cooldown the next decision holds.
        m_clock.advance(15'000);
        feed(store, 40.0, 60.0);
        controller.evaluate();
        d = decided.last().at(0).value<ScaleDecision>();
        QCOMPARE(d.current, 4);
        QCOMPARE(d.desired, 4);
        QVERIFY2(d.reason.contains("cooldown"), qPrintable(d.reason));

        const auto history = controller.history();
        QCOMPARE(history.size(), std::size_t(4));
        QCOMPARE(history[1].desired, 4);

        // Off: nothing evaluated.
        controller.setMode(AutoscaleMode::Off);
        controller.evaluate();
        QCOMPARE(controller.history().size(), std::size_t(4));
    }

    // As the console runs it: the controller on its own thread, the replica
    // set on this one; apply mode reaches the set queued, decisions come back queued.
    void onAnotherThread()
    {
        m_kube.setReplicas(3);
        const KubernetesConfig config = m_kube.config();
        KubernetesReplicaSet set(config, &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        QVERIFY(refreshed.wait(5000));
        TimeSeriesStore store;
        feed(store, 40.0, 80.0);
        QThread thread;
        auto* controller = new AutoscaleOperator(store, std::make_unique<RulePolicy>(), metrics(),
                                                 m_clock.clock());
        controller->moveToThread(&thread);
        connect(&thread, &QThread::finished, controller, &QObject::deleteLater);
        controller->setReplicaSet(&set);
        thread.start();
        QSignalSpy decided(controller, &AutoscaleOperator::decided);
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        QMetaObject::invokeMethod(controller, [controller, count = set.desiredCount()] {
            controller->setReplicaCount(count);
            controller->setMode(AutoscaleMode::Apply);
            controller->evaluate();
        });
        QVERIFY(finished.wait(5000));
        QVERIFY(finished.first().at(0).toBool());
        QCOMPARE(m_kube.replicas(), 4);
        QTRY_COMPARE(decided.count(), 1);
        QCOMPARE(decided.first().at(0).value<ScaleDecision>().desired, 4);
        thread.quit();
        QVERIFY(thread.wait(5000));
    }

    // The fleet: 2 replicas, 1 of them failed. The operator takes the
    // set's counts, not just its desired number: 1 working is under the
    // minimum of 2, so apply mode asks the set for 3 and the log says why;
    // with the replacement starting, it holds.
    void failedReplicaReplaced()
    {
        test::ScriptedReplicaSet set;
        const auto replica = [](const char* id, ReplicaState state) {
            ReplicaInfo info;
            info.id = QLatin1String(id);
            info.state = state;
            return info;
        };
        set.desired = 2;
        set.set({replica("1", ReplicaState::Ready), replica("2", ReplicaState::Failed)});
        TimeSeriesStore store;
        AutoscaleOperator controller(store, std::make_unique<RulePolicy>(), metrics(),
                                     m_clock.clock());
        controller.setReplicaSet(&set);
        controller.setMode(AutoscaleMode::Apply);
        connect(&set, &ReplicaSet::replicasChanged, &controller,
                [&] { controller.setReplicaCounts(ReplicaCounts::of(set)); });
        controller.setReplicaCounts(ReplicaCounts::of(set));
        QSignalSpy decided(&controller, &AutoscaleOperator::decided);

        m_clock.advance(15'000);
        feed(store, 40.0, 0.0);
        controller.evaluate();
        ScaleDecision d = decided.last().at(0).value<ScaleDecision>();
        QCOMPARE(d.current, 2);
        QCOMPARE(d.desired, 3);
        QVERIFY2(d.describe().contains("2 -> 3: 1 working, below the minimum of 2; 1 of 2 "
                                       "replicas failed, not counted as capacity (1 of 2 ready, "
                                       "1 failed; cpu 40%"),
                 qPrintable(d.describe()));
        QCoreApplication::sendPostedEvents(&set, QEvent::MetaCall);
        QCOMPARE(set.desired, 3);

        set.set({replica("1", ReplicaState::Ready), replica("2", ReplicaState::Failed),
                 replica("3", ReplicaState::Starting)});
        m_clock.advance(15'000);
        feed(store, 40.0, 0.0);
        controller.evaluate();
        d = decided.last().at(0).value<ScaleDecision>();
        QCOMPARE(d.current, 3);
        QCOMPARE(d.desired, 3);
        QVERIFY2(d.reason.contains("1 of 3 replicas failed"), qPrintable(d.reason));
        QCoreApplication::sendPostedEvents(&set, QEvent::MetaCall);
        QCOMPARE(set.desired, 3);
    }

    void missingMetricsHold()
    {
        TimeSeriesStore store;
        AutoscaleOperator controller(store, std::make_unique<RulePolicy>(), metrics(),
                                     m_clock.clock());
        controller.setReplicaCount(4);
        QSignalSpy decided(&controller, &AutoscaleOperator::decided);
        controller.evaluate();
        const ScaleDecision d = decided.last().at(0).value<ScaleDecision>();
        QCOMPARE(d.desired, 4);
        QVERIFY(!d.inputs.cpuPercent && !d.inputs.queueDepth && !d.inputs.latencySeconds);
        QVERIFY2(d.reason.contains("metrics missing"), qPrintable(d.reason));
    }

    void historyIsBounded()
    {
        TimeSeriesStore store;
        AutoscaleOperator controller(store, std::make_unique<RulePolicy>(), metrics(),
                                     m_clock.clock());
        controller.setReplicaCount(4);
        for (int i = 0; i < AutoscaleOperator::kHistoryLimit + 50; ++i) {
            m_clock.advance(1000);
            controller.evaluate();
        }
        const auto history = controller.history();
        QCOMPARE(history.size(), std::size_t(AutoscaleOperator::kHistoryLimit));
        QCOMPARE(history.back().t, m_clock.now()); // the newest kept, the oldest dropped
    }

    void badExpressionNamed()
    {
        TimeSeriesStore store;
        AutoscaleMetrics m = metrics();
        m.latencySeconds = "avg(test_latency";
        AutoscaleOperator controller(store, std::make_unique<RulePolicy>(), m, m_clock.clock());
        QVERIFY2(controller.metricsError().startsWith("autoscaler.metrics.latencySeconds:"),
                 qPrintable(controller.metricsError()));
    }

    void timerDrivesEvaluation()
    {
        TimeSeriesStore store;
        AutoscaleOperator controller(store, std::make_unique<RulePolicy>(), metrics(),
                                     m_clock.clock());
        controller.setReplicaCount(2);
        QSignalSpy decided(&controller, &AutoscaleOperator::decided);
        controller.start(100);
        QTRY_VERIFY_WITH_TIMEOUT(decided.count() >= 2, 5000);
        controller.stop();
    }
};

QTEST_GUILESS_MAIN(TestAutoscaleOperator)
#include "tst_autoscaleoperator.moc"
