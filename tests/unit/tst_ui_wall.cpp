// The monitoring wall offscreen: fits 1080p, 4K and portrait without
// scrolling or overlaps, scales type, rotates, ignores Escape, leaves on the
// chord, shows data-source failures in the banner.

#include "UiTestSupport.h"
#include "backend/dashboards/DashboardLoader.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/dashboards/PanelWidget.h"
#include "ui/wall/WallDashboardView.h"
#include "ui/wall/WallWindow.h"

#include <QApplication>
#include <QFontInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QScreen>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace querydeck;
using querydeck::testing::makeDashboard;
using querydeck::testing::runQueuedWork;
using querydeck::testing::syntheticData;

class TstUiWall : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void fitsScreen_data();
    void fitsScreen();
    void spansShareWidth();
    void oddDashboards_data();
    void oddDashboards();
    void rotates();
    void singleDashboardDoesNotRotate();
    void reportsPanelWidths();
    void escapeDoesNotClose();
    void chordCloses();
    void bannerShowsFailingSource();
    void screenSelection();
    void panelsAreReadOnly();
    void snapshot_data();
    void snapshot();
};

void TstUiWall::fitsScreen_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("perRow"); // 0: the bundled default dashboard
    QTest::newRow("1080p 4x3") << QSize(1920, 1080) << 4 << 3;
    QTest::newRow("4K 4x3") << QSize(3840, 2160) << 4 << 3;
    QTest::newRow("portrait 4x3") << QSize(1080, 1920) << 4 << 3;
    QTest::newRow("1080p 6x6 wraps") << QSize(1920, 1080) << 6 << 6;
    QTest::newRow("1080p default") << QSize(1920, 1080) << 0 << 0;
    QTest::newRow("4K default") << QSize(3840, 2160) << 0 << 0;
}

