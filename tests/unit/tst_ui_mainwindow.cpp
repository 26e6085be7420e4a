// The console's main window offscreen: toolbar signals, rows, maximise, Ask
// dock over real HTTP, status bar chips, logs filter, panel export.

#include "UiTestSupport.h"
#include "backend/dashboards/DashboardLoader.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/CustomRangeDialog.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/dashboards/InspectDialog.h"
#include "ui/dashboards/PanelWidget.h"
#include "ui/dashboards/TimeRangeBar.h"
#include "ui/shell/AskDock.h"
#include "ui/shell/LogsDock.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/StatusBarWidget.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace querydeck;
using querydeck::testing::makeDashboard;
using querydeck::testing::syntheticData;

class TstUiMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void opensWithDashboard();
    void timeRangeEmitsRange_data();
    void timeRangeEmitsRange();
    void customRange();
    void customRangeDialogRefusesBackwards();
    void refreshComboEmits();
    void pauseStopsRefresh();
    void ctrlRRefreshesNow();
    void trafficControlsEmit();
    void tabOrderFollowsReading();
    void collapseRowPersists();
    void collapseStateIsPerDashboard();
    void panelDataRoutedById();
    void gridHonoursSpan();
    void maximiseThenEscape();
    void exportWritesPng();
    void inspectShowsRawValues();
    void snapshot();

private:
    std::unique_ptr<MainWindow> makeWindow();
};

void TstUiMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("QueryDeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_ui_mainwindow"));
}

void TstUiMainWindow::init()
{
    QSettings().clear();
}

std::unique_ptr<MainWindow> TstUiMainWindow::makeWindow()
{
    auto w = std::make_unique<MainWindow>();
    w->resize(1600, 1000);
    w->setDashboard(makeDashboard(QStringLiteral("synthetic"), 4, 3));
    w->show();
    w->activateWindow();
    if (!QTest::qWaitForWindowExposed(w.get()))
        return nullptr;
    return w;
}

void TstUiMainWindow::opensWithDashboard()
{
    MainWindow w;
    QSignalSpy panels(&w, &MainWindow::panelsChanged);
    w.setDashboard(makeDashboard(QStringLiteral("synthetic"), 4, 3));
    QCOMPARE(panels.count(), 1);
    const auto queries = panels.at(0).at(0).value<QList<PanelQuery>>();
    QCOMPARE(queries.size(), 12);
    QCOMPARE(queries.at(4).panelId, QStringLiteral("r1p1"));
    QCOMPARE(queries.at(4).targets.front().expr, QStringLiteral("metric_1_1"));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* view = qobject_cast<DashboardView*>(w.dashboardView());
    QVERIFY(view);
    QCOMPARE(view->panels().size(), 12);
    QCOMPARE(view->rowCount(), 4);
    // Shown and laid out: the panels again, with their drawn widths.
    QTRY_COMPARE(panels.count(), 2);
    const auto shown = panels.at(1).at(0).value<QList<PanelQuery>>();
    QCOMPARE(shown.size(), 12);
    QCOMPARE(shown.at(4).widthPixels, view->panel(QStringLiteral("r1p1"))->width());
    QVERIFY(shown.at(4).widthPixels > 0);
    QVERIFY(w.askDock()->isVisible());
    QVERIFY(w.logsDock()->isVisible());
    QVERIFY(w.windowTitle().contains(QStringLiteral("Synthetic")));
}

void TstUiMainWindow::timeRangeEmitsRange_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("rangeMs");
    QTest::newRow("5m") << 0 << qint64(5 * 60 * 1000);
    QTest::newRow("15m") << 1 << qint64(15 * 60 * 1000);
    QTest::newRow("1h") << 2 << qint64(60 * 60 * 1000);
    QTest::newRow("6h") << 3 << qint64(6 * 3600 * 1000);
    QTest::newRow("24h") << 4 << qint64(24 * 3600 * 1000);
}

