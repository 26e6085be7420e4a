#include "backend/dashboards/UnitFormat.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/GaugePanel.h"
#include "ui/dashboards/InspectDialog.h"
#include "ui/dashboards/PanelExport.h"
#include "ui/dashboards/PanelWidget.h"
#include "ui/dashboards/StatPanel.h"
#include "ui/dashboards/TablePanel.h"
#include "ui/dashboards/TimeSeriesPanel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <cmath>
#include <memory>

using namespace querydeck;

namespace {

constexpr qint64 T0 = 1795000000000;
const double NaN = std::numeric_limits<double>::quiet_NaN();

EvaluatedSeries series(const QString& legend, int points, double base, qint64 step = 1000)
{
    EvaluatedSeries s;
    s.legend = legend;
    for (int i = 0; i < points; ++i)
        s.points.push_back({T0 + i * step, base + (i % 7)});
    return s;
}

PanelData dataOf(std::vector<EvaluatedSeries> list)
{
    PanelData data;
    data.panelId = "p";
    data.from = T0;
    data.to = T0 + 60000;
    data.series = std::move(list);
    return data;
}

PanelDefinition definition(PanelType type, const QString& unit = "percent")
{
    PanelDefinition d;
    d.id = "p";
    d.title = "Panel";
    d.type = type;
    d.unit = unit;
    d.thresholds = {Threshold{-std::numeric_limits<double>::infinity(), "green"},
                    Threshold{70, "amber"}, Threshold{80, "red"}};
    return d;
}

} // namespace

class TestUiPanels : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { Theme::apply(*qApp, Theme::Mode::Dark); }

    void factoryCreatesEachType_data();
    void factoryCreatesEachType();
    void timeSeriesReplacesSeries();
    void timeSeriesSkipsNonFiniteAndShowsNoData();
    void timeSeriesCapsSeriesCount();
    void timeSeriesHoverNamesSeriesValueAndTime();
    void statShowsLastValueInThresholdColour_data();
    void statShowsLastValueInThresholdColour();
    void noDataOnEmpty_data();
    void noDataOnEmpty();
    void gaugeRange_data();
    void gaugeRange();
    void tableListsLatestValues();
    void menuActionsEmitSignals();
    void menuButtonIsKeyboardReachableAndHiddenOnWall();
    void longTitleIsElided();
    void errorIsShownInTitleBar();
    void exportPngHasPanelSizeTimesDpr();
    void exportPngReportsBadPaths();
    void inspectTableAndCsv();
    void inspectCsvNeutralisesHostileLegends();
    void inspectUnionOfTimestamps();
    void themeColoursFollowMode();
};

void TestUiPanels::factoryCreatesEachType_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("className");
    QTest::newRow("timeseries") << int(PanelType::TimeSeries) << "querydeck::TimeSeriesPanel";
    QTest::newRow("stat") << int(PanelType::Stat) << "querydeck::StatPanel";
    QTest::newRow("gauge") << int(PanelType::Gauge) << "querydeck::GaugePanel";
    QTest::newRow("table") << int(PanelType::Table) << "querydeck::TablePanel";
}

void TestUiPanels::factoryCreatesEachType()
{
    QFETCH(int, type);
    QFETCH(QString, className);
    std::unique_ptr<PanelWidget> panel(PanelWidget::create(definition(PanelType(type))));
    QVERIFY(panel);
    QCOMPARE(QString(panel->metaObject()->className()), className);
    QCOMPARE(panel->objectName(), QString("p"));
    panel->setData(dataOf({series("a", 10, 50)}));
    QCOMPARE(panel->data().series.size(), size_t(1));
}

void TestUiPanels::timeSeriesReplacesSeries()
{
    TimeSeriesPanel panel(definition(PanelType::TimeSeries));
    panel.resize(600, 300);
    panel.setData(dataOf({series("a", 60, 50), series("b", 60, 75), series("c", 30, 10)}));

    QCOMPARE(panel.dataSeries().size(), 3);
    QCOMPARE(panel.dataSeries()[0]->count(), 60);
    QCOMPARE(panel.dataSeries()[2]->count(), 30);
    QCOMPARE(panel.dataSeries()[1]->name(), QString("b"));
    QCOMPARE(panel.dataSeries()[1]->at(0), QPointF(double(T0), 75.0));
    // Two thresholds above the base: a dashed line and a band each, all in the chart.
    const auto thresholds = panel.thresholdSeries();
    QCOMPARE(thresholds.size(), 4);
    int lines = 0;
    int bands = 0;
    for (QAbstractSeries* s : thresholds) {
        QVERIFY(panel.chart()->series().contains(s));
        if (auto* line = qobject_cast<QLineSeries*>(s)) {
            ++lines;
            QCOMPARE(line->pen().style(), Qt::DashLine);
        } else if (qobject_cast<QAreaSeries*>(s)) {
            ++bands;
        }
    }
    QCOMPARE(lines, 2);
    QCOMPARE(bands, 2);
    QCOMPARE(panel.chart()->series().size(), 3 + 4);
    QVERIFY(panel.chart()->legend()->isVisible());
    QVERIFY(!panel.showsNoData());

    // A second update replaces: fewer series, new point counts, one legend entry hidden.
    panel.setData(dataOf({series("only", 5, 20)}));
    QCOMPARE(panel.dataSeries().size(), 1);
    QCOMPARE(panel.dataSeries()[0]->count(), 5);
    QCOMPARE(panel.chart()->series().size(), 1 + 4);
    QVERIFY(!panel.chart()->legend()->isVisible());
}

