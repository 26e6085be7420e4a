// AlertEngine over synthetic series in a TimeSeriesStore with a ManualClock:
// Pending then Firing after `for`, flaps held by keep_firing_for, NoData,
// one instance per series (ReplicaDown), instances that disappear, rule set
// replacement that keeps the state of unchanged rules, acknowledgement.
#include "ManualClock.h"
#include "backend/alerting/AlertEngine.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace querydeck;

namespace {

constexpr qint64 kStepMs = 1000;

AlertRule makeRule(const QString& name, const QString& expr, double threshold, qint64 forMs,
                   qint64 keepMs, NoDataBehaviour noData = NoDataBehaviour::NoData)
{
    AlertRule r;
    r.name = name;
    r.expression = expr;
    r.comparator = AlertComparator::Greater;
    r.threshold = threshold;
    r.forMs = forMs;
    r.keepFiringForMs = keepMs;
    r.noData = noData;
    r.intervalMs = kStepMs;
    r.severity = AlertSeverity::Critical;
    r.summary = QStringLiteral("value {{value}} over {{threshold}} on {{labels.instance}}");
    return r;
}

SeriesKey gauge(const QString& instance)
{
    return SeriesKey::make(QStringLiteral("g"), {{QStringLiteral("instance"), instance}});
}

SeriesKey up(const QString& instance)
{
    return SeriesKey::make(QStringLiteral("up"),
                           {{QStringLiteral("job"), QStringLiteral("service")},
                            {QStringLiteral("instance"), instance}});
}

// The state letter of an instance: N P F R D E, or - when the engine has none.
QChar letter(const AlertEngine& engine, const QString& rule, const QMap<QString, QString>& labels)
{
    for (const AlertInstance& a : engine.instances()) {
        if (a.ruleName == rule && a.labels == labels) {
            if (a.status.state == AlertState::NoData)
                return QLatin1Char('D');
            return alertStateName(a.status.state).at(0).toUpper();
        }
    }
    return QLatin1Char('-');
}

} // namespace

class TestAlertEngine : public QObject
{
    Q_OBJECT

    struct Rig
    {
        ManualClock clock;
        TimeSeriesStore store;
        AlertEngine engine{&store, clock.clock()};
        QSignalSpy notifications{&engine, &AlertEngine::notification};
        QSignalSpy transitions{&engine, &AlertEngine::transition};
        Rig() { engine.setTickInterval(0); }
        void tick()
        {
            clock.advance(kStepMs);
            engine.evaluateDue();
        }
        int count(bool resolved) const
        {
            int n = 0;
            for (const auto& args : notifications)
                n += args.at(0).value<AlertNotification>().resolved == resolved ? 1 : 0;
            return n;
        }
    };

private slots:
    void initTestCase() { qRegisterMetaType<AlertNotification>(); }

    void states_data()
    {
        QTest::addColumn<QString>("values"); // one per evaluation; '_' appends nothing
        QTest::addColumn<qint64>("forMs");
        QTest::addColumn<qint64>("keepMs");
        QTest::addColumn<qint64>("stepMs");
        QTest::addColumn<int>("noData");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("firings");
        QTest::addColumn<int>("resolutions");
        const int nodata = int(NoDataBehaviour::NoData);
        const int ok = int(NoDataBehaviour::Ok);
        const int alerting = int(NoDataBehaviour::Alerting);
        QTest::newRow("pending then firing after for")
            << "5 5 5 5 5" << qint64(3000) << qint64(0) << kStepMs << nodata << "PPPFF" << 1 << 0;
        QTest::newRow("cleared while pending")
            << "5 5 0 0" << qint64(3000) << qint64(0) << kStepMs << nodata << "PPNN" << 0 << 0;
        QTest::newRow("for 0 fires at once, resolves at once")
            << "5 0" << qint64(0) << qint64(0) << kStepMs << nodata << "FN" << 1 << 1;
        QTest::newRow("flapping held by keep_firing_for")
            << "5 0 5 0 0 0 0" << qint64(0) << qint64(3000) << kStepMs << nodata << "FRFRRRN" << 1
            << 1;
        QTest::newRow("below threshold stays normal")
            << "1 1 1" << qint64(0) << qint64(0) << kStepMs << nodata << "NNN" << 0 << 0;
        // Steps longer than the 5 min look-back: a missing sample is no data.
        QTest::newRow("no data as a state")
            << "1 _ 1" << qint64(0) << qint64(0) << qint64(400000) << nodata << "NDN" << 0 << 0;
        QTest::newRow("no data is ok") << "5 _ _" << qint64(0) << qint64(0) << qint64(400000) << ok
                                       << "F--" << 1 << 1; // resolved, then dropped
        QTest::newRow("no data is alerting")
            << "1 _ _" << qint64(0) << qint64(0) << qint64(400000) << alerting << "NFF" << 1 << 0;
        QTest::newRow("firing, then no data")
            << "5 _" << qint64(0) << qint64(0) << qint64(400000) << nodata << "FD" << 1 << 1;
    }

