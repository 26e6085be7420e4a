#include "backend/alerting/AlertRule.h"
#include "backend/alerting/AlertStateMachine.h"

#include <QTest>
#include <cmath>
#include <limits>

using namespace querydeck;

namespace {

// The state after each evaluation, as letters: N P F R D E.
QString trace(const AlertRule& rule, const std::vector<std::optional<double>>& series,
              qint64 stepMs)
{
    AlertStateMachine machine(rule);
    QString out;
    qint64 t = 1000;
    for (const auto& v : series) {
        machine.step(t, v);
        t += stepMs;
        out += alertStateName(machine.status().state).at(0).toUpper();
        if (machine.status().state == AlertState::NoData)
            out.back() = QLatin1Char('D');
    }
    return out;
}

AlertRule rule(qint64 forMs, qint64 keepMs, NoDataBehaviour noData = NoDataBehaviour::NoData)
{
    AlertRule r;
    r.name = QStringLiteral("latency");
    r.expression = QStringLiteral("querydeck_p95_seconds");
    r.comparator = AlertComparator::Greater;
    r.threshold = 10;
    r.forMs = forMs;
    r.keepFiringForMs = keepMs;
    r.noData = noData;
    return r;
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

class TestAlertStateMachine : public QObject
{
    Q_OBJECT

private slots:
    void states_data();
    void states();
    void comparators_data();
    void comparators();
    void transitionsAndNotifications();
    void errorState();
    void replayCountsFiringsAndGaps();
    void templates();
    void validation_data();
    void validation();
};

void TestAlertStateMachine::states_data()
{
    QTest::addColumn<qint64>("forMs");
    QTest::addColumn<qint64>("keepMs");
    QTest::addColumn<int>("noData");
    QTest::addColumn<QList<double>>("series");
    QTest::addColumn<QString>("expected");

    const int nodata = int(NoDataBehaviour::NoData);
    // 1 s steps; for = 3 s means the 4th consecutive breach fires.
    QTest::newRow("pending then firing after for")
        << qint64(3000) << qint64(0) << nodata << QList<double>{1, 20, 20, 20, 20, 20} << "NPPPFF";
    QTest::newRow("pending interrupted returns to normal")
        << qint64(3000) << qint64(0) << nodata << QList<double>{20, 20, 1, 20, 20, 20, 20}
        << "PPNPPPF";
    QTest::newRow("for zero fires at once")
        << qint64(0) << qint64(0) << nodata << QList<double>{20, 1} << "FN";
    QTest::newRow("equal to threshold is not above")
        << qint64(0) << qint64(0) << nodata << QList<double>{10, 10.0001} << "NF";
    QTest::newRow("recovery without keep_firing_for")
        << qint64(1000) << qint64(0) << nodata << QList<double>{20, 20, 1, 1} << "PFNN";
    QTest::newRow("flapping held by keep_firing_for")
        << qint64(0) << qint64(3000) << nodata << QList<double>{20, 1, 20, 1, 1, 1, 1, 1}
        << "FRFRRRNN";
    QTest::newRow("nodata state") << qint64(0) << qint64(0) << nodata
                                  << QList<double>{20, kNaN, kNaN, 1} << "FDDN";
    QTest::newRow("nodata as ok") << qint64(0) << qint64(0) << int(NoDataBehaviour::Ok)
                                  << QList<double>{20, kNaN, 1} << "FNN";
    QTest::newRow("nodata as alerting goes through for")
        << qint64(2000) << qint64(0) << int(NoDataBehaviour::Alerting)
        << QList<double>{kNaN, kNaN, kNaN, 1} << "PPFN";
    QTest::newRow("nan value is not a breach")
        << qint64(0) << qint64(0) << int(NoDataBehaviour::Ok) << QList<double>{kNaN, 20} << "NF";
}

void TestAlertStateMachine::states()
{
    QFETCH(qint64, forMs);
    QFETCH(qint64, keepMs);
    QFETCH(int, noData);
    QFETCH(QList<double>, series);
    QFETCH(QString, expected);
    std::vector<std::optional<double>> input;
    for (double v : series)
        input.push_back(std::isnan(v) ? std::nullopt : std::optional<double>(v));
    QCOMPARE(trace(rule(forMs, keepMs, NoDataBehaviour(noData)), input, 1000), expected);
}

void TestAlertStateMachine::comparators_data()
{
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("breach");
    QTest::newRow("> above") << ">" << 10.5 << true;
    QTest::newRow("> equal") << ">" << 10.0 << false;
    QTest::newRow(">= equal") << ">=" << 10.0 << true;
    QTest::newRow("< below") << "<" << 9.5 << true;
    QTest::newRow("< equal") << "<" << 10.0 << false;
    QTest::newRow("<= equal") << "<=" << 10.0 << true;
    QTest::newRow("<= above") << "<=" << 10.1 << false;
    QTest::newRow("> +inf") << ">" << std::numeric_limits<double>::infinity() << true;
}

void TestAlertStateMachine::comparators()
{
    QFETCH(QString, symbol);
    QFETCH(double, value);
    QFETCH(bool, breach);
    AlertRule r = rule(0, 0);
    QVERIFY(parseComparator(symbol, &r.comparator));
    QCOMPARE(comparatorSymbol(r.comparator), symbol);
    QCOMPARE(r.breaches(value), breach);
}

void TestAlertStateMachine::transitionsAndNotifications()
{
    AlertStateMachine machine(rule(2000, 2000));
    QVERIFY(!machine.step(1000, 1.0));
    auto t1 = machine.step(2000, 20.0);
    QVERIFY(t1);
    QCOMPARE(t1->to, AlertState::Pending);
    QVERIFY(!t1->startsFiring());
    QCOMPARE(machine.status().activeSinceMs, 2000);
    QVERIFY(!machine.step(3000, 21.0));
    auto t2 = machine.step(4000, 22.0);
    QVERIFY(t2 && t2->startsFiring());
    QCOMPARE(*t2->value, 22.0);
    QCOMPARE(machine.status().firingSinceMs, 4000);
    auto t3 = machine.step(5000, 1.0);
    QVERIFY(t3 && t3->to == AlertState::Recovering && !t3->resolves());
    auto t4 = machine.step(6000, 30.0); // flap: back to firing, no new notification
    QVERIFY(t4 && t4->to == AlertState::Firing && !t4->startsFiring());
    QCOMPARE(machine.status().firingSinceMs, 4000);
    QVERIFY(machine.step(7000, 1.0));
    QVERIFY(!machine.step(8000, 1.0));
    auto t5 = machine.step(9000, 1.0);
    QVERIFY(t5 && t5->resolves());
    QCOMPARE(machine.status().firingSinceMs, 0);
    QCOMPARE(machine.status().state, AlertState::Normal);
}

void TestAlertStateMachine::errorState()
{
    AlertStateMachine machine(rule(0, 0));
    QVERIFY(machine.step(1000, 20.0)->startsFiring());
    auto error = machine.step(2000, std::nullopt, QStringLiteral("division by zero"));
    QVERIFY(error);
    QCOMPARE(error->to, AlertState::Error);
    QVERIFY(error->resolves());
    QCOMPARE(error->error, QStringLiteral("division by zero"));
    QCOMPARE(machine.status().error, QStringLiteral("division by zero"));
    QVERIFY(!machine.status().value);
    QCOMPARE(machine.step(3000, 1.0)->to, AlertState::Normal);
    QVERIFY(machine.status().error.isEmpty());
}

void TestAlertStateMachine::replayCountsFiringsAndGaps()
{
    std::vector<Point> points;
    // Two bursts over threshold, 5 s each, 1 s apart, separated by a calm minute.
    for (int i = 0; i < 200; ++i) {
        const bool burst = (i >= 10 && i < 15) || (i >= 100 && i < 105);
        points.push_back({1000 + i * 1000LL, burst ? 20.0 : 1.0});
    }
    QCOMPARE(AlertStateMachine::countFirings(rule(0, 0), points, 5000), 2);
    QCOMPARE(AlertStateMachine::countFirings(rule(3000, 0), points, 5000), 2);
    QCOMPARE(AlertStateMachine::countFirings(rule(5000, 0), points, 5000), 0);
    // keep_firing_for longer than the calm between bursts: one firing.
    QCOMPARE(AlertStateMachine::countFirings(rule(0, 120000), points, 5000), 1);

    // A gap longer than maxGap is no data: a firing alert leaves Firing.
    std::vector<Point> gappy{{1000, 20}, {2000, 20}, {60000, 20}};
    const auto transitions = AlertStateMachine::replay(rule(0, 0), gappy, 5000);
    QCOMPARE(int(transitions.size()), 3);
    QCOMPARE(transitions[1].to, AlertState::NoData);
    QCOMPARE(transitions[1].t, 7000);
    QCOMPARE(AlertStateMachine::countFirings(rule(0, 0), gappy, 5000), 2);
    QCOMPARE(AlertStateMachine::countFirings(rule(0, 0), {}, 5000), 0);
}

void TestAlertStateMachine::templates()
{
    AlertRule r = rule(0, 0);
    r.labels.insert(QStringLiteral("team"), QStringLiteral("search"));
    QCOMPARE(r.render(QStringLiteral("P95 {{value}} s over {{ threshold }} on {{labels.replica}} "
                                     "({{labels.team}}) {{unknown}}"),
                      12.3456789, {{QStringLiteral("replica"), QStringLiteral("r2")}}),
             QStringLiteral("P95 12.3457 s over 10 on r2 (search) {{unknown}}"));
    QCOMPARE(r.render(QStringLiteral("{{value}}"), kNaN), QStringLiteral("NaN"));
    QCOMPARE(r.render(QString(), 1.0), QString());
}

void TestAlertStateMachine::validation_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("valid") << ""
                           << ""
                           << "";
    QTest::newRow("empty name") << "name"
                                << "  "
                                << "name: must not be empty";
    QTest::newRow("control in name") << "name"
                                     << "a\x01"
                                        "b"
                                     << "name: contains control";
    QTest::newRow("long name") << "name" << QString(201, QLatin1Char('x')) << "name: longer";
    QTest::newRow("empty expression") << "expression"
                                      << ""
                                      << "expression: must not be empty";
    QTest::newRow("bad expression") << "expression"
                                    << "rate(foo[5m]"
                                    << "expression: ";
    QTest::newRow("nan threshold") << "threshold"
                                   << "nan"
                                   << "threshold: not a finite number";
    QTest::newRow("negative for") << "for"
                                  << "-1"
                                  << "for: must not be negative";
    QTest::newRow("negative keep") << "keep"
                                   << "-5"
                                   << "keep_firing_for: must not be negative";
    QTest::newRow("tiny interval") << "interval"
                                   << "10"
                                   << "interval: must be between";
    QTest::newRow("bad label") << "label"
                               << "1abc"
                               << "labels: \"1abc\" is not a valid";
    QTest::newRow("reserved label") << "label"
                                    << "severity"
                                    << "labels: \"severity\" is set";
}

void TestAlertStateMachine::validation()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, error);
    AlertRule r = rule(0, 0);
    if (field == QLatin1String("name"))
        r.name = value;
    else if (field == QLatin1String("expression"))
        r.expression = value;
    else if (field == QLatin1String("threshold"))
        r.threshold = std::numeric_limits<double>::quiet_NaN();
    else if (field == QLatin1String("for"))
        r.forMs = value.toLongLong();
    else if (field == QLatin1String("keep"))
        r.keepFiringForMs = value.toLongLong();
    else if (field == QLatin1String("interval"))
        r.intervalMs = value.toLongLong();
    else if (field == QLatin1String("label"))
        r.labels.insert(value, QStringLiteral("x"));
    const QStringList errors = r.validate();
    if (error.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    } else {
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(error), qPrintable(errors.first()));
    }
}

QTEST_APPLESS_MAIN(TestAlertStateMachine)
#include "tst_alertstatemachine.moc"