void TstUiMainWindow::timeRangeEmitsRange()
{
    QFETCH(int, index);
    QFETCH(qint64, rangeMs);
    MainWindow w;
    QSignalSpy spy(&w, &MainWindow::rangeChanged);
    QComboBox* combo = w.timeRangeBar()->rangeCombo();
    combo->setCurrentIndex(index);
    emit combo->activated(index);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toLongLong(), rangeMs);
    QCOMPARE(spy.at(0).at(1).toLongLong(), qint64(0)); // following "now"
}

void TstUiMainWindow::customRange()
{
    MainWindow w;
    QSignalSpy spy(&w, &MainWindow::rangeChanged);
    const qint64 to = QDateTime(QDate(2026, 3, 1), QTime(12, 0)).toMSecsSinceEpoch();
    w.timeRangeBar()->setCustomRange(to - 7'200'000, to);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toLongLong(), qint64(7'200'000));
    QCOMPARE(spy.at(0).at(1).toLongLong(), to);
    QComboBox* combo = w.timeRangeBar()->rangeCombo();
    QCOMPARE(combo->currentIndex(), combo->count() - 1);
    QVERIFY2(combo->currentText().contains(QStringLiteral("10:00")),
             qPrintable(combo->currentText()));
    w.timeRangeBar()->setCustomRange(to, to - 1); // backwards: ignored
    QCOMPARE(spy.count(), 1);
    // Back to a preset: relative again.
    emit combo->activated(0);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(1).toLongLong(), qint64(0));
    QCOMPARE(combo->itemText(combo->count() - 1), QStringLiteral("Custom…"));
}

void TstUiMainWindow::customRangeDialogRefusesBackwards()
{
    const QDateTime now = QDateTime::currentDateTime();
    CustomRangeDialog dialog(now.addSecs(-3600), now);
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    dialog.fromEdit()->setDateTime(now.addSecs(60));
    QVERIFY(!ok->isEnabled());
    dialog.fromEdit()->setDateTime(now.addSecs(-60));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.from().secsTo(dialog.to()), 60);
}

void TstUiMainWindow::refreshComboEmits()
{
    MainWindow w;
    QSignalSpy spy(&w, &MainWindow::refreshIntervalChanged);
    QComboBox* combo = w.timeRangeBar()->refreshCombo();
    const QList<int> expected{0, 1000, 5000, 10000, 30000};
    for (int i : {1, 4, 0, 3}) {
        combo->setCurrentIndex(i);
        QCOMPARE(spy.last().at(0).toInt(), expected.at(i));
    }
    QCOMPARE(spy.count(), 4);
}

void TstUiMainWindow::pauseStopsRefresh()
{
    auto w = makeWindow();
    QVERIFY(w);
    QSignalSpy paused(w.get(), &MainWindow::paused);
    QSignalSpy refresh(w.get(), &MainWindow::refreshIntervalChanged);
    QToolButton* pause = w->timeRangeBar()->pauseButton();
    pause->click();
    QCOMPARE(paused.count(), 1);
    QCOMPARE(paused.at(0).at(0).toBool(), true);
    QCOMPARE(refresh.last().at(0).toInt(), 0);
    QVERIFY(w->timeRangeBar()->isPaused());
    QVERIFY(pause->isChecked());
    // Changing the interval while paused keeps it paused.
    const int before = refresh.count();
    w->timeRangeBar()->refreshCombo()->setCurrentIndex(1);
    QCOMPARE(refresh.count(), before);
    // Space resumes, at the newly chosen interval.
    w->dashboardView()->setFocus();
    QTest::keyClick(w->dashboardView(), Qt::Key_Space);
    QCOMPARE(paused.count(), 2);
    QCOMPARE(paused.at(1).at(0).toBool(), false);
    QCOMPARE(refresh.last().at(0).toInt(), 1000);
    QVERIFY(!pause->isChecked());
    // Space on a focused row header collapses the row; it does not pause.
    QToolButton* header = w->dashboard()->rowHeader(2);
    header->setFocus();
    QTest::keyClick(header, Qt::Key_Space);
    QVERIFY(w->dashboard()->isRowCollapsed(2));
    QCOMPARE(paused.count(), 2);
    // Space typed into the Ask field is text.
    QTest::keyClicks(w->askDock()->questionEdit(), QStringLiteral("a b"));
    QCOMPARE(w->askDock()->questionEdit()->text(), QStringLiteral("a b"));
    QCOMPARE(paused.count(), 2);
}