    void states()
    {
        QFETCH(QString, values);
        QFETCH(qint64, forMs);
        QFETCH(qint64, keepMs);
        QFETCH(qint64, stepMs);
        QFETCH(int, noData);
        QFETCH(QString, expected);
        QFETCH(int, firings);
        QFETCH(int, resolutions);
        Rig rig;
        const QStringList errors = rig.engine.setRules({makeRule(
            QStringLiteral("R"), QStringLiteral("g"), 3, forMs, keepMs, NoDataBehaviour(noData))});
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        rig.engine.start();
        const QMap<QString, QString> labels{{QStringLiteral("instance"), QStringLiteral("a")}};
        QString trace;
        for (const QString& v : values.split(' ')) {
            if (v != QLatin1String("_"))
                rig.store.append(gauge(QStringLiteral("a")), rig.clock.now(), v.toDouble());
            rig.engine.evaluateDue();
            trace += letter(rig.engine, QStringLiteral("R"), labels);
            rig.clock.advance(stepMs);
        }
        QCOMPARE(trace, expected);
        QCOMPARE(rig.count(false), firings);
        QCOMPARE(rig.count(true), resolutions);
        QCOMPARE(qsizetype(rig.engine.history().entries().size()), rig.transitions.size());
    }

    void notificationContent()
    {
        Rig rig;
        AlertRule rule = makeRule(QStringLiteral("HighG"), QStringLiteral("g"), 3, 0, 0);
        rule.labels.insert(QStringLiteral("team"), QStringLiteral("search"));
        rule.route = QStringLiteral("pager");
        QVERIFY(rig.engine.setRules({rule}).isEmpty());
        rig.engine.start();
        const qint64 firingAt = rig.clock.now();
        rig.store.append(gauge(QStringLiteral("a")), firingAt, 7);
        rig.engine.evaluateDue();
        rig.tick();
        rig.store.append(gauge(QStringLiteral("a")), rig.clock.now(), 1);
        rig.tick();
        QCOMPARE(rig.notifications.size(), 2);
        const auto firing = rig.notifications.at(0).at(0).value<AlertNotification>();
        QVERIFY(!firing.resolved);
        QCOMPARE(firing.labels.value("alertname"), QStringLiteral("HighG"));
        QCOMPARE(firing.labels.value("severity"), QStringLiteral("critical"));
        QCOMPARE(firing.labels.value("team"), QStringLiteral("search"));
        QCOMPARE(firing.labels.value("instance"), QStringLiteral("a"));
        QCOMPARE(firing.summary, QStringLiteral("value 7 over 3 on a"));
        QCOMPARE(firing.route, QStringLiteral("pager"));
        QCOMPARE(firing.startsAtMs, firingAt);
        QCOMPARE(firing.endsAtMs, 0);
        const auto resolved = rig.notifications.at(1).at(0).value<AlertNotification>();
        QVERIFY(resolved.resolved);
        QCOMPARE(resolved.startsAtMs, firingAt);
        QCOMPARE(resolved.endsAtMs, rig.clock.now());
    }

    // ReplicaDown: one instance per series of up{job="service"}, each with its labels.
    void perInstanceLabels()
    {
        Rig rig;
        std::vector<AlertRule> defaults = AlertRuleJson::defaults();
        const auto replicaDown = std::find_if(defaults.begin(), defaults.end(), [](const auto& r) {
            return r.name == QLatin1String("ReplicaDown");
        });
        QVERIFY(replicaDown != defaults.end());
        AlertRule rule = *replicaDown;
        rule.intervalMs = kStepMs;
        rule.forMs = 2000;
        QVERIFY(rig.engine.setRules({rule}).isEmpty());
        rig.engine.start();
        const QMap<QString, QString> r1{{"instance", "r1"}, {"job", "service"}};
        const QMap<QString, QString> r2{{"instance", "r2"}, {"job", "service"}};
        QString trace1;
        QString trace2;
        for (int i = 0; i < 4; ++i) {
            rig.store.append(up(QStringLiteral("r1")), rig.clock.now(), 1);
            rig.store.append(up(QStringLiteral("r2")), rig.clock.now(), 0);
            rig.engine.evaluateDue();
            trace1 += letter(rig.engine, rule.name, r1);
            trace2 += letter(rig.engine, rule.name, r2);
            rig.clock.advance(kStepMs);
        }
        QCOMPARE(trace1, QStringLiteral("NNNN"));
        QCOMPARE(trace2, QStringLiteral("PPFF"));
        QCOMPARE(rig.notifications.size(), 1);
        const auto n = rig.notifications.at(0).at(0).value<AlertNotification>();
        QCOMPARE(n.labels.value("instance"), QStringLiteral("r2"));
        QCOMPARE(n.labels.value("alertname"), QStringLiteral("ReplicaDown"));

        // r2 disappears (scaled away): after the look-back it is no data,
        // which for ReplicaDown (no_data ok) resolves it, and it is dropped.
        rig.clock.advance(6 * 60 * 1000);
        rig.store.append(up(QStringLiteral("r1")), rig.clock.now(), 1);
        rig.engine.evaluateDue();
        QCOMPARE(letter(rig.engine, rule.name, r2), QLatin1Char('-'));
        QCOMPARE(rig.count(true), 1);
        QCOMPARE(rig.engine.history().entries().back().transition.to, AlertState::Normal);
    }