void TestUiPanels::timeSeriesSkipsNonFiniteAndShowsNoData()
{
    TimeSeriesPanel panel(definition(PanelType::TimeSeries, "ms"));
    QVERIFY(panel.showsNoData());

    EvaluatedSeries s = series("a", 10, 1);
    s.points[3].v = NaN;
    s.points[4].v = std::numeric_limits<double>::infinity();
    panel.setData(dataOf({s}));
    QCOMPARE(panel.dataSeries()[0]->count(), 8);
    QVERIFY(!panel.showsNoData());

    panel.setData(dataOf({EvaluatedSeries{"empty", {}}}));
    QVERIFY(panel.showsNoData());
    panel.setData(PanelData{});
    QVERIFY(panel.showsNoData());
    QCOMPARE(panel.dataSeries().size(), 0);
}

void TestUiPanels::timeSeriesCapsSeriesCount()
{
    TimeSeriesPanel panel(definition(PanelType::TimeSeries, "short"));
    std::vector<EvaluatedSeries> many;
    for (int i = 0; i < 12; ++i)
        many.push_back(series(QString("s%1").arg(i), 20, i * 10));
    panel.setData(dataOf(many));
    QCOMPARE(panel.dataSeries().size(), TimeSeriesPanel::MaxSeries);
    // The largest series are the ones kept.
    QStringList names;
    for (QLineSeries* s : panel.dataSeries())
        names << s->name();
    QVERIFY2(names.contains("s11") && !names.contains("s0"), qPrintable(names.join(',')));
    auto* notice = panel.findChild<QLabel*>("panelNotice");
    QVERIFY(notice);
    QVERIFY(!notice->isHidden());
    QCOMPARE(notice->text(), QString("+4 hidden"));
    QVERIFY(notice->toolTip().contains("s0"));

    panel.setData(dataOf({series("a", 3, 1)}));
    QVERIFY(notice->isHidden());
}

void TestUiPanels::timeSeriesHoverNamesSeriesValueAndTime()
{
    TimeSeriesPanel panel(definition(PanelType::TimeSeries, "percent"));
    EvaluatedSeries s;
    s.legend = "cpu <core>";
    s.points = {{T0, 10.0}, {T0 + 1000, 42.5}, {T0 + 2000, 90.0}};
    panel.setData(dataOf({s}));
    const QString text = panel.hoverText(T0 + 1200); // nearest point is the middle one
    QVERIFY2(text.contains("42.5%"), qPrintable(text));
    QVERIFY2(text.contains("cpu &lt;core&gt;"), qPrintable(text)); // escaped, not markup
    QVERIFY2(text.contains(QDateTime::fromMSecsSinceEpoch(T0 + 1200).toString("HH:mm:ss")),
             qPrintable(text));
    QVERIFY(panel.hoverText(T0 + 100000).contains("90%"));
}

void TestUiPanels::statShowsLastValueInThresholdColour_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<double>("expected");
    QTest::addColumn<QString>("colour");
    QTest::newRow("green") << QList<double>{90, 50} << "percent" << 50.0 << "green";
    QTest::newRow("amber at the step") << QList<double>{1, 70} << "percent" << 70.0 << "amber";
    QTest::newRow("red") << QList<double>{1, 95.5} << "percent" << 95.5 << "red";
    QTest::newRow("trailing NaN uses last finite")
        << QList<double>{75, NaN} << "percent" << 75.0 << "amber";
    QTest::newRow("bytes") << QList<double>{0, 3.5 * 1024 * 1024} << "bytes" << 3.5 * 1024 * 1024
                           << "red";
}

