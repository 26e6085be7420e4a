#include "AlertTestData.h"
#include "Snapshot.h"
#include "UiTestSupport.h"
#include "backend/alerting/ThresholdWizardController.h"
#include "backend/dashboards/DashboardLoader.h"
#include "models/AlertHistoryModel.h"
#include "models/AlertListModel.h"
#include "ui/alerts/AlertsDock.h"
#include "ui/alerts/ThresholdWizard.h"
#include "ui/common/AlertColors.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/dashboards/StatPanel.h"
#include "ui/dashboards/TimeSeriesPanel.h"
#include "ui/shell/MainWindow.h"
#include "ui/wall/WallDashboardView.h"
#include "ui/wall/WallWindow.h"

#include <QApplication>
#include <QChart>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTest>

using namespace querydeck;
using querydeck::test::saveSnapshot;
using namespace querydeck::testing;

namespace {

PanelDefinition panelDef(PanelType type, const QString& expr)
{
    PanelDefinition d;
    d.id = QStringLiteral("p");
    d.title = QStringLiteral("Panel");
    d.type = type;
    d.targets = {PanelTarget{expr, {}}};
    d.unit = QStringLiteral("short");
    d.thresholds = {Threshold{-std::numeric_limits<double>::infinity(), QStringLiteral("green")},
                    Threshold{70, QStringLiteral("amber")}};
    return d;
}

PanelData ramp(qint64 now, double last)
{
    PanelData data;
    data.panelId = QStringLiteral("p");
    data.from = now - 60000;
    data.to = now;
    EvaluatedSeries s;
    for (int i = 0; i <= 60; ++i)
        s.points.push_back(Point{data.from + i * 1000, last * i / 60.0});
    data.series.push_back(s);
    return data;
}

} // namespace

class TstUiAlertOverlays : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void timeSeriesDrawsMatchingRuleThresholds();
    void statColoursByRules();
    void dashboardViewsKeepRulesAcrossDashboards();
    void wallBannerAndJump();
    void mainWindowWiring();

private:
    qint64 m_now = 0;
};

void TstUiAlertOverlays::initTestCase()
{
    Theme::apply(*qApp, Theme::Mode::Dark);
    m_now = QDateTime::currentMSecsSinceEpoch();
}

void TstUiAlertOverlays::timeSeriesDrawsMatchingRuleThresholds()
{
    TimeSeriesPanel panel(panelDef(PanelType::TimeSeries, QStringLiteral("querydeck_queue_depth")));
    panel.resize(600, 300);
    panel.show();
    panel.setData(ramp(m_now, 100));
    // Identical text (surrounding blanks aside) matches; another expression does not;
    // a disabled rule is not drawn.
    AlertRule off = makeRule("Off", "querydeck_queue_depth", 20);
    off.enabled = false;
    panel.setAlertRules(
        {makeRule("QueueDeep", " querydeck_queue_depth ", 60, AlertSeverity::Critical),
         makeRule("QueueWarn", "querydeck_queue_depth", 40),
         makeRule("Other", "sum(querydeck_queue_depth)", 50), off,
         makeRule("TooHigh", "querydeck_queue_depth", 5000)});
    const QList<QLineSeries*> lines = panel.alertRuleSeries();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0]->objectName(), QStringLiteral("alert:QueueDeep"));
    QCOMPARE(lines[0]->pen().color(), severityColor(AlertSeverity::Critical));
    QCOMPARE(lines[1]->pen().color(), severityColor(AlertSeverity::Warning));
    QCOMPARE(lines[0]->pen().style(), Qt::CustomDashLine);
    QCOMPARE(lines[0]->points().first().y(), 60.0);
    QVERIFY(lines[0]->isVisible());
    QVERIFY(!lines[2]->isVisible()); // 5000 is far above the axis: not drawn at the edge
    // New data keeps the lines across the new time range.
    panel.setData(ramp(m_now + 5000, 100));
    QCOMPARE(qint64(lines[0]->points().last().x()), m_now + 5000);
    QVERIFY(runQueuedWork());
    QVERIFY(saveSnapshot(&panel, QStringLiteral("panel-alert-thresholds.png")));
    panel.setAlertRules({});
    QVERIFY(panel.alertRuleSeries().isEmpty());

    // With two data series the legend shows; threshold and rule lines stay out of it.
    panel.setAlertRules(
        {makeRule("QueueDeep", "querydeck_queue_depth", 60, AlertSeverity::Critical)});
    PanelData two = ramp(m_now, 100);
    two.series.push_back(two.series.front());
    two.series.back().legend = QStringLiteral("second");
    panel.setData(two);
    QVERIFY(runQueuedWork());
    panel.setWallMode(true);
    QFont big = panel.font();
    big.setPointSizeF(big.pointSizeF() * 2);
    panel.setFont(big);
    const auto legendShown = [](TimeSeriesPanel* chartPanel) {
        int shown = 0;
        for (QLegendMarker* marker : chartPanel->chart()->legend()->markers())
            shown += marker->isVisible() ? 1 : 0;
        return shown;
    };
    QTRY_COMPARE(legendShown(&panel), 2);

    // As the wall builds them: created hidden, data first, shown last.
    auto* hidden = new TimeSeriesPanel(panelDef(PanelType::TimeSeries, "querydeck_queue_depth"));
    hidden->setWallMode(true);
    hidden->setAlertRules({});
    hidden->setData(two);
    hidden->resize(600, 300);
    hidden->show();
    const std::unique_ptr<TimeSeriesPanel> owner(hidden);
    QTRY_COMPARE(legendShown(hidden), 2);
}