    // Alerts that change in one evaluation are also handed over together
    // (notifications()), once, for webhooks to send in one payload.
    void notificationsOfOneEvaluationComeTogether()
    {
        Rig rig;
        QSignalSpy batches(&rig.engine, &AlertEngine::notifications);
        QVERIFY(rig.engine.setRules({makeRule("A", "g", 3, 0, 0), makeRule("B", "g * 2", 3, 0, 0)})
                    .isEmpty());
        rig.engine.start();
        rig.store.append(gauge("a"), rig.clock.now(), 5);
        rig.store.append(gauge("b"), rig.clock.now(), 5);
        rig.engine.evaluateDue();
        QCOMPARE(batches.size(), 1);
        auto batch = batches.at(0).at(0).value<QList<AlertNotification>>();
        QCOMPARE(batch.size(), 4); // A and B, each for instances a and b
        QCOMPARE(rig.count(false), 4);
        rig.tick(); // nothing changes: no batch
        QCOMPARE(batches.size(), 1);
        // Removing B resolves its two instances in one batch.
        QVERIFY(rig.engine.setRules({makeRule("A", "g", 3, 0, 0)}).isEmpty());
        QCOMPARE(batches.size(), 2);
        batch = batches.at(1).at(0).value<QList<AlertNotification>>();
        QCOMPARE(batch.size(), 2);
        for (const AlertNotification& n : batch) {
            QCOMPARE(n.ruleName, QStringLiteral("B"));
            QVERIFY(n.resolved);
        }
    }

    // ServiceDown: sum(up{job="service"}) with no series at all is no data,
    // which that rule treats as alerting.
    void serviceDownWithoutSeries()
    {
        Rig rig;
        for (AlertRule rule : AlertRuleJson::defaults()) {
            if (rule.name != QLatin1String("ServiceDown"))
                continue;
            rule.intervalMs = kStepMs;
            QVERIFY(rig.engine.setRules({rule}).isEmpty());
        }
        rig.engine.start();
        rig.engine.evaluateDue();
        QCOMPARE(letter(rig.engine, "ServiceDown", {}), QLatin1Char('P'));
        rig.clock.advance(60 * 1000);
        rig.engine.evaluateDue();
        QCOMPARE(letter(rig.engine, "ServiceDown", {}), QLatin1Char('F'));
        rig.store.append(up(QStringLiteral("local")), rig.clock.now(), 1);
        rig.tick();
        QCOMPARE(letter(rig.engine, "ServiceDown", {}), QLatin1Char('N'));
        QCOMPARE(rig.count(false), 1);
        QCOMPARE(rig.count(true), 1);
    }

    void ruleSetReplacement()
    {
        Rig rig;
        const AlertRule a = makeRule("A", "g", 3, 0, 0);
        const AlertRule b = makeRule("B", "g", 3, 60000, 0);
        const AlertRule d = makeRule("D", "g", 3, 0, 0);
        QVERIFY(rig.engine.setRules({a, b, d}).isEmpty());
        rig.engine.start();
        rig.store.append(gauge("a"), rig.clock.now(), 5);
        rig.engine.evaluateDue();
        const QMap<QString, QString> labels{{"instance", "a"}};
        QCOMPARE(letter(rig.engine, "A", labels), QLatin1Char('F'));
        QCOMPARE(letter(rig.engine, "B", labels), QLatin1Char('P'));
        QCOMPARE(rig.count(false), 2); // A and D

        // Invalid sets change nothing, and say why.
        AlertRule bad = makeRule("C", "rate(g[", 3, 0, 0);
        QStringList errors = rig.engine.setRules({a, bad});
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.join(' ').contains("expression"), qPrintable(errors.join(' ')));
        errors = rig.engine.setRules({a, a});
        QVERIFY2(errors.join(' ').contains("used twice"), qPrintable(errors.join(' ')));
        QCOMPARE(rig.engine.rules().size(), std::size_t(3));