void TestUiPanels::statShowsLastValueInThresholdColour()
{
    QFETCH(QList<double>, values);
    QFETCH(QString, unit);
    QFETCH(double, expected);
    QFETCH(QString, colour);
    PanelDefinition def = definition(PanelType::Stat, unit);
    EvaluatedSeries s;
    for (int i = 0; i < values.size(); ++i)
        s.points.push_back({T0 + i * 1000, values[i]});

    for (PanelType type : {PanelType::Stat, PanelType::Gauge}) {
        def.type = type;
        std::unique_ptr<PanelWidget> panel(PanelWidget::create(def));
        panel->resize(300, 200);
        panel->setData(dataOf({s, series("ignored second series", 3, 5)}));
        QString text;
        QColor shown;
        if (auto* stat = qobject_cast<StatPanel*>(panel.get())) {
            text = stat->valueText();
            shown = stat->valueColor();
        } else {
            auto* gauge = qobject_cast<GaugePanel*>(panel.get());
            QVERIFY(gauge);
            text = gauge->valueText();
            shown = gauge->valueColor();
        }
        QCOMPARE(text, UnitFormat::format(expected, unit));
        QCOMPARE(shown, Theme::color(colour));
        QVERIFY(!panel->grab().isNull()); // paints without tripping over the data
    }
}

void TestUiPanels::noDataOnEmpty_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("withEmptySeries");
    QTest::newRow("stat, no series") << int(PanelType::Stat) << false;
    QTest::newRow("stat, empty series") << int(PanelType::Stat) << true;
    QTest::newRow("gauge, no series") << int(PanelType::Gauge) << false;
    QTest::newRow("gauge, empty series") << int(PanelType::Gauge) << true;
}

void TestUiPanels::noDataOnEmpty()
{
    QFETCH(int, type);
    QFETCH(bool, withEmptySeries);
    std::unique_ptr<PanelWidget> panel(PanelWidget::create(definition(PanelType(type))));
    panel->resize(300, 200);
    panel->setData(dataOf({series("a", 5, 50)}));
    panel->setData(withEmptySeries ? dataOf({EvaluatedSeries{"a", {}}}) : PanelData{});
    if (auto* stat = qobject_cast<StatPanel*>(panel.get())) {
        QCOMPARE(stat->valueText(), QString("No data"));
        QCOMPARE(stat->valueColor(), Theme::color(Theme::Role::MutedText));
    } else {
        auto* gauge = qobject_cast<GaugePanel*>(panel.get());
        QCOMPARE(gauge->valueText(), QString("No data"));
        QCOMPARE(gauge->fraction(), 0.0);
    }
    QVERIFY(!panel->grab().isNull());
}

void TestUiPanels::gaugeRange_data()
{
    QTest::addColumn<QString>("unit");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("expectedMin");
    QTest::addColumn<double>("expectedMax");
    QTest::addColumn<double>("fraction");
    QTest::newRow("percent default") << "percent" << NaN << NaN << 63.0 << 0.0 << 100.0 << 0.63;
    QTest::newRow("percentunit default")
        << "percentunit" << NaN << NaN << 0.25 << 0.0 << 1.0 << 0.25;
    QTest::newRow("from definition") << "ms" << 100.0 << 300.0 << 150.0 << 100.0 << 300.0 << 0.25;
    QTest::newRow("over max clamps") << "percent" << NaN << NaN << 130.0 << 0.0 << 100.0 << 1.0;
    QTest::newRow("under min clamps") << "percent" << NaN << NaN << -5.0 << 0.0 << 100.0 << 0.0;
}

void TestUiPanels::gaugeRange()
{
    QFETCH(QString, unit);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(double, value);
    QFETCH(double, expectedMin);
    QFETCH(double, expectedMax);
    QFETCH(double, fraction);
    PanelDefinition def = definition(PanelType::Gauge, unit);
    def.min = min;
    def.max = max;
    GaugePanel gauge(def);
    gauge.setData(dataOf({EvaluatedSeries{"v", {{T0, value}}}}));
    QCOMPARE(gauge.minimum(), expectedMin);
    QCOMPARE(gauge.maximum(), expectedMax);
    QVERIFY2(std::abs(gauge.fraction() - fraction) < 1e-9,
             qPrintable(QString::number(gauge.fraction())));
}