void TstUiMainWindow::ctrlRRefreshesNow()
{
    auto w = makeWindow();
    QVERIFY(w);
    QSignalSpy spy(w.get(), &MainWindow::refreshNowRequested);
    QTest::keyClick(w->dashboardView(), Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(spy.count(), 1);
    w->timeRangeBar()->refreshNowButton()->click();
    QCOMPARE(spy.count(), 2);
}

void TstUiMainWindow::trafficControlsEmit()
{
    MainWindow w;
    QSignalSpy toggled(&w, &MainWindow::trafficToggled);
    QSignalSpy rate(&w, &MainWindow::trafficRateChanged);
    w.trafficAction()->trigger();
    QCOMPARE(toggled.count(), 1);
    QCOMPARE(toggled.at(0).at(0).toBool(), true);
    QCOMPARE(w.trafficAction()->text(), QStringLiteral("Traffic: on"));
    w.setTrafficRunning(false);
    QCOMPARE(toggled.count(), 2);
    QCOMPARE(w.trafficAction()->text(), QStringLiteral("Traffic: off"));
    w.trafficRate()->setValue(12.5);
    QCOMPARE(rate.count(), 1);
    QCOMPARE(rate.at(0).at(0).toDouble(), 12.5);
    // The configured rate is shown, not echoed back to the generator.
    w.setTrafficRate(100);
    QCOMPARE(w.trafficRate()->value(), 100.0);
    QCOMPARE(rate.count(), 1);
    w.showTrafficStats(10, 9, 1);
    auto* stats = w.findChild<QLabel*>(QStringLiteral("trafficStats"));
    QVERIFY(stats->text().contains(QStringLiteral("failed 1")));
    QSignalSpy theme(&w, &MainWindow::themeChanged);
    w.themeAction()->trigger();
    QCOMPARE(theme.count(), 1);
    QCOMPARE(theme.at(0).at(0).toBool(), false);
    QVERIFY(!w.darkTheme());
    QCOMPARE(Theme::current(), Theme::Mode::Light);
    w.setDarkTheme(true);
    QCOMPARE(Theme::current(), Theme::Mode::Dark);
    QVERIFY(w.themeAction()->isChecked());
}

void TstUiMainWindow::tabOrderFollowsReading()
{
    auto w = makeWindow();
    QVERIFY(w);
    QVERIFY(QTest::qWaitForWindowActive(w.get()));
    QList<QWidget*> wanted{w->timeRangeBar()->rangeCombo(),  w->timeRangeBar()->refreshCombo(),
                           w->timeRangeBar()->pauseButton(), w->trafficRate(),
                           w->dashboard()->rowHeader(0),     w->dashboard()->rowHeader(1),
                           w->dashboard()->rowHeader(3),     w->askDock()->questionEdit(),
                           w->askDock()->askButton(),        w->logsDock()->levelCombo(),
                           w->logsDock()->filterEdit()};
    w->timeRangeBar()->rangeCombo()->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), w->timeRangeBar()->rangeCombo());
    QList<QWidget*> seen;
    for (int i = 0; i < 200 && seen.size() < 200; ++i) {
        QWidget* f = QApplication::focusWidget();
        seen.append(
            f && f->parentWidget() && f->parentWidget()->focusProxy() == f ? f->parentWidget() : f);
        QTest::keyClick(f, Qt::Key_Tab);
        if (QApplication::focusWidget() == wanted.first())
            break;
    }
    int last = -1;
    for (QWidget* target : wanted) {
        const int at = seen.indexOf(target);
        QVERIFY2(at >= 0,
                 qPrintable(QStringLiteral("Tab never reaches %1 (%2)")
                                .arg(target->objectName(),
                                     QString::fromLatin1(target->metaObject()->className()))));
        QVERIFY2(at > last,
                 qPrintable(QStringLiteral("%1 out of order").arg(target->objectName())));
        last = at;
    }
}

