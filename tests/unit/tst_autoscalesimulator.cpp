#include "backend/autoscale/AutoscaleSimulator.h"
#include "backend/autoscale/HpaPolicy.h"
#include "backend/autoscale/RulePolicy.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QtTest>

using namespace querydeck;

namespace {

constexpr qint64 kStart = 1'700'000'000'000;
constexpr qint64 kMinute = 60'000;

int peak(const std::vector<SimulationStep>& steps)
{
    int most = 0;
    for (const SimulationStep& s : steps)
        most = std::max(most, s.snapshot.replicas);
    return most;
}

} // namespace

class TestAutoscaleSimulator : public QObject
{
    Q_OBJECT

private slots:
    void rampShape()
    {
        const auto profile =
            AutoscaleSimulator::ramp(kStart, 1.0, 5.0, 4 * kMinute, 2 * kMinute, kMinute, 15'000);
        QCOMPARE(profile.size(), std::size_t(7 * 4 + 1));
        QCOMPARE(profile.front().demand, 1.0);
        QCOMPARE(profile[8].demand, 3.0); // half-way up the ramp
        QCOMPARE(profile[16].demand, 5.0);
        QCOMPARE(profile.back().demand, 1.0);
        QVERIFY(AutoscaleSimulator::ramp(kStart, 1, 2, kMinute, 0, 0, 0).empty());
    }

    void model()
    {
        const SimulationModel m;
        const MetricSnapshot s = AutoscaleSimulator::metricsFor(kStart, 3.0, 2, m);
        QCOMPARE(*s.cpuPercent, 100.0);
        QCOMPARE(*s.queueDepth, 40.0);
        QCOMPARE(*s.latencySeconds, 20.0); // utilisation capped at 0.95
        const MetricSnapshot calm = AutoscaleSimulator::metricsFor(kStart, 1.0, 4, m);
        QCOMPARE(*calm.cpuPercent, 25.0);
        QCOMPARE(*calm.queueDepth, 0.0);
    }

    // Demand 1 -> 6 replica-equivalents and back: the rules climb one replica
    // per cooldown until CPU is under 70% (9 replicas: 67%), then step down one
    // per 5 min once CPU has been under 30% for 10 min — and stop at 3, where
    // one replica's worth of load is 33% CPU, not below 30%.
    void rulesFollowARamp()
    {
        RulePolicy policy;
        const auto profile = AutoscaleSimulator::ramp(kStart, 1.0, 6.0, 10 * kMinute, 30 * kMinute,
                                                      70 * kMinute, 15'000);
        const auto steps = AutoscaleSimulator::run(policy, profile);
        QCOMPARE(steps.size(), profile.size());
        QCOMPARE(steps.front().snapshot.replicas, 2);
        QCOMPARE(peak(steps), 9);
        QCOMPARE(steps.back().snapshot.replicas, 3);
        QCOMPARE(*steps.back().snapshot.cpuPercent, 100.0 / 3);
        // Never outside the bounds, never more than one step per decision.
        for (std::size_t i = 1; i < steps.size(); ++i) {
            const int r = steps[i].snapshot.replicas;
            QVERIFY(r >= 2 && r <= 10);
            QVERIFY(std::abs(r - steps[i - 1].snapshot.replicas) <= 1);
        }
        // Scale-ups are at least the 60 s cooldown apart.
        qint64 lastUp = 0;
        for (std::size_t i = 1; i < steps.size(); ++i)
            if (steps[i].snapshot.replicas > steps[i - 1].snapshot.replicas) {
                if (lastUp)
                    QVERIFY(steps[i].snapshot.t - lastUp >= 60'000);
                lastUp = steps[i].snapshot.t;
            }
    }

    // The HPA follows the load to ceil(6 / 0.7) = 9 less the tolerance: at 8
    // replicas CPU is 75%, 1.07 × the target, inside the 0.1 tolerance, so it
    // stays at 8. It waits out the 300 s stabilization window before coming down.
    void hpaFollowsARamp()
    {
        HpaPolicy policy;
        const auto profile = AutoscaleSimulator::ramp(kStart, 1.0, 6.0, 10 * kMinute, 30 * kMinute,
                                                      30 * kMinute, 15'000);
        const auto steps = AutoscaleSimulator::run(policy, profile);
        QCOMPARE(peak(steps), 8);
        QCOMPARE(steps.back().snapshot.replicas, 2);
        // The load drops at 40 min; nothing comes down before 45 min.
        for (const SimulationStep& s : steps)
            if (s.snapshot.t >= kStart + 40 * kMinute && s.snapshot.t < kStart + 45 * kMinute)
                QVERIFY2(!s.decision.changes() || s.decision.desired > s.decision.current,
                         qPrintable(s.decision.describe()));
    }

    void actuationDelay()
    {
        RulePolicy policy;
        SimulationModel model;
        model.actuationDelayMs = 45'000;
        const auto profile = AutoscaleSimulator::ramp(kStart, 4.0, 4.0, 0, 5 * kMinute, 0, 15'000);
        const auto steps = AutoscaleSimulator::run(policy, profile, model);
        // Queue depth 80 at 2 replicas asks for 3 at once; seen 45 s later.
        QCOMPARE(steps[0].decision.desired, 3);
        QCOMPARE(steps[2].snapshot.replicas, 2);
        QCOMPARE(steps[3].snapshot.replicas, 3);
    }

    void replayStoredHistory()
    {
        TimeSeriesStore store;
        // 20 minutes: 2 replicas at 90% CPU, then 10 minutes at 20%.
        for (int i = 0; i <= 30 * 4; ++i) {
            const qint64 t = kStart + i * 15'000;
            store.append(SeriesKey::make("replica_cpu", {}), t, i < 80 ? 90.0 : 20.0);
            store.append(SeriesKey::make("replica_count", {}), t, 2.0);
        }
        QString error;
        const auto profile =
            AutoscaleSimulator::fromStore(store, "avg(replica_cpu)", "sum(replica_count)", kStart,
                                          kStart + 30 * kMinute, 15'000, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(profile.size() >= 100);
        QCOMPARE(profile.front().demand, 1.8);
        QCOMPARE(profile.back().demand, 0.4);
        RulePolicy policy;
        const auto steps = AutoscaleSimulator::run(policy, profile);
        QCOMPARE(peak(steps), 3); // 1.8 on 3 replicas is 60%: no further step

        QVERIFY(AutoscaleSimulator::fromStore(store, "avg(", "sum(replica_count)", kStart,
                                              kStart + kMinute, 15'000, &error)
                    .empty());
        QVERIFY2(error.startsWith("expression avg("), qPrintable(error));
        QVERIFY(AutoscaleSimulator::fromStore(store, "avg(nothing)", "sum(replica_count)", kStart,
                                              kStart + kMinute, 15'000, &error)
                    .empty());
        QVERIFY2(error.contains("no stored data"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestAutoscaleSimulator)
#include "tst_autoscalesimulator.moc"