void TestUiPanels::tableListsLatestValues()
{
    TablePanel table(definition(PanelType::Table, "percent"));
    QAbstractItemModelTester tester(table.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    table.setData(dataOf({EvaluatedSeries{"low", {{T0, 99}, {T0 + 1, 12}}},
                          EvaluatedSeries{"high", {{T0, 85}}}, EvaluatedSeries{"none", {}}}));
    QStandardItemModel* model = table.model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->columnCount(), 2);
    QCOMPARE(model->item(0, 0)->text(), QString("low"));
    QCOMPARE(model->item(0, 1)->text(), QString("12%"));
    QCOMPARE(model->item(0, 1)->foreground().color(), Theme::color("green"));
    QCOMPARE(model->item(1, 1)->text(), QString("85%"));
    QCOMPARE(model->item(1, 1)->foreground().color(), Theme::color("red"));
    QCOMPARE(model->item(2, 1)->text(), QString("No data"));

    table.setData(dataOf({EvaluatedSeries{"high", {{T0, 75}}}}));
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->item(0, 0)->text(), QString("high"));
    QCOMPARE(model->item(0, 1)->foreground().color(), Theme::color("amber"));
}

void TestUiPanels::menuActionsEmitSignals()
{
    std::unique_ptr<PanelWidget> panel(PanelWidget::create(definition(PanelType::Stat)));
    QSignalSpy maximize(panel.get(), &PanelWidget::maximizeRequested);
    QSignalSpy inspect(panel.get(), &PanelWidget::inspectRequested);
    QSignalSpy exportPng(panel.get(), &PanelWidget::exportRequested);
    QToolButton* button = panel->menuButton();
    QVERIFY(button && button->menu());
    QCOMPARE(button->menu()->actions().size(), 3);

    panel->findChild<QAction*>("maximizeAction")->trigger();
    panel->findChild<QAction*>("inspectAction")->trigger();
    panel->findChild<QAction*>("exportAction")->trigger();
    QCOMPARE(maximize.size(), 1);
    QCOMPARE(maximize.at(0).at(0).toString(), QString("p"));
    QCOMPARE(inspect.size(), 1);
    QCOMPARE(exportPng.size(), 1);
    QCOMPARE(exportPng.at(0).at(0).toString(), QString("p"));
}

void TestUiPanels::menuButtonIsKeyboardReachableAndHiddenOnWall()
{
    std::unique_ptr<PanelWidget> panel(PanelWidget::create(definition(PanelType::TimeSeries)));
    QToolButton* button = panel->menuButton();
    QVERIFY(button->focusPolicy() & Qt::TabFocus);
    QVERIFY(!button->accessibleName().isEmpty());
    panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    button->setFocus(Qt::ActiveWindowFocusReason);
    QTRY_VERIFY(button->hasFocus());
    QVERIFY(!button->property("keyboardFocus").toBool()); // no ring unless reached by keyboard
    button->clearFocus();
    button->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(button->property("keyboardFocus").toBool());

    panel->setWallMode(true);
    QVERIFY(panel->wallMode());
    QVERIFY(button->isHidden());
    panel->setWallMode(false);
    QVERIFY(!button->isHidden());
}

void TestUiPanels::longTitleIsElided()
{
    PanelDefinition def = definition(PanelType::Stat);
    def.title = QString("A very long panel title that cannot possibly fit ").repeated(4);
    StatPanel panel(def);
    panel.resize(200, 150);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* title = panel.findChild<QLabel*>("panelTitle");
    QTRY_VERIFY(title->text().endsWith(QChar(0x2026)));
    QVERIFY(title->fontMetrics().horizontalAdvance(title->text()) <= title->width());
}

void TestUiPanels::errorIsShownInTitleBar()
{
    StatPanel panel(definition(PanelType::Stat));
    auto* error = panel.findChild<QLabel*>("panelError");
    QVERIFY(error->isHidden());
    PanelData data = dataOf({});
    data.error = "rate(): unknown series foo";
    panel.setData(data);
    QVERIFY(!error->isHidden());
    QCOMPARE(error->toolTip(), data.error);
    panel.setData(dataOf({}));
    QVERIFY(error->isHidden());
}

void TestUiPanels::exportPngHasPanelSizeTimesDpr()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::unique_ptr<PanelWidget> panel(PanelWidget::create(definition(PanelType::TimeSeries)));
    panel->resize(420, 260);
    panel->setData(dataOf({series("a", 30, 60)}));
    panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    const QString path = dir.filePath("panel.png");
    QCOMPARE(PanelExport::toPng(panel.get(), path), QString());
    QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(420, 260) * panel->devicePixelRatio());
    // Not blank: the panel background and something drawn on it.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 5)
        for (int x = 0; x < image.width(); x += 5)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 5, qPrintable(QString::number(colours.size())));
}