void TstUiWall::fitsScreen()
{
    QFETCH(QSize, size);
    QFETCH(int, rows);
    QFETCH(int, perRow);
    WallWindow wall;
    const DashboardDefinition d = perRow > 0 ? makeDashboard(QStringLiteral("wall"), rows, perRow)
                                             : DashboardLoader::defaultDashboard();
    int expectedPanels = 0;
    for (const RowDefinition& row : d.rows)
        expectedPanels += int(row.panels.size());
    QVERIFY(expectedPanels >= 4);
    wall.setDashboards({d}, 0);
    wall.showPanelData(syntheticData(d, 1'700'000'000'000, 60));
    wall.resize(size);
    wall.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wall));
    QTRY_COMPARE(wall.size(), size);

    const QList<PanelWidget*> panels = wall.dashboardView()->panels();
    QCOMPARE(panels.size(), expectedPanels);
    const QRect window = wall.rect();
    QList<QRect> rects;
    for (PanelWidget* p : panels) {
        QVERIFY2(p->isVisible(), qPrintable(p->definition().id));
        const QRect r(p->mapTo(&wall, QPoint(0, 0)), p->size());
        QVERIFY2(window.contains(r), qPrintable(QStringLiteral("%1 at %2,%3 %4x%5 outside %6x%7")
                                                    .arg(p->definition().id)
                                                    .arg(r.x())
                                                    .arg(r.y())
                                                    .arg(r.width())
                                                    .arg(r.height())
                                                    .arg(window.width())
                                                    .arg(window.height())));
        QVERIFY2(r.width() >= size.width() / 8 && r.height() >= size.height() / 20,
                 qPrintable(p->definition().id + QStringLiteral(" too small")));
        rects.append(r);
    }
    for (int i = 0; i < rects.size(); ++i)
        for (int j = i + 1; j < rects.size(); ++j)
            QVERIFY2(!rects[i].intersects(rects[j]),
                     qPrintable(panels[i]->definition().id + QStringLiteral(" overlaps ") +
                                panels[j]->definition().id));
    for (QScrollBar* bar : wall.findChildren<QScrollBar*>())
        QVERIFY2(!bar->isVisible(), qPrintable(bar->parentWidget()->objectName()));

    // Type readable across a room: panel titles and row titles ≥ 1.6% of
    // the height, other panel text not below 1.2%.
    // Type scales with the shorter side (the height, except in portrait).
    const int side = std::min(size.width(), size.height());
    const int minPixels = int(side * 0.016);
    for (PanelWidget* p : panels) {
        QVERIFY2(QFontInfo(p->font()).pixelSize() >= int(side * 0.012),
                 qPrintable(QStringLiteral("%1: %2 px")
                                .arg(p->definition().id)
                                .arg(QFontInfo(p->font()).pixelSize())));
        int largest = 0;
        for (QLabel* label : p->findChildren<QLabel*>())
            if (label->isVisible() && !label->text().isEmpty())
                largest = std::max(largest, QFontInfo(label->font()).pixelSize());
        QVERIFY2(largest >= minPixels, qPrintable(QStringLiteral("%1: title %2 px < %3 px")
                                                      .arg(p->definition().id)
                                                      .arg(largest)
                                                      .arg(minPixels)));
    }
    for (QLabel* title : wall.findChildren<QLabel*>(QStringLiteral("wallRowTitle")))
        QVERIFY(QFontInfo(title->font()).pixelSize() >= minPixels);
    // The clock: big, top right, inside the window.
    QLabel* clock = wall.clock();
    QVERIFY(clock->isVisible());
    QVERIFY(clock->text().contains(':'));
    const QRect c(clock->mapTo(&wall, QPoint(0, 0)), clock->size());
    QVERIFY(window.contains(c));
    QVERIFY(c.center().x() > size.width() / 2);
    QVERIFY(c.center().y() < size.height() / 8);
    QVERIFY(QFontInfo(clock->font()).pixelSize() >= int(side * 0.04));
    // The dashboard name is not elided to nothing.
    QVERIFY2(wall.titleLabel()->text().size() >= 8, qPrintable(wall.titleLabel()->text()));
    // The leave hint is on screen.
    auto* hint = wall.findChild<QLabel*>(QStringLiteral("wallHint"));
    QVERIFY(hint->isVisible());
    QVERIFY(hint->text().contains(QStringLiteral("Ctrl+Shift+Q")));
    QVERIFY(window.contains(QRect(hint->mapTo(&wall, QPoint(0, 0)), hint->size())));
}

void TstUiWall::spansShareWidth()
{
    DashboardDefinition d = makeDashboard(QStringLiteral("spans"), 1, 3);
    d.rows[0].panels[0].span = 2; // 2 + 1 + 1 = one full line
    WallDashboardView view;
    view.setDashboard(d);
    view.resize(1600, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const auto panels = view.panels();
    QVERIFY(panels[0]->width() > int(1.8 * panels[1]->width()));
    QCOMPARE(panels[0]->y(), panels[2]->y());
    QCOMPARE(panels[2]->geometry().right(), view.width() - 1);
}

void TstUiWall::oddDashboards_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("no rows") << 0;
    QTest::newRow("empty row") << 1;
    QTest::newRow("spans 0 and 99") << 2;
    QTest::newRow("30 panels in a row") << 3;
    QTest::newRow("very long titles") << 4;
    QTest::newRow("duplicate ids") << 5;
}