void TstUiMainWindow::collapseRowPersists()
{
    const DashboardDefinition d = makeDashboard(QStringLiteral("persist"), 4, 3);
    {
        DashboardView view;
        view.resize(1200, 900);
        view.setDashboard(d);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.panel(QStringLiteral("r1p0"))->isVisible());
        QSignalSpy spy(&view, &DashboardView::rowCollapsedChanged);
        QTest::mouseClick(view.rowHeader(1), Qt::LeftButton);
        QCOMPARE(spy.count(), 1);
        QVERIFY(view.isRowCollapsed(1));
        for (int p = 0; p < 3; ++p) {
            QVERIFY(!view.panel(QStringLiteral("r1p%1").arg(p))->isVisible());
            QVERIFY(view.panel(QStringLiteral("r0p%1").arg(p))->isVisible());
            QVERIFY(view.panel(QStringLiteral("r2p%1").arg(p))->isVisible());
        }
        QVERIFY(view.rowHeader(1)->text().startsWith(QStringLiteral("▸")));
        QVERIFY(view.rowHeader(0)->text().startsWith(QStringLiteral("▾")));
        // Keyboard: Space on a focused header toggles it.
        view.rowHeader(3)->setFocus();
        QTest::keyClick(view.rowHeader(3), Qt::Key_Space);
        QVERIFY(view.isRowCollapsed(3));
        QTest::keyClick(view.rowHeader(3), Qt::Key_Space);
        QVERIFY(!view.isRowCollapsed(3));
    }
    DashboardView again;
    again.setDashboard(d);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QVERIFY(again.isRowCollapsed(1));
    QVERIFY(!again.isRowCollapsed(0));
    QVERIFY(!again.isRowCollapsed(3));
    QVERIFY(!again.panel(QStringLiteral("r1p2"))->isVisible());
    again.setRowCollapsed(1, false);
    DashboardView third;
    third.setDashboard(d);
    QVERIFY(!third.isRowCollapsed(1));
    // A notice line above the rows, hidden when cleared.
    third.show();
    QVERIFY(QTest::qWaitForWindowExposed(&third));
    third.showNotice(QStringLiteral("dashboard.json: rows[2].panels[0].type: unknown \"pie\""));
    QVERIFY(third.noticeLabel()->isVisible());
    QVERIFY(third.noticeLabel()->text().contains(QStringLiteral("rows[2]")));
    third.showNotice({});
    QVERIFY(!third.noticeLabel()->isVisible());
}

void TstUiMainWindow::collapseStateIsPerDashboard()
{
    DashboardDefinition a = makeDashboard(QStringLiteral("a/b"), 2, 2);
    DashboardDefinition b = makeDashboard(QStringLiteral("other"), 2, 2);
    a.rows[0].collapsed = true; // the file's default applies until the user chooses
    DashboardView view;
    view.setDashboard(a);
    QVERIFY(view.isRowCollapsed(0));
    view.setRowCollapsed(1, true);
    view.setDashboard(b);
    QVERIFY(!view.isRowCollapsed(0));
    QVERIFY(!view.isRowCollapsed(1));
    view.setDashboard(a);
    QVERIFY(view.isRowCollapsed(1));
    QVERIFY(!DashboardView::settingsKey(QStringLiteral("a/b"), QStringLiteral("x/y"))
                 .contains(QStringLiteral("a/b")));
}

