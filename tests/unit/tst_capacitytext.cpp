#include "ui/fleet/CapacityText.h"

#include <QtTest>

using namespace querydeck;

// The scale wizard's capacity figures in words: units, three significant
// digits, and the method and the load in separate sentences.
class TestCapacityText : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void numbers()
    {
        QCOMPARE(CapacityText::queriesPerSecond(3.0 / 0.85), QString("3.53 queries/s"));
        QCOMPARE(CapacityText::queriesPerSecond(3), QString("3.00 queries/s"));
        QCOMPARE(CapacityText::queriesPerSecond(16000), QString("16,000 queries/s"));
        QCOMPARE(CapacityText::perDay(1714176), QString("1.71 million"));
        QCOMPARE(CapacityText::perDay(120003840), QString("120 million"));
        QCOMPARE(CapacityText::perDay(8534), QString("8,530"));
        QCOMPARE(CapacityText::perDay(2.5e9), QString("2.50 billion"));
        QCOMPARE(CapacityText::duration(0.2833), QString("283 ms"));
        QCOMPARE(CapacityText::duration(0.00403), QString("4.03 ms"));
        QCOMPARE(CapacityText::duration(1.5), QString("1.50 s"));
    }

    void methodAndLoad()
    {
        FleetState s;
        s.replicas = 2;
        s.queriesPerSecond = 6;
        s.cpuSecondsPerQuery = 0.85 / 3;
        s.serviceTimeSeconds = 1.5;
        s.queriesMeasured = 720;
        const ReplicaCapacity c = FleetAdvisor::capacity(s);
        const QString method = CapacityText::method(c, 720);
        QVERIFY2(method.startsWith("One replica saturates at 3.53 queries/s, bound by CPU: 1 core "
                                   "÷ 283 ms of CPU per query. Other limits: 32 handler threads "
                                   "÷ 1.50 s per query (mean latency) = 21.3 queries/s."),
                 qPrintable(method));
        QVERIFY2(method.contains("over the last 5 min (720 queries"), qPrintable(method));
        QVERIFY2(method.endsWith("Planned at 70 % of saturation: 2.47 queries/s per replica."),
                 qPrintable(method));
        QCOMPARE(CapacityText::load(c), QString("Load now: 3.00 queries/s per replica, 121 % of "
                                                "the planned capacity (what the fleet serves, "
                                                "not what it could)."));
        s.queriesMeasured = 12;
        const ReplicaCapacity unknown = FleetAdvisor::capacity(s);
        QVERIFY2(CapacityText::method(unknown, 12)
                     .startsWith("Capacity not measured: only 12 queries in the last 5 min"),
                 qPrintable(CapacityText::method(unknown, 12)));
        QCOMPARE(CapacityText::load(unknown), QString("Load now: 3.00 queries/s per replica (what "
                                                      "the fleet serves, not what it could)."));
    }
};

QTEST_GUILESS_MAIN(TestCapacityText)
#include "tst_capacitytext.moc"