void TstUiAlertOverlays::statColoursByRules()
{
    StatPanel panel(panelDef(PanelType::Stat, QStringLiteral("querydeck_queue_depth")));
    panel.setData(ramp(m_now, 80));
    QCOMPARE(panel.valueColor(), Theme::color(QStringLiteral("amber"))); // the panel's step
    panel.setAlertRules({makeRule("Deep", "querydeck_queue_depth", 90, AlertSeverity::Critical)});
    QCOMPARE(panel.valueColor(), Theme::color(QStringLiteral("amber"))); // not breached
    panel.setAlertRules({makeRule("Deep", "querydeck_queue_depth", 75, AlertSeverity::Critical),
                         makeRule("Info", "querydeck_queue_depth", 10, AlertSeverity::Info)});
    QCOMPARE(panel.valueColor(), severityColor(AlertSeverity::Critical)); // the most severe breach
    panel.setAlertRules({makeRule("Low", "querydeck_queue_depth", 10, AlertSeverity::Info)});
    QCOMPARE(panel.valueColor(), severityColor(AlertSeverity::Info));
}

void TstUiAlertOverlays::dashboardViewsKeepRulesAcrossDashboards()
{
    DashboardView view;
    const std::vector<AlertRule> rules{makeRule("M", "metric_0_0", 50, AlertSeverity::Critical)};
    view.setAlertRules(rules);
    view.setDashboard(makeDashboard(QStringLiteral("a"), 1, 2));
    QCOMPARE(view.panel("r0p0")->alertRules().size(), size_t(1));
    QCOMPARE(view.panel("r0p1")->alertRules().size(), size_t(0));
    view.maximizePanel("r0p0");
    QCOMPARE(view.maximizedPanel()->alertRules().size(), size_t(1));
    WallDashboardView wall;
    wall.setAlertRules(rules);
    wall.setDashboard(makeDashboard(QStringLiteral("a"), 1, 2));
    QCOMPARE(wall.panel("r0p0")->alertRules().size(), size_t(1));
}

