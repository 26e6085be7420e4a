#include "ManualClock.h"
#include "ScriptedReplicaSet.h"
#include "backend/scaling/FleetProbe.h"
#include "backend/scaling/ScaleOperator.h"
#include "ui/fleet/ScaleReportText.h"

#include <QtTest>

using namespace querydeck;
using querydeck::test::ScriptedReplicaSet;

namespace {

// Requests per instance as the test sets them.
class FixedProbe final : public FleetProbe
{
public:
    FleetState read() const override { return {}; }
    QHash<QString, double> requestsByInstance(qint64) const override { return byInstance; }
    QHash<QString, double> byInstance;
};

ReplicaInfo ready(const QString& id, const QString& address)
{
    ReplicaInfo r;
    r.id = id;
    r.address = address;
    r.state = ReplicaState::Ready;
    return r;
}

} // namespace

// The scale report's figures: how long the apply took (timed by the
// operator's clock), the traffic per replica in the verify window, and the
// cost change, in words.
class TestScaleReport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void applyIsTimedAndTrafficCounted()
    {
        ManualClock clock;
        ScriptedReplicaSet set;
        set.desired = 2;
        auto probe = std::make_shared<FixedProbe>();
        ScaleOperator op(&set, probe);
        op.setClock(clock.clock());
        QSignalSpy applied(&op, &ScaleOperator::applyFinished);
        ScaleRequest request;
        request.currentReplicas = 2;
        request.targetReplicas = 3;
        request.verifyWindowMs = 30'000;
        op.apply(request);
        QCOMPARE(set.desired, 3);
        clock.advance(42'300); // the set takes its time
        emit set.scaleFinished(true, QString());
        QCOMPARE(applied.size(), 1);
        QCOMPARE(applied.first().at(2).toLongLong(), 42'300);

        set.list = {ready("1", "127.0.0.1:8101"), ready("2", "127.0.0.1:8102"),
                    ready("3", "127.0.0.1:8103")};
        probe->byInstance = {{"127.0.0.1:8101", 45}, {"127.0.0.1:8102", 45}, {"127.0.0.1:8103", 0}};
        QSignalSpy verified(&op, &ScaleOperator::verifyFinished);
        request.verifyWindowMs = 10; // the timer; the count's window is whole seconds
        op.verify(request);
        QVERIFY(verified.wait(5000));
        QVERIFY(!verified.first().at(0).toBool()); // replica 3 got nothing
        const auto traffic = verified.first().at(2).value<QList<ReplicaTraffic>>();
        QCOMPARE(traffic.size(), 3);
        QCOMPARE(traffic[0].id, QString("1"));
        QCOMPARE(traffic[0].requests, 45.0);
        QCOMPARE(traffic[0].windowMs, 1000);
        QCOMPARE(traffic[2].requests, 0.0);
    }

    void words()
    {
        QCOMPARE(ScaleReportText::duration(true, 42'300, true, 30'000),
                 QString("applied in 42 s (every replica ready), then watched for 30 s"));
        QCOMPARE(ScaleReportText::duration(true, 8'460, false, 30'000),
                 QString("applied in 8.5 s (every replica ready)"));
        QCOMPARE(ScaleReportText::duration(false, 125'000, false, 30'000),
                 QString("failed after 2 min 5 s"));
        QCOMPARE(ScaleReportText::duration(false, -1, false, 30'000), QString("not measured"));

        const QList<ReplicaTraffic> traffic{{"1", "a", 90, 30'000}, {"2", "b", 60, 30'000}};
        QCOMPARE(
            ScaleReportText::traffic(traffic),
            QString("over the last 30 s:\n1: 3.00 queries/s (60 %)\n2: 2.00 queries/s (40 %)"));
        QVERIFY(ScaleReportText::traffic({}).startsWith("not measured"));

        QCOMPARE(ScaleReportText::cost(2, 4, 70), QString("$140 → $280 per month (+$140)"));
        QCOMPARE(ScaleReportText::cost(4, 2, 70), QString("$280 → $140 per month (−$140)"));
        QCOMPARE(ScaleReportText::cost(2, 3, 1234.5),
                 QString("$2,469 → $3,704 per month (+$1,235)"));
    }
};

QTEST_GUILESS_MAIN(TestScaleReport)
#include "tst_scalereport.moc"
