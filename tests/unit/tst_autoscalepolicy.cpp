#include "backend/autoscale/AutoscaleSimulator.h"
#include "backend/autoscale/HpaPolicy.h"
#include "backend/autoscale/RulePolicy.h"

#include <QtTest>

using namespace querydeck;

namespace {

constexpr qint64 kStart = 1'700'000'000'000;
constexpr qint64 kStepMs = 15'000;
const std::optional<double> kMissing;

// A stretch of constant metrics, one snapshot every 15 s.
struct Segment
{
    int seconds;
    std::optional<double> cpu;
    std::optional<double> latency;
    std::optional<double> queue;
    int replicas;
};

std::vector<MetricSnapshot> snapshots(const QList<Segment>& segments)
{
    std::vector<MetricSnapshot> out;
    qint64 t = kStart;
    for (const Segment& segment : segments)
        for (int elapsed = 0; elapsed < segment.seconds; elapsed += int(kStepMs / 1000)) {
            out.push_back({t, segment.replicas, segment.cpu, segment.latency, segment.queue});
            t += kStepMs;
        }
    return out;
}

struct Outcome
{
    ScaleDecision last;
    int firstChangeSeconds = -1; // seconds from the start of the first decision that changes
};

Outcome replay(AutoscalePolicy& policy, const QList<Segment>& segments)
{
    Outcome outcome;
    for (const MetricSnapshot& snapshot : snapshots(segments)) {
        outcome.last = policy.evaluate(snapshot);
        if (outcome.firstChangeSeconds < 0 && outcome.last.changes())
            outcome.firstChangeSeconds = int((snapshot.t - kStart) / 1000);
    }
    return outcome;
}

} // namespace

Q_DECLARE_METATYPE(QList<Segment>)

class TestAutoscalePolicy : public QObject
{
    Q_OBJECT

private slots:
    void rules_data()
    {
        QTest::addColumn<QList<Segment>>("segments");
        QTest::addColumn<int>("desired");
        QTest::addColumn<int>("firstChange"); // -1: no decision changed the count
        QTest::addColumn<QString>("reason");  // part of the last decision's reason

        // CPU > 70% must hold for 5 min: the decision at 300 s is the first to scale.
        QTest::newRow("cpu high for 5m")
            << QList<Segment>{{315, 85.0, 1.0, 5.0, 3}} << 4 << 300 << "CPU 85% > 70% for 5m";
        QTest::newRow("cpu high 4m45s only")
            << QList<Segment>{{300, 85.0, 1.0, 5.0, 3}} << 3 << -1 << "within thresholds";
        QTest::newRow("cpu at threshold is not above")
            << QList<Segment>{{600, 70.0, 1.0, 5.0, 3}} << 3 << -1 << "within thresholds";
        // One dip below the threshold restarts the 5 minutes.
        QTest::newRow("cpu dip resets for") << QList<Segment>{{240, 90.0, 1.0, 5.0, 3},
                                                              {15, 60.0, 1.0, 5.0, 3},
                                                              {240, 90.0, 1.0, 5.0, 3}}
                                            << 3 << -1 << "within thresholds";
        QTest::newRow("cpu missing breaks for") << QList<Segment>{{240, 90.0, 1.0, 5.0, 3},
                                                                  {15, kMissing, 1.0, 5.0, 3},
                                                                  {240, 90.0, 1.0, 5.0, 3}}
                                                << 3 << -1 << "within thresholds";
        QTest::newRow("latency high for 3m") << QList<Segment>{{195, 40.0, 12.0, 5.0, 3}} << 4
                                             << 180 << "latency 12.0 s > 10 s for 3m";
        QTest::newRow("latency high 2m45s")
            << QList<Segment>{{180, 40.0, 12.0, 5.0, 3}} << 3 << -1 << "within thresholds";
        QTest::newRow("queue over 50 at once")
            << QList<Segment>{{15, 40.0, 1.0, 51.0, 3}} << 4 << 0 << "queue depth 51 > 50";
        QTest::newRow("queue at 50 holds")
            << QList<Segment>{{15, 40.0, 1.0, 50.0, 3}} << 3 << -1 << "within thresholds";
        QTest::newRow("at max holds")
            << QList<Segment>{{15, 95.0, 1.0, 80.0, 10}} << 10 << -1 << "already at the maximum";
        QTest::newRow("below min raised")
            << QList<Segment>{{15, 10.0, 1.0, 0.0, 1}} << 2 << 0 << "below the minimum of 2";
        QTest::newRow("above max lowered")
            << QList<Segment>{{15, 10.0, 1.0, 0.0, 12}} << 10 << 0 << "above the maximum of 10";
        // Scale-down needs CPU < 30% for 10 min AND queue < 10.
        QTest::newRow("cpu low for 10m")
            << QList<Segment>{{615, 20.0, 1.0, 2.0, 4}} << 3 << 600 << "CPU 20% < 30% for 10m";
        QTest::newRow("cpu low 9m45s")
            << QList<Segment>{{600, 20.0, 1.0, 2.0, 4}} << 4 << -1 << "within thresholds";
        QTest::newRow("cpu low but queue 10")
            << QList<Segment>{{900, 20.0, 1.0, 10.0, 4}} << 4 << -1 << "within thresholds";
        QTest::newRow("cpu low queue missing")
            << QList<Segment>{{900, 20.0, 1.0, kMissing, 4}} << 4 << -1 << "metrics missing";
        QTest::newRow("everything missing holds")
            << QList<Segment>{{900, kMissing, kMissing, kMissing, 4}} << 4 << -1
            << "metrics missing";
        QTest::newRow("down at min holds")
            << QList<Segment>{{900, 5.0, 1.0, 0.0, 2}} << 2 << -1 << "already at the minimum";
        // The count went 3 -> 4 at 300 s: the next scale-up waits for the 60 s cooldown.
        QTest::newRow("up cooldown")
            << QList<Segment>{{300, 85.0, 1.0, 5.0, 3}, {45, 85.0, 1.0, 5.0, 4}} << 4 << -1
            << "in scale-up cooldown (30s left)";
        QTest::newRow("up after cooldown")
            << QList<Segment>{{300, 85.0, 1.0, 5.0, 3}, {75, 85.0, 1.0, 5.0, 4}} << 5 << 360
            << "CPU 85% > 70% for 5m";
        // After any change, scale-down waits 300 s.
        QTest::newRow("down cooldown after change")
            << QList<Segment>{{600, 20.0, 1.0, 2.0, 5}, {120, 20.0, 1.0, 2.0, 4}} << 4 << -1
            << "in scale-down cooldown";
        QTest::newRow("down after cooldown")
            << QList<Segment>{{600, 20.0, 1.0, 2.0, 5}, {315, 20.0, 1.0, 2.0, 4}} << 3 << 900
            << "CPU 20% < 30% for 10m";
    }