void TstUiAlertOverlays::wallBannerAndJump()
{
    WallWindow wall;
    DashboardDefinition first =
        makeDashboard(QStringLiteral("a"), 1, 2, QStringLiteral("Overview"));
    DashboardDefinition second =
        makeDashboard(QStringLiteral("b"), 2, 2, QStringLiteral("Latency"));
    second.rows[1].panels[0].targets = {PanelTarget{QStringLiteral("test_latency_seconds"), {}}};
    wall.setDashboards({first, second}, 30);
    wall.setAlertRules({makeRule("HighLatency", "test_latency_seconds", 5, AlertSeverity::Critical),
                        makeRule("Nowhere", "not_on_any_dashboard", 1)});
    wall.resize(1280, 720);
    wall.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wall));
    QCOMPARE(wall.currentIndex(), 0);
    QCOMPARE(wall.dashboardFor("HighLatency"), 1);
    QCOMPARE(wall.dashboardFor("Nowhere"), -1);
    QVERIFY(wall.alertBanner()->isHidden());

    // A warning fires on no dashboard: banner amber, no jump.
    AlertInstance nowhere =
        makeInstance("Nowhere", AlertSeverity::Warning, AlertState::Firing, m_now - 20 * 60000, 3);
    wall.setAlerts({nowhere});
    QVERIFY(!wall.alertBanner()->isHidden());
    QCOMPARE(wall.alertBanner()->property("severity").toString(), QStringLiteral("warning"));
    QVERIFY(wall.alertBanner()->text().startsWith(QStringLiteral("1 alert firing")));
    QCOMPARE(wall.currentIndex(), 0);

    // A critical one starts firing: red, counted, the playlist jumps to it; the
    // oldest is named.
    AlertInstance latency = makeInstance("HighLatency", AlertSeverity::Critical, AlertState::Firing,
                                         m_now - 60000, 9.5);
    wall.setAlerts({nowhere, latency});
    QCOMPARE(wall.currentIndex(), 1);
    QCOMPARE(wall.alertBanner()->property("severity").toString(), QStringLiteral("critical"));
    const QString text = wall.alertBanner()->text();
    QVERIFY2(text.contains(QStringLiteral("2 alerts firing (1 critical)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("oldest: Nowhere")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("(20m)")), qPrintable(text));
    QVERIFY(
        wall.alertBanner()->styleSheet().contains(severityColor(AlertSeverity::Critical).name()));
    wall.showPanelData(syntheticData(second, m_now));
    QVERIFY(runQueuedWork());
    QVERIFY(saveSnapshot(&wall, QStringLiteral("wall-alert-banner.png")));

    // Still firing next time: no second jump (the rotation moves on as usual).
    wall.showDashboard(0);
    wall.setAlerts({nowhere, latency});
    QCOMPARE(wall.currentIndex(), 0);

    // Silenced, info and pending ones do not count; none left: the banner goes.
    AlertInstance silenced = latency;
    silenced.silenced = true;
    wall.setAlerts({silenced, makeInstance("I", AlertSeverity::Info, AlertState::Firing, m_now, 1),
                    makeInstance("P", AlertSeverity::Critical, AlertState::Pending, m_now, 1)});
    QVERIFY(wall.alertBanner()->isHidden());
    QCOMPARE(wall.currentIndex(), 0);
    // It fires again after clearing: a new start, so a new jump.
    wall.setAlerts({latency});
    QCOMPARE(wall.currentIndex(), 1);
}

void TstUiAlertOverlays::mainWindowWiring()
{
    MainWindow window;
    window.setDashboard(makeDashboard(QStringLiteral("a"), 1, 2));
    QVERIFY(window.alertsDock());
    QVERIFY(!window.thresholdWizardAction()->isEnabled()); // no controller yet
    window.setAlerts({makeInstance("M", AlertSeverity::Critical, AlertState::Firing, m_now, 60)});
    QCOMPARE(window.alertsDock()->alertModel()->rowCount(), 1);
    window.addAlertHistory(AlertHistoryEntry{});
    QCOMPARE(window.alertsDock()->historyModel()->rowCount(), 1);
    window.setAlertRules({makeRule("M", "metric_0_0", 50, AlertSeverity::Critical)});
    QCOMPARE(window.dashboard()->panel("r0p0")->alertRules().size(), size_t(1));

    TimeSeriesStore store;
    ThresholdWizardController controller({makeRule("M", "metric_0_0", 50)}, store);
    window.setThresholdWizardController(&controller);
    QVERIFY(window.thresholdWizardAction()->isEnabled());
    window.thresholdWizardAction()->trigger();
    auto* wizard = window.findChild<ThresholdWizard*>();
    QVERIFY(wizard);
    QVERIFY(wizard->isVisible());
    QCOMPARE(wizard->controller(), &controller);
    wizard->reject();
}

QTEST_MAIN(TstUiAlertOverlays)
#include "tst_ui_alertoverlays.moc"