void TstUiWall::oddDashboards()
{
    QFETCH(int, kind);
    DashboardDefinition d = makeDashboard(QStringLiteral("odd"), 2, 3);
    switch (kind) {
    case 0:
        d.rows.clear();
        break;
    case 1:
        d.rows[0].panels.clear();
        break;
    case 2:
        d.rows[0].panels[0].span = 0;
        d.rows[0].panels[1].span = 99;
        d.rows[1].panels[2].span = -5;
        break;
    case 3:
        d = makeDashboard(QStringLiteral("odd"), 1, 30);
        break;
    case 4:
        d.title = QString(500, QLatin1Char('T'));
        d.rows[0].title = QString(800, QLatin1Char('R'));
        d.rows[1].panels[0].title = QString(800, QLatin1Char('P'));
        break;
    case 5:
        d.rows[1].panels[0].id = d.rows[0].panels[0].id;
        break;
    }
    int expected = 0;
    for (const RowDefinition& row : d.rows)
        expected += int(row.panels.size());

    WallWindow wall;
    wall.setDashboards({d}, 0);
    wall.showPanelData(syntheticData(d, 1'700'000'000'000, 10));
    wall.resize(1920, 1080);
    wall.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wall));
    const QList<PanelWidget*> panels = wall.dashboardView()->panels();
    QCOMPARE(panels.size(), expected);
    QList<QRect> rects;
    for (PanelWidget* p : panels) {
        const QRect r(p->mapTo(&wall, QPoint(0, 0)), p->size());
        QVERIFY2(wall.rect().contains(r), qPrintable(p->definition().id));
        QVERIFY(!r.isEmpty());
        for (const QRect& other : rects)
            QVERIFY2(!other.intersects(r), qPrintable(p->definition().id));
        rects.append(r);
    }
    // The window never grows past the screen because of a long title.
    QCOMPARE(wall.size(), QSize(1920, 1080));

    // The main window's view copes with the same input.
    DashboardView view;
    view.setDashboard(d);
    view.resize(1400, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.panels().size(), expected);
    QCOMPARE(view.panelQueries().size(), expected);
    // Nothing pushed past the right edge (there is no horizontal scrolling).
    QVERIFY(runQueuedWork());
    for (PanelWidget* p : view.panels())
        QVERIFY2(p->mapTo(&view, QPoint(p->width(), 0)).x() <= view.width(),
                 qPrintable(p->definition().id));
}

void TstUiWall::rotates()
{
    WallWindow wall;
    QList<DashboardDefinition> list;
    for (int i = 0; i < 3; ++i)
        list.append(makeDashboard(QStringLiteral("d%1").arg(i), 2, 2,
                                  QStringLiteral("Dashboard %1").arg(i)));
    list[2].rows[0].panels[0].id = QStringLiteral("only-in-2");
    QSignalSpy changed(&wall, &WallWindow::dashboardChanged);
    QSignalSpy panels(&wall, &WallWindow::panelsChanged);
    wall.setDashboards(list, 60);
    QCOMPARE(wall.rotationIntervalMs(), 60000);
    QCOMPARE(wall.currentTitle(), QStringLiteral("Dashboard 0"));
    QVERIFY(wall.titleLabel()->text().contains(QStringLiteral("Dashboard 0")));
    QVERIFY(wall.titleLabel()->text().contains(QStringLiteral("1/3")));
    wall.setRotationIntervalMs(40);
    wall.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wall));
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 3, 5000);
    QCOMPARE(changed.at(1).at(0).toInt(), 1);
    QCOMPARE(changed.at(2).at(0).toInt(), 2);
    QCOMPARE(changed.at(2).at(1).toString(), QStringLiteral("Dashboard 2"));
    // After the first, one more once shown (with widths): then one per turn.
    QCOMPARE(panels.at(3).at(0).value<QList<PanelQuery>>().at(0).panelId,
             QStringLiteral("only-in-2"));
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 4, 5000);
    QCOMPARE(changed.at(3).at(0).toInt(), 0); // wraps around
}