void TstUiMainWindow::panelDataRoutedById()
{
    DashboardView view;
    const DashboardDefinition d = makeDashboard(QStringLiteral("route"), 2, 3);
    view.setDashboard(d);
    QList<PanelData> data = syntheticData(d, 1'700'000'000'000, 30);
    data.removeAt(2);
    PanelData stranger;
    stranger.panelId = QStringLiteral("nope");
    data.append(stranger);
    view.showPanelData(data);
    QCOMPARE(view.panel(QStringLiteral("r0p0"))->data().series.size(), size_t(2));
    QCOMPARE(view.panel(QStringLiteral("r1p2"))->data().panelId, QStringLiteral("r1p2"));
    QVERIFY(view.panel(QStringLiteral("r0p2"))->data().series.empty());
    QCOMPARE(view.panel(QStringLiteral("nope")), nullptr);
}

void TstUiMainWindow::gridHonoursSpan()
{
    DashboardDefinition d = makeDashboard(QStringLiteral("span"), 3, 3);
    d.rows[1].panels[0].span = 2; // 2 + 1 + 1: one full line
    d.rows[2].panels[1].span = 4; // 1 | 4 | 1: three lines
    DashboardView view;
    view.resize(1300, 900);
    view.setDashboard(d);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto geo = [&](const char* id) {
        PanelWidget* p = view.panel(QString::fromLatin1(id));
        return QRect(p->mapTo(&view, QPoint(0, 0)), p->size());
    };
    // Three span-1 panels fill the width in thirds.
    QVERIFY(qAbs(geo("r0p0").width() - geo("r0p2").width()) <= 2);
    QVERIFY(geo("r0p2").right() > view.width() - 40);
    QCOMPARE(geo("r0p0").y(), geo("r0p2").y());
    // Span 2 is twice as wide as span 1.
    QVERIFY(qAbs(geo("r1p0").width() - 2 * geo("r1p1").width()) <= 12);
    QCOMPARE(geo("r1p0").y(), geo("r1p2").y());
    // A span-4 panel takes a line of its own, full width.
    QVERIFY(geo("r2p1").y() > geo("r2p0").y());
    QVERIFY(geo("r2p2").y() > geo("r2p1").y());
    QVERIFY(geo("r2p1").width() > 3 * geo("r0p0").width() - 20);
    QCOMPARE(geo("r2p0").width(), geo("r2p1").width());
}

void TstUiMainWindow::maximiseThenEscape()
{
    auto w = makeWindow();
    QVERIFY(w);
    auto* view = w->dashboard();
    const DashboardDefinition d = view->dashboard();
    w->showPanelData(syntheticData(d, 1'700'000'000'000, 30));
    PanelWidget* panel = view->panel(QStringLiteral("r2p1"));
    const int normalWidth = panel->width();
    QSignalSpy changed(view, &DashboardView::maximizedChanged);
    emit panel->maximizeRequested(panel->definition().id);
    QCOMPARE(changed.count(), 1);
    QPointer<PanelWidget> big = view->maximizedPanel();
    QVERIFY(big);
    QTRY_VERIFY(big->isVisible());
    QVERIFY(!view->scrollArea()->isVisible());
    QVERIFY2(big->width() > 2 * normalWidth,
             qPrintable(QStringLiteral("%1 vs %2").arg(big->width()).arg(normalWidth)));
    QCOMPARE(big->data().series.size(), size_t(2));
    // New data reaches the maximised copy too.
    PanelData one;
    one.panelId = QStringLiteral("r2p1");
    view->showPanelData({one});
    QVERIFY(big->data().series.empty());
    QTest::keyClick(big, Qt::Key_Escape);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.last().at(0).toString(), QString());
    QCOMPARE(view->maximizedPanel(), nullptr);
    QVERIFY(view->scrollArea()->isVisible());
    QTRY_VERIFY(!big);
    // Back button too.
    emit panel->maximizeRequested(panel->definition().id);
    QVERIFY(view->maximizedPanel());
    view->findChild<QPushButton*>(QStringLiteral("backButton"))->click();
    QCOMPARE(view->maximizedPanel(), nullptr);
    // Escape in the normal view does nothing.
    QTest::keyClick(view, Qt::Key_Escape);
    QCOMPARE(changed.count(), 4);
}

