// The auto-scaler panel's simulation profiles, driven through its widgets: a
// ramp to a chosen peak, and stored history through the app's loader
// (answered later, as the telemetry thread would), including a load that
// fails and an answer that arrives after the operator chose again.

#include "backend/autoscale/RulePolicy.h"
#include "ui/fleet/AutoscalerPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QTest>

using namespace querydeck;

namespace {

double peakReplicas(const AutoscalerPanel& panel)
{
    double most = 0;
    for (const QPointF& p : panel.replicaSeries()->points())
        most = std::max(most, p.y());
    return most;
}

// 20 minutes at 5 replicas' worth of work, then 30 at 1, one point per 15 s.
std::vector<LoadPoint> storedProfile()
{
    std::vector<LoadPoint> points;
    for (int i = 0; i <= 50 * 4; ++i)
        points.push_back({1'700'000'000'000 + i * 15'000, i < 80 ? 5.0 : 1.0});
    return points;
}

} // namespace

class TestUiAutoscalerPanel : public QObject
{
    Q_OBJECT

    static std::unique_ptr<AutoscalePolicy> policy() { return std::make_unique<RulePolicy>(); }

private slots:
    void rampPeakIsEditable()
    {
        AutoscalerPanel panel(&policy);
        QCOMPARE(panel.profileChoice()->count(), 1); // no loader: the ramp only
        QVERIFY(!panel.peakDemand()->isHidden());
        panel.peakDemand()->setValue(3.0);
        QTest::mouseClick(panel.findChild<QPushButton*>("simulate"), Qt::LeftButton);
        const double atThree = peakReplicas(panel);
        panel.peakDemand()->setValue(8.0);
        QTest::mouseClick(panel.findChild<QPushButton*>("simulate"), Qt::LeftButton);
        QVERIFY2(peakReplicas(panel) > atThree,
                 qPrintable(QString("peak 8 gave %1 replicas, peak 3 gave %2")
                                .arg(peakReplicas(panel))
                                .arg(atThree)));
        QVERIFY(panel.simulationNote()->text().contains(QLatin1String("8")));
    }

    void storedHistoryIsReplayed()
    {
        AutoscalerPanel panel(&policy);
        qint64 askedSpan = 0;
        AutoscalerPanel::ProfileCallback pending;
        panel.setHistoryLoader([&](qint64 spanMs, AutoscalerPanel::ProfileCallback done) {
            askedSpan = spanMs;
            pending = std::move(done);
        });
        QCOMPARE(panel.profileChoice()->count(), 4);
        panel.profileChoice()->setCurrentIndex(1);
        QVERIFY(panel.peakDemand()->isHidden());
        QTest::mouseClick(panel.findChild<QPushButton*>("simulate"), Qt::LeftButton);
        QCOMPARE(askedSpan, qint64(3600 * 1000));
        QVERIFY(panel.simulationNote()->text().contains(QLatin1String("loading")));
        QVERIFY(panel.replicaSeries()->points().isEmpty());

        pending(storedProfile(), {});
        const QList<QPointF> points = panel.replicaSeries()->points();
        QVERIFY(points.size() > 10);
        QVERIFY2(peakReplicas(panel) >= 7, qPrintable(QString::number(peakReplicas(panel))));
        QCOMPARE(panel.simulationNote()->text(), QString("201 stored points replayed"));
    }

    void historyErrorsAreShown()
    {
        AutoscalerPanel panel(&policy);
        panel.setHistoryLoader([](qint64, AutoscalerPanel::ProfileCallback done) {
            done({}, QStringLiteral("no stored data for avg(cpu) and count(cpu) in the range"));
        });
        panel.profileChoice()->setCurrentIndex(3);
        QTest::mouseClick(panel.findChild<QPushButton*>("simulate"), Qt::LeftButton);
        QCOMPARE(panel.simulationNote()->text(),
                 QString("no stored data for avg(cpu) and count(cpu) in the range"));
        QVERIFY(panel.replicaSeries()->points().isEmpty());

        panel.setHistoryLoader([](qint64, AutoscalerPanel::ProfileCallback done) {
            done({{0, 1.0}}, {});
        });
        panel.profileChoice()->setCurrentIndex(1);
        QTest::mouseClick(panel.findChild<QPushButton*>("simulate"), Qt::LeftButton);
        QCOMPARE(panel.simulationNote()->text(), QString("not enough stored history to replay"));
    }

    void lateAnswerIsDropped()
    {
        AutoscalerPanel panel(&policy);
        AutoscalerPanel::ProfileCallback pending;
        panel.setHistoryLoader(
            [&](qint64, AutoscalerPanel::ProfileCallback done) { pending = std::move(done); });
        panel.profileChoice()->setCurrentIndex(2);
        QTest::mouseClick(panel.findChild<QPushButton*>("simulate"), Qt::LeftButton);
        // The operator goes back to the ramp before the history arrives.
        panel.profileChoice()->setCurrentIndex(0);
        QTest::mouseClick(panel.findChild<QPushButton*>("simulate"), Qt::LeftButton);
        const QList<QPointF> ramp = panel.replicaSeries()->points();
        pending(storedProfile(), {});
        QCOMPARE(panel.replicaSeries()->points(), ramp);
        QVERIFY(panel.simulationNote()->text().startsWith(QLatin1String("ramp")));
    }
};

QTEST_MAIN(TestUiAutoscalerPanel)
#include "tst_ui_autoscalerpanel.moc"