void TstUiWall::reportsPanelWidths()
{
    WallWindow wall;
    QList<DashboardDefinition> list{makeDashboard(QStringLiteral("a"), 2, 2),
                                    makeDashboard(QStringLiteral("b"), 1, 3)};
    list[1].rows[0].panels[0].span = 2;
    QSignalSpy panels(&wall, &WallWindow::panelsChanged);
    wall.setDashboards(list, 0);
    QCOMPARE(panels.count(), 1);
    // Not shown yet: no width to size a step from.
    for (const PanelQuery& q : panels.at(0).at(0).value<QList<PanelQuery>>())
        QCOMPARE(q.widthPixels, 0);

    wall.resize(1200, 700);
    wall.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wall));
    // Shown and laid out: the same panels again, each with its drawn width.
    QTRY_COMPARE(panels.count(), 2);
    const auto check = [&wall](const QList<PanelQuery>& queries) {
        QCOMPARE(queries.size(), wall.panelQueries().size());
        for (const PanelQuery& q : queries) {
            const PanelWidget* panel = wall.dashboardView()->panel(q.panelId);
            QVERIFY(panel);
            QVERIFY(q.widthPixels > 0);
            QCOMPARE(q.widthPixels, panel->width());
        }
    };
    auto shown = panels.at(1).at(0).value<QList<PanelQuery>>();
    QCOMPARE(shown.size(), 4);
    check(shown);
    const int before = shown.at(0).widthPixels;

    // A wider window: new widths, once.
    wall.resize(1800, 700);
    QTRY_COMPARE(panels.count(), 3);
    shown = panels.at(2).at(0).value<QList<PanelQuery>>();
    check(shown);
    QVERIFY(shown.at(0).widthPixels > before);
    // Nothing changed: nothing sent, even once every check the resize queued
    // has run (a repeat would be emitted by then, see runQueuedWork()).
    QVERIFY(runQueuedWork());
    QCOMPARE(panels.count(), 3);

    // The next dashboard is sent with its widths at once, not twice.
    wall.showDashboard(1);
    QCOMPARE(panels.count(), 4);
    shown = panels.at(3).at(0).value<QList<PanelQuery>>();
    QCOMPARE(shown.size(), 3);
    check(shown);
    QVERIFY(shown.at(0).widthPixels > shown.at(1).widthPixels); // span 2 against 1
    QVERIFY(runQueuedWork());
    QCOMPARE(panels.count(), 4);
}

void TstUiWall::singleDashboardDoesNotRotate()
{
    WallWindow wall;
    wall.setDashboards({makeDashboard(QStringLiteral("one"), 1, 1)}, 1);
    QCOMPARE(wall.rotationIntervalMs(), 0);
    QSignalSpy changed(&wall, &WallWindow::dashboardChanged);
    wall.next();
    QCOMPARE(changed.count(), 0);
    QCOMPARE(wall.currentIndex(), 0);
    WallWindow empty;
    empty.setDashboards({}, 5);
    QCOMPARE(empty.currentIndex(), -1);
    empty.next();
    QCOMPARE(empty.currentTitle(), QString());
}

void TstUiWall::escapeDoesNotClose()
{
    WallWindow wall;
    wall.setDashboards({makeDashboard(QStringLiteral("esc"), 2, 2)}, 0);
    wall.resize(1280, 720);
    wall.show();
    wall.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&wall));
    QTest::keyClick(&wall, Qt::Key_Escape);
    QTest::keyClick(wall.dashboardView()->panels().first(), Qt::Key_Escape);
    QTest::keyClick(&wall, Qt::Key_Q, Qt::ControlModifier);
    QTest::keyClick(&wall, Qt::Key_W, Qt::ControlModifier);
    // Negative check: a close the keys asked for would be done once the work
    // they queued has run (chordCloses() shows the chord's close does).
    QVERIFY(runQueuedWork());
    QVERIFY(wall.isVisible());
    QVERIFY(wall.windowFlags().testFlag(Qt::FramelessWindowHint));
}

void TstUiWall::chordCloses()
{
    WallWindow wall;
    wall.setDashboards({makeDashboard(QStringLiteral("chord"), 1, 2)}, 0);
    wall.resize(1280, 720);
    wall.show();
    wall.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&wall));
    QTest::keyClick(wall.dashboardView()->panels().first(), Qt::Key_Q,
                    Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(!wall.isVisible());
}