void TstUiMainWindow::exportWritesPng()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    DashboardView view;
    view.resize(1200, 900);
    view.setDashboard(makeDashboard(QStringLiteral("export"), 1, 2));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QString suggested;
    view.setExportPathProvider([&](const QString& name) {
        suggested = name;
        return dir.filePath(name);
    });
    QSignalSpy spy(&view, &DashboardView::exported);
    PanelWidget* panel = view.panel(QStringLiteral("r0p1"));
    emit panel->exportRequested(QStringLiteral("r0p1"));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(1).toString(), QString());
    QCOMPARE(suggested, QStringLiteral("System-Health-panel-2.png"));
    const QImage image(dir.filePath(suggested));
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= panel->width());
    // Cancelled dialog: nothing written, nothing emitted.
    view.setExportPathProvider([](const QString&) { return QString(); });
    emit panel->exportRequested(QStringLiteral("r0p1"));
    QCOMPARE(spy.count(), 1);
    // A folder that does not exist: the failure is named on screen.
    view.setExportPathProvider([&](const QString& name) { return dir.filePath("nope/" + name); });
    emit panel->exportRequested(QStringLiteral("r0p1"));
    QCOMPARE(spy.count(), 2);
    QVERIFY(!spy.at(1).at(1).toString().isEmpty());
    QVERIFY(view.noticeLabel()->isVisible());
    QVERIFY2(view.noticeLabel()->text().contains(QStringLiteral("nope")),
             qPrintable(view.noticeLabel()->text()));
}

void TstUiMainWindow::inspectShowsRawValues()
{
    DashboardView view;
    const DashboardDefinition d = makeDashboard(QStringLiteral("inspect"), 1, 2);
    view.setDashboard(d);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showPanelData(syntheticData(d, 1'700'000'000'000, 25));
    QCOMPARE(view.findChild<InspectDialog*>(), nullptr);
    emit view.panel(QStringLiteral("r0p1"))->inspectRequested(QStringLiteral("r0p1"));
    QPointer<InspectDialog> dialog = view.findChild<InspectDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->model()->rowCount(), 25);
    QVERIFY(dialog->csv().contains(QStringLiteral("series 2")));
    dialog->close();
    QTRY_VERIFY(!dialog); // deleted on close
    emit view.panel(QStringLiteral("r0p1"))->inspectRequested(QStringLiteral("unknown"));
    QCOMPARE(view.findChild<InspectDialog*>(), nullptr);
}

void TstUiMainWindow::snapshot()
{
    const QString dir = qEnvironmentVariable("QUERYDECK_SNAPSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set QUERYDECK_SNAPSHOT_DIR to write screenshots");
    Theme::apply(*qApp, Theme::Mode::Dark); // as the app does
    auto w = makeWindow();
    QVERIFY(w);
    w->setDashboard(DashboardLoader::defaultDashboard());
    const DashboardDefinition d = w->dashboard()->dashboard();
    w->setServiceAddress(QStringLiteral("http://127.0.0.1:8000"));
    w->setReplicaCount(1);
    w->showSourceStatus({{QStringLiteral("local"), {}, SourceHealth::Ok, {}, 1, 0},
                         {QStringLiteral("proc"), {}, SourceHealth::Ok, {}, 1, 0},
                         {QStringLiteral("10.0.0.5:9100"),
                          {},
                          SourceHealth::Error,
                          QStringLiteral("connection refused"),
                          0,
                          0}});
    w->showPanelData(syntheticData(d, QDateTime::currentMSecsSinceEpoch()));
    w->showTrafficStats(1234, 1200, 34);
    QVERIFY(querydeck::testing::runQueuedWork());
    QVERIFY(w->grab().save(QDir(dir).filePath("main-1600x1000.png")));
    const QString first = d.rows.front().panels.front().id;
    emit w->dashboard()->panel(first)->maximizeRequested(first);
    QVERIFY(querydeck::testing::runQueuedWork());
    QVERIFY(w->grab().save(QDir(dir).filePath("main-maximized.png")));
}

QTEST_MAIN(TstUiMainWindow)
#include "tst_ui_mainwindow.moc"