    void rules()
    {
        QFETCH(QList<Segment>, segments);
        QFETCH(int, desired);
        QFETCH(int, firstChange);
        QFETCH(QString, reason);
        RulePolicy policy;
        QVERIFY(policy.config().validate().isEmpty());
        const Outcome outcome = replay(policy, segments);
        QVERIFY2(outcome.last.reason.contains(reason), qPrintable(outcome.last.reason));
        QCOMPARE(outcome.last.desired, desired);
        QCOMPARE(outcome.firstChangeSeconds, firstChange);
        // Every decision carries the inputs that caused it.
        QCOMPARE(outcome.last.inputs.replicas, segments.last().replicas);
        QCOMPARE(outcome.last.inputs.cpuPercent, segments.last().cpu);
        QCOMPARE(outcome.last.inputs.queueDepth, segments.last().queue);
    }

    void rulesStepLimitsAndBigSteps()
    {
        RulePolicyConfig config;
        config.stepUp = 5;
        config.cooldownUpSeconds = 0;
        config.upLimits = {{{StepPolicy::Type::Pods, 2, 60}}, StepLimits::Select::Max};
        RulePolicy policy(config);
        // Queue over 50 wants +5; the Pods policy allows +2 per 60 s.
        ScaleDecision d = policy.evaluate({kStart, 3, 40.0, 1.0, 60.0});
        QCOMPARE(d.desired, 5);
        QVERIFY2(d.reason.contains("step limit allows 5"), qPrintable(d.reason));
        // Observed 3 -> 5 at +30 s: until +90 s the 60 s period holds that +2,
        // so no more is allowed ...
        policy.evaluate({kStart + 30'000, 5, 40.0, 1.0, 60.0});
        d = policy.evaluate({kStart + 80'000, 5, 40.0, 1.0, 60.0});
        QCOMPARE(d.desired, 5);
        QVERIFY2(d.reason.contains("step limit allows 5"), qPrintable(d.reason));
        // ... and once the period has passed, +2 again.
        d = policy.evaluate({kStart + 95'000, 5, 40.0, 1.0, 60.0});
        QCOMPARE(d.desired, 7);
    }

    void rulesValidation_data()
    {
        // Errors name the config key the user wrote, never the C++ member.
        QTest::addColumn<QString>("field");
        for (const char* field :
             {"cpu_up_percent", "cpu_down_percent", "cooldown_up_seconds", "min_replicas",
              "max_replicas", "queue_down_depth", "step_up", "scale_up.policies[0].period_seconds",
              "scale_down.policies[1].value"})
            QTest::newRow(field) << QString::fromLatin1(field);
    }
    void rulesValidation()
    {
        QFETCH(QString, field);
        RulePolicyConfig c;
        if (field == "cpu_up_percent")
            c.cpuUpPercent = 150;
        else if (field == "cpu_down_percent")
            c.cpuDownPercent = 80;
        else if (field == "cooldown_up_seconds")
            c.cooldownUpSeconds = -1;
        else if (field == "min_replicas")
            c.minReplicas = 0;
        else if (field == "max_replicas")
            c.maxReplicas = 1;
        else if (field == "step_up")
            c.stepUp = 0;
        else if (field == "scale_up.policies[0].period_seconds")
            c.upLimits.policies = {{StepPolicy::Type::Pods, 2, 3600}};
        else if (field == "scale_down.policies[1].value")
            c.downLimits.policies = {{StepPolicy::Type::Pods, 1, 60},
                                     {StepPolicy::Type::Percent, 0, 60}};
        else
            c.queueDownDepth = 60;
        const std::optional<FieldProblem> problem = c.problem();
        QVERIFY(problem);
        QCOMPARE(problem->field, field);
        QVERIFY2(c.validate().startsWith(field + ": "), qPrintable(c.validate()));
        QVERIFY2(!c.validate().contains(QRegularExpression("[a-z][A-Z]")),
                 qPrintable(c.validate()));
    }

    void hpa_data()
    {
        QTest::addColumn<QList<Segment>>("segments");
        QTest::addColumn<int>("desired");
        QTest::addColumn<int>("firstChange");
        QTest::addColumn<QString>("reason");

        // ceil(4 × 90 / 70) = 6
        QTest::newRow("cpu ratio")
            << QList<Segment>{{15, 90.0, 1.0, 0.0, 4}} << 6 << 0 << "cpu 90.00% vs target 70%";
        // 76 / 70 = 1.086: within the 0.1 tolerance
        QTest::newRow("within tolerance")
            << QList<Segment>{{15, 76.0, 1.0, 0.0, 4}} << 4 << -1 << "-> 4";
        // 78 / 70 = 1.114: out of tolerance, ceil(4 × 1.114) = 5
        QTest::newRow("just out of tolerance")
            << QList<Segment>{{15, 78.0, 1.0, 0.0, 4}} << 5 << 0 << "-> 5";
        // The max over metrics: cpu asks ceil(3 × 80/70) = 4, latency 20 s vs 10 s 6
        QTest::newRow("max over metrics")
            << QList<Segment>{{15, 80.0, 20.0, 0.0, 3}} << 6 << 0 << "latency 20.00 s";
        // queue 60 over 3 replicas = 20 per replica vs 10 -> 6
        QTest::newRow("queue per replica")
            << QList<Segment>{{15, 50.0, 1.0, 60.0, 3}} << 6 << 0 << "queue/replica";
        // HPA's default step limits: +100% or +4 per 15 s, whichever is more: 2 -> 6 at most
        QTest::newRow("step limit up")
            << QList<Segment>{{15, 100.0, 100.0, 0.0, 2}} << 6 << 0 << "step limit allows 6";
        QTest::newRow("capped at max") << QList<Segment>{{15, 100.0, 100.0, 0.0, 8}} << 10 << 0
                                       << "capped at the maximum of 10";
        // Scale-down waits for the 300 s stabilization window: the first low
        // recommendation arrives at 300 s, the earlier high ones hold the count.
        QTest::newRow("down stabilization")
            << QList<Segment>{{300, 70.0, 1.0, 0.0, 6}, {315, 35.0, 1.0, 0.0, 6}} << 3 << 600
            << "cpu 35.00% vs target 70%";
        QTest::newRow("down within window")
            << QList<Segment>{{300, 70.0, 1.0, 0.0, 6}, {285, 35.0, 1.0, 0.0, 6}} << 6 << -1
            << "stabilized to 6";
        // Missing latency: no scale-down although CPU says 3 would do.
        QTest::newRow("missing never down") << QList<Segment>{{600, 35.0, kMissing, 0.0, 6}} << 6
                                            << -1 << "no scale-down: latency missing";
        // Missing latency does not stop a scale-up CPU asks for.
        QTest::newRow("missing still up")
            << QList<Segment>{{15, 140.0, kMissing, 0.0, 3}} << 6 << 0 << "cpu 140.00%";
        QTest::newRow("all missing") << QList<Segment>{{60, kMissing, kMissing, kMissing, 4}} << 4
                                     << -1 << "every metric missing";
        QTest::newRow("min bound")
            << QList<Segment>{{615, 5.0, 0.1, 0.0, 4}} << 2 << 0 << "held at the minimum of 2";
    }

    void hpa()
    {
        QFETCH(QList<Segment>, segments);
        QFETCH(int, desired);
        QFETCH(int, firstChange);
        QFETCH(QString, reason);
        HpaPolicy policy;
        QVERIFY(policy.config().validate().isEmpty());
        const Outcome outcome = replay(policy, segments);
        QVERIFY2(outcome.last.reason.contains(reason), qPrintable(outcome.last.reason));
        QCOMPARE(outcome.last.desired, desired);
        QCOMPARE(outcome.firstChangeSeconds, firstChange);
    }

    void hpaUpStabilization()
    {
        HpaPolicyConfig config;
        config.upStabilizationSeconds = 60;
        HpaPolicy policy(config);
        // A spike shorter than the up window is ignored: the window's lowest
        // recommendation (4) wins until every recommendation in it is higher.
        QCOMPARE(policy.evaluate({kStart, 4, 70.0, 1.0, 0.0}).desired, 4);
        QCOMPARE(policy.evaluate({kStart + 15'000, 4, 140.0, 1.0, 0.0}).desired, 4);
        QCOMPARE(policy.evaluate({kStart + 60'000, 4, 140.0, 1.0, 0.0}).desired, 4);
        QCOMPARE(policy.evaluate({kStart + 75'001, 4, 140.0, 1.0, 0.0}).desired, 8);
    }

    void hpaPercentDownLimit()
    {
        HpaPolicyConfig config;
        config.downStabilizationSeconds = 0;
        config.minReplicas = 1;
        config.downLimits = {{{StepPolicy::Type::Percent, 50, 60}, {StepPolicy::Type::Pods, 1, 60}},
                             StepLimits::Select::Min};
        HpaPolicy policy(config);
        // Wants 1 from 10; Min of (-50% -> 5, -1 -> 9) is the tighter: 9.
        ScaleDecision d = policy.evaluate({kStart, 10, 7.0, 0.5, 0.0});
        QCOMPARE(d.desired, 9);
        config.downLimits.select = StepLimits::Select::Max;
        HpaPolicy loose(config);
        QCOMPARE(loose.evaluate({kStart, 10, 7.0, 0.5, 0.0}).desired, 5);
        config.downLimits.select = StepLimits::Select::Disabled;
        HpaPolicy disabled(config);
        QCOMPARE(disabled.evaluate({kStart, 10, 7.0, 0.5, 0.0}).desired, 10);
    }

    void hpaValidation()
    {
        HpaPolicyConfig c;
        c.tolerance = 1.5;
        QVERIFY(c.validate().contains("tolerance"));
        c = {};
        c.cpuTargetPercent = c.latencyTargetSeconds = c.queuePerReplicaTarget = 0;
        QVERIFY(c.validate().contains("at least one target"));
        c = {};
        c.maxReplicas = 1;
        QVERIFY(c.validate().startsWith("max_replicas: "));
        c = {};
        c.downStabilizationSeconds = 4000;
        QVERIFY(c.validate().startsWith("scale_down.stabilization_window_seconds: "));
        c = {};
        c.upLimits.select = StepLimits::Select::Min;
        c.upLimits.policies.append({StepPolicy::Type::Percent, 50, 0});
        QCOMPARE(c.problem()->field, "scale_up.policies[2].period_seconds");
    }

    void decisionDescribe()
    {
        RulePolicy policy;
        const ScaleDecision d = policy.evaluate({kStart, 3, 40.0, kMissing, 51.0});
        const QString text = d.describe();
        QVERIFY2(text.contains("3 -> 4") && text.contains("queue depth 51 > 50") &&
                     text.contains("latency missing") && text.contains("cpu 40%"),
                 qPrintable(text));
    }

    // A failed replica is not capacity. 2 replicas with 1 failed is 1
    // working, under the minimum of 2: ask for 3 so the set replaces it, and
    // say why. Once the replacement runs, hold (no scale-up loop).
    void failedReplicaIsNotCapacity()
    {
        RulePolicy policy;
        MetricSnapshot s{kStart, 2, 40.0, 0.5, 0.0};
        s.working = 1;
        s.ready = 1;
        s.failed = 1;
        ScaleDecision d = policy.evaluate(s);
        QCOMPARE(d.desired, 3);
        QVERIFY2(d.reason.contains("1 working, below the minimum of 2") &&
                     d.reason.contains("1 of 2 replicas failed, not counted as capacity"),
                 qPrintable(d.reason));
        QVERIFY2(d.describe().contains("(1 of 2 ready, 1 failed; cpu 40%"),
                 qPrintable(d.describe()));

        s.t += kStepMs;
        s.replicas = 3;
        s.working = 2; // the replacement is starting
        s.ready = 1;
        d = policy.evaluate(s);
        QCOMPARE(d.desired, 3);
        QVERIFY2(d.reason.startsWith("hold: within thresholds; 1 of 3 replicas failed"),
                 qPrintable(d.reason));

        // Every replica working: nothing to replace, nothing said about it.
        s.t += kStepMs;
        s.working = 3;
        s.ready = 3;
        s.failed = 0;
        d = policy.evaluate(s);
        QCOMPARE(d.desired, 3);
        QCOMPARE(d.reason, QString("hold: within thresholds"));
        QVERIFY2(!d.describe().contains("ready"), qPrintable(d.describe()));
    }

    // HPA sizes from the working replicas (their CPU, the queue per working
    // replica), then keeps the failed ones' slots: 4 replicas, 2 failed, the
    // other 2 at twice the CPU target want 4 working, so 6 in all (not 8).
    void hpaCountsWorkingReplicas()
    {
        HpaPolicyConfig c;
        c.latencyTargetSeconds = 0;
        c.queuePerReplicaTarget = 0;
        HpaPolicy policy(c);
        MetricSnapshot s{kStart, 4, 140.0, 0.5, 0.0};
        s.working = 2;
        s.ready = 2;
        s.failed = 2;
        const ScaleDecision d = policy.evaluate(s);
        QCOMPARE(d.desired, 6);
        QVERIFY2(d.reason.contains("-> 4") && d.reason.contains("2 of 4 replicas failed"),
                 qPrintable(d.reason));
    }

    // Latency is shown in its unit: 2 ms reads "2.0 ms", not "0.00 s".
    void latencyReadsInItsUnit()
    {
        RulePolicy rules;
        const ScaleDecision d = rules.evaluate({kStart, 3, 40.0, 0.002, 0.0});
        QVERIFY2(d.describe().contains("latency 2.0 ms"), qPrintable(d.describe()));

        HpaPolicyConfig c;
        c.cpuTargetPercent = 0;
        c.queuePerReplicaTarget = 0;
        c.latencyTargetSeconds = 0.001;
        HpaPolicy hpa(c);
        const ScaleDecision h = hpa.evaluate({kStart, 3, 40.0, 0.002, 0.0});
        QVERIFY2(h.reason.contains("latency 2.00 ms vs target 1 ms"), qPrintable(h.reason));
    }

    void modes()
    {
        QCOMPARE(parseAutoscaleMode(" Apply "), std::optional(AutoscaleMode::Apply));
        QCOMPARE(parseAutoscaleMode("recommend"), std::optional(AutoscaleMode::Recommend));
        QCOMPARE(parseAutoscaleMode("off"), std::optional(AutoscaleMode::Off));
        QVERIFY(!parseAutoscaleMode("auto"));
        QVERIFY(!parseAutoscaleMode(""));
    }
};

QTEST_GUILESS_MAIN(TestAutoscalePolicy)
#include "tst_autoscalepolicy.moc"