        // A unchanged, B's threshold changed (same expression), C new, D removed.
        AlertRule b2 = b;
        b2.threshold = 4;
        const AlertRule c = makeRule("C", "g * 2", 3, 0, 0);
        rig.notifications.clear();
        QVERIFY(rig.engine.setRules({a, b2, c}, "threshold of B 3 -> 4").isEmpty());
        QCOMPARE(letter(rig.engine, "A", labels), QLatin1Char('F'));
        QCOMPARE(letter(rig.engine, "B", labels), QLatin1Char('P'));
        QCOMPARE(letter(rig.engine, "D", labels), QLatin1Char('-'));
        QCOMPARE(rig.count(true), 1); // D resolved when removed
        QCOMPARE(rig.engine.history().entries().back().note, QStringLiteral("rule removed"));
        rig.store.append(gauge("a"), rig.clock.now() + kStepMs, 5);
        rig.tick();
        QCOMPARE(letter(rig.engine, "A", labels), QLatin1Char('F'));
        QCOMPARE(letter(rig.engine, "C", labels), QLatin1Char('F'));
        QCOMPARE(rig.count(false), 1); // C only: A kept firing without a second notification

        // B's expression changes: it starts afresh.
        AlertRule b3 = b2;
        b3.expression = "g + 0";
        QVERIFY(rig.engine.setRules({a, b3, c}).isEmpty());
        QCOMPARE(letter(rig.engine, "B", labels), QLatin1Char('-'));
    }

    void acknowledge()
    {
        Rig rig;
        QVERIFY(rig.engine.setRules({makeRule("A", "g", 3, 0, 0)}).isEmpty());
        rig.engine.start();
        rig.store.append(gauge("a"), rig.clock.now(), 5);
        rig.engine.evaluateDue();
        const QString key = rig.engine.instances().at(0).key();
        QCOMPARE(key, QStringLiteral("A{instance=\"a\"}"));
        QVERIFY(!rig.engine.acknowledge("A{instance=\"zz\"}", "ops"));
        QVERIFY(!rig.engine.acknowledge(key, "  "));
        QSignalSpy changed(&rig.engine, &AlertEngine::alertsChanged);
        QVERIFY(rig.engine.acknowledge(key, "ops"));
        QCOMPARE(changed.size(), 1);
        const auto snapshot = changed.at(0).at(0).value<QList<AlertInstance>>();
        QVERIFY(snapshot.at(0).acknowledged);
        QCOMPARE(snapshot.at(0).acknowledgedBy, QStringLiteral("ops"));
        // The acknowledgement ends with the alert.
        rig.store.append(gauge("a"), rig.clock.now() + kStepMs, 1);
        rig.tick();
        QVERIFY(!rig.engine.acknowledge(key, "ops"));
        rig.store.append(gauge("a"), rig.clock.now() + kStepMs, 5);
        rig.tick();
        QVERIFY(!rig.engine.instances().at(0).acknowledged);
    }

    void firstEvaluationWaitsForData()
    {
        Rig rig;
        rig.engine.setFirstEvaluationDelay(3000);
        QVERIFY(rig.engine.setRules({makeRule("A", "g", 3, 0, 0)}).isEmpty());
        rig.engine.start();
        rig.engine.evaluateDue(); // no data yet, and not evaluated: no NoData transition
        QCOMPARE(rig.transitions.size(), 0);
        rig.store.append(gauge("a"), rig.clock.now() + 1000, 5);
        rig.tick();
        rig.tick();
        QCOMPARE(rig.transitions.size(), 0);
        rig.tick();
        QCOMPARE(rig.transitions.size(), 1);
        QCOMPARE(letter(rig.engine, "A", {{"instance", "a"}}), QLatin1Char('F'));
    }

    void disabledRulesAreNotEvaluated()
    {
        Rig rig;
        AlertRule rule = makeRule("A", "g", 3, 0, 0);
        rule.enabled = false;
        QVERIFY(rig.engine.setRules({rule}).isEmpty());
        rig.engine.start();
        rig.store.append(gauge("a"), rig.clock.now(), 5);
        rig.engine.evaluateDue();
        QCOMPARE(rig.transitions.size(), 0);
        QCOMPARE(rig.engine.instances().size(), 1); // listed, Normal
        QCOMPARE(rig.engine.instances().at(0).status.state, AlertState::Normal);
    }
};

QTEST_GUILESS_MAIN(TestAlertEngine)
#include "tst_alertengine.moc"