void TstUiWall::bannerShowsFailingSource()
{
    WallWindow wall;
    wall.setDashboards({makeDashboard(QStringLiteral("banner"), 4, 3)}, 0);
    wall.resize(1920, 1080);
    wall.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wall));
    QVERIFY(!wall.banner()->isVisible());
    SourceStatus ok{QStringLiteral("local"), {}, SourceHealth::Ok, {}, 1, 0};
    SourceStatus bad{QStringLiteral("replica-b:8000"),     {}, SourceHealth::Error,
                     QStringLiteral("connection refused"), 0,  0};
    SourceStatus stale{QStringLiteral("proc"), {}, SourceHealth::Stale, {}, 1'700'000'000'000, 0};
    wall.showSourceStatus({ok, bad, stale});
    QVERIFY(wall.banner()->isVisible());
    const QString text = wall.banner()->text();
    QVERIFY2(text.contains(QStringLiteral("Data source replica-b:8000: error connection refused")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Data source proc: stale")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("local")));
    QCOMPARE(wall.banner()->property("severity").toString(), QStringLiteral("error"));
    // With the banner up, the dashboard still fits.
    QVERIFY(runQueuedWork());
    for (PanelWidget* p : wall.dashboardView()->panels())
        QVERIFY(wall.rect().contains(QRect(p->mapTo(&wall, QPoint(0, 0)), p->size())));
    bad.health = SourceHealth::Ok;
    wall.showSourceStatus({ok, bad});
    QVERIFY(!wall.banner()->isVisible());
}

void TstUiWall::screenSelection()
{
    WallWindow wall;
    QVERIFY(!wall.setScreen(-1));
    QVERIFY(!wall.setScreen(int(QGuiApplication::screens().size())));
    QVERIFY(wall.setScreen(0));
    QCOMPARE(wall.screen(), QGuiApplication::screens().at(0));
    QCOMPARE(wall.geometry(), QGuiApplication::screens().at(0)->geometry());
}

void TstUiWall::panelsAreReadOnly()
{
    WallWindow wall;
    wall.setDashboards({makeDashboard(QStringLiteral("ro"), 2, 3)}, 0);
    for (PanelWidget* p : wall.dashboardView()->panels()) {
        QVERIFY(p->wallMode());
        QVERIFY(!p->menuButton() || p->menuButton()->isHidden());
    }
    QCOMPARE(wall.panelQueries().size(), 6);
}

void TstUiWall::snapshot_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1920x1080") << QSize(1920, 1080);
    QTest::newRow("3840x2160") << QSize(3840, 2160);
    QTest::newRow("1080x1920") << QSize(1080, 1920);
}

void TstUiWall::snapshot()
{
    QFETCH(QSize, size);
    const QString dir = qEnvironmentVariable("QUERYDECK_SNAPSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set QUERYDECK_SNAPSHOT_DIR to write screenshots");
    Theme::apply(*qApp, Theme::Mode::Dark); // as the app does
    WallWindow wall;
    const DashboardDefinition d = DashboardLoader::defaultDashboard();
    wall.setDashboards({d, makeDashboard(QStringLiteral("b"), 2, 2)}, 30);
    wall.showPanelData(syntheticData(d, QDateTime::currentMSecsSinceEpoch()));
    wall.showSourceStatus({{QStringLiteral("replica-b:8000"),
                            {},
                            SourceHealth::Error,
                            QStringLiteral("connection refused"),
                            0,
                            0}});
    wall.resize(size);
    wall.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wall));
    QVERIFY(runQueuedWork());
    QVERIFY(wall.grab().save(
        QDir(dir).filePath(QStringLiteral("wall-%1x%2.png").arg(size.width()).arg(size.height()))));
}

QTEST_MAIN(TstUiWall)
#include "tst_ui_wall.moc"
