// View ▸ Dashboard switches between the bundled dashboards (Fleet's
// per-replica panels included) through the real menu: the window shows the
// chosen one, its panels are queried anew, and the menu checks it.

#include "backend/dashboards/DashboardLoader.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/shell/MainWindow.h"

#include <QMenu>
#include <QSignalSpy>
#include <QTest>

using namespace querydeck;

class TstUiDashboardMenu : public QObject
{
    Q_OBJECT

    static QList<DashboardDefinition> bundled()
    {
        QList<DashboardDefinition> dashboards;
        for (const QString& path : DashboardLoader::bundledDashboards()) {
            const DashboardLoadResult loaded = DashboardLoader::loadFile(path);
            if (loaded.ok())
                dashboards << loaded.value;
        }
        return dashboards;
    }

private slots:
    void disabledWithoutAChoice()
    {
        MainWindow window;
        QVERIFY(!window.dashboardMenu()->isEnabled());
        window.setDashboardChoices({DashboardLoader::defaultDashboard()});
        QVERIFY(!window.dashboardMenu()->isEnabled()); // one dashboard: nothing to choose
    }

    void switchesToTheFleetDashboard()
    {
        const QList<DashboardDefinition> dashboards = bundled();
        QVERIFY2(dashboards.size() >= 3, "Overview, Service and Fleet are bundled");
        MainWindow window;
        window.resize(1200, 800);
        window.setDashboard(dashboards.first());
        window.setDashboardChoices(dashboards);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QMenu* menu = window.dashboardMenu();
        QVERIFY(menu->isEnabled());
        QCOMPARE(menu->actions().size(), dashboards.size());
        QVERIFY(menu->actions().first()->isChecked());

        QAction* fleet = nullptr;
        for (QAction* action : menu->actions())
            if (action->text().contains(QLatin1String("Fleet"), Qt::CaseInsensitive))
                fleet = action;
        QVERIFY2(fleet, "no Fleet entry in View ▸ Dashboard");
        if (const QString dir = qEnvironmentVariable("QUERYDECK_SNAPSHOT_DIR"); !dir.isEmpty()) {
            menu->popup(window.mapToGlobal(QPoint(40, 40)));
            QVERIFY(QTest::qWaitForWindowExposed(menu));
            menu->grab().save(dir + QStringLiteral("/dashboard-menu.png"));
            menu->hide();
        }
        QSignalSpy queried(&window, &MainWindow::panelsChanged);
        fleet->trigger();
        QCOMPARE(window.dashboard()->dashboard().uid, fleet->data().toString());
        QVERIFY(window.windowTitle().startsWith(window.dashboard()->dashboard().title));
        QVERIFY(fleet->isChecked());
        QVERIFY(!menu->actions().first()->isChecked());
        QTRY_VERIFY(!queried.isEmpty());
        // The new queries are the Fleet dashboard's, grouped by replica.
        const auto queries = queried.last().first().value<QList<PanelQuery>>();
        QVERIFY(!queries.isEmpty());
        bool byInstance = false;
        for (const PanelQuery& query : queries)
            for (const PanelTarget& target : query.targets)
                byInstance = byInstance || target.expr.contains(QLatin1String("instance"));
        QVERIFY2(byInstance, "the Fleet dashboard's panels select per replica (instance)");

        // Alt+1 goes back to the first.
        QTest::keyClick(&window, Qt::Key_1, Qt::AltModifier);
        QCOMPARE(window.dashboard()->dashboard().uid, dashboards.first().uid);
    }
};

QTEST_MAIN(TstUiDashboardMenu)
#include "tst_ui_dashboardmenu.moc"