void TestUiPanels::exportPngReportsBadPaths()
{
    std::unique_ptr<PanelWidget> panel(PanelWidget::create(definition(PanelType::Gauge)));
    panel->resize(200, 200);
    QVERIFY(PanelExport::toPng(panel.get(), QString()).contains("no file name"));
    const QString missing = "/nonexistent-querydeck-dir/x/panel.png";
    QVERIFY(PanelExport::toPng(panel.get(), missing).contains("/nonexistent-querydeck-dir/x"));
    QVERIFY(!PanelExport::toPng(nullptr, "/tmp/x.png").isEmpty());
}

void TestUiPanels::inspectTableAndCsv()
{
    PanelData data = dataOf({series("a", 10, 1), series("b", 10, 2)});
    InspectDialog dialog("Panel", data);
    QAbstractItemModelTester tester(dialog.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(dialog.model()->rowCount(), 10);
    QCOMPARE(dialog.model()->columnCount(), 3);
    QCOMPARE(dialog.model()->headerData(2, Qt::Horizontal).toString(), QString("b"));
    QCOMPARE(dialog.model()->item(3, 1)->text(), QString("4"));

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(dialog.copyButton(), Qt::LeftButton);
    const QString csv = QGuiApplication::clipboard()->text();
    QCOMPARE(csv, dialog.csv());
    const QStringList lines = csv.split("\r\n", Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 11);
    QCOMPARE(lines[0], QString("time,a,b"));
    QCOMPARE(lines[1],
             QDateTime::fromMSecsSinceEpoch(T0, Qt::UTC).toString(Qt::ISODateWithMs) + ",1,2");

    InspectDialog empty("Empty", PanelData{});
    QCOMPARE(empty.model()->rowCount(), 0);
    QVERIFY(!empty.copyButton()->isEnabled());
    QCOMPARE(empty.csv(), QString("time\r\n"));
}

void TestUiPanels::inspectCsvNeutralisesHostileLegends()
{
    PanelData data = dataOf({EvaluatedSeries{"=HYPERLINK(\"http://x\",\"y\")", {{T0, 1.5}}},
                             EvaluatedSeries{"route=\"/a,b\"", {{T0, NaN}}}});
    const QStringList lines = InspectDialog::toCsv(data).split("\r\n", Qt::SkipEmptyParts);
    QCOMPARE(lines[0],
             QString("time,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"route=\"\"/a,b\"\"\""));
    QVERIFY2(lines[1].endsWith(",1.5,"), qPrintable(lines[1])); // NaN is an empty cell
}

void TestUiPanels::inspectUnionOfTimestamps()
{
    PanelData data = dataOf(
        {EvaluatedSeries{"a", {{T0, 1}, {T0 + 1000, 2}}}, EvaluatedSeries{"b", {{T0 + 500, 3}}}});
    InspectDialog dialog("Panel", data);
    QCOMPARE(dialog.model()->rowCount(), 3);
    QCOMPARE(dialog.model()->item(1, 1)->text(), QString("NaN"));
    QCOMPARE(dialog.model()->item(1, 2)->text(), QString("3"));
}

void TestUiPanels::themeColoursFollowMode()
{
    QCOMPARE(Theme::current(), Theme::Mode::Dark);
    QCOMPARE(Theme::color(Theme::Role::Background), QColor("#111217"));
    QCOMPARE(Theme::color("green"), QColor("#73bf69"));
    QCOMPARE(Theme::color("amber"), QColor("#f2cc0c"));
    QCOMPARE(Theme::color("red"), QColor("#f2495c"));
    QCOMPARE(Theme::color("blue"), QColor("#5794f2"));
    QCOMPARE(Theme::color("#123456"), QColor("#123456"));
    QCOMPARE(Theme::color("not a colour"), Theme::color("grey"));
    QVERIFY(Theme::seriesColor(0) != Theme::seriesColor(1));
    QCOMPARE(Theme::seriesColor(8), Theme::seriesColor(0));

    TimeSeriesPanel panel(definition(PanelType::TimeSeries));
    panel.setData(dataOf({series("a", 5, 1)}));
    Theme::apply(*qApp, Theme::Mode::Light);
    QCOMPARE(Theme::current(), Theme::Mode::Light);
    QCOMPARE(qApp->palette().color(QPalette::Window), Theme::color(Theme::Role::Background));
    QVERIFY(Theme::color("green") != QColor("#73bf69"));
    QCOMPARE(panel.chartView()->backgroundBrush().color(), QColor(Qt::white));
    QCOMPARE(panel.dataSeries()[0]->pen().color(), Theme::seriesColor(0));
    Theme::apply(*qApp, Theme::Mode::Dark);
    QCOMPARE(panel.chartView()->backgroundBrush().color(), QColor("#181b1f"));
}

QTEST_MAIN(TestUiPanels)
#include "tst_ui_panels.moc"
