// The main window with a real local fleet (one replica behind nginx): the
// replicas dock lists it, the Fleet menu's actions are enabled once a scale
// controller and the auto-scaler panel are given, and both render
// (screenshots under /tmp to look at).
#include "ServeProcess.h"
#include "Snapshot.h"
#include "backend/autoscale/RulePolicy.h"
#include "backend/fleet/LocalReplicaSet.h"
#include "backend/metrics/TimeSeriesStore.h"
#include "backend/scaling/FleetProbe.h"
#include "backend/scaling/ScaleOperator.h"
#include "backend/scaling/ScaleOperatorMirror.h"
#include "models/ReplicaTableModel.h"
#include "ui/fleet/AutoscalerPanel.h"
#include "ui/fleet/FleetActions.h"
#include "ui/fleet/ReplicasDock.h"
#include "ui/shell/MainWindow.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace querydeck;
using namespace querydeck::test;

class TestUiFleetMenu : public QObject
{
    Q_OBJECT

private slots:
    void windowWithLocalFleet()
    {
        qputenv("XDG_CONFIG_HOME", "/nonexistent-querydeck-test");
        QTemporaryDir dir;
        LocalFleetOptions options;
        options.querydeckBinary = QStringLiteral(QUERYDECK_BIN);
        options.runtimeDir = dir.path();
        options.frontPort = ServeProcess::freePortRun(3);
        options.extraArguments = {QStringLiteral("--corpus"),
                                  QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")};
        LocalReplicaSet set(options);
        QVERIFY2(set.hasFrontDoor(), "nginx is required for this test and was not found");
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        set.scale(2);
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.first().at(0).toBool());

        TimeSeriesStore store;
        ScaleOperator controller(&set, std::make_shared<StoreFleetProbe>(store));
        ScaleOperatorMirror client(&controller, &set);
        MainWindow window;
        auto* dock = new ReplicasDock(&window);
        dock->setReplicaSet(&set);
        dock->setLogPathResolver([&set](const QString& id) { return set.logPath(id); });
        window.addDockWidget(Qt::BottomDockWidgetArea, dock);
        FleetActions* fleet = window.fleetActions();
        QVERIFY(!fleet->scaleAction()->isEnabled()); // nothing to scale yet
        ScaleRequest defaults;
        defaults.basePort = options.replicaPort(1);
        fleet->setScaleMirror(&client, defaults);
        fleet->setAutoscalerPanel(
            new AutoscalerPanel([] { return std::make_unique<RulePolicy>(); }));
        QVERIFY(fleet->scaleAction()->isEnabled());
        QVERIFY(fleet->quickScaleAction()->isEnabled());
        // The panel's dock toggle takes the disabled placeholder's place.
        QVERIFY(!fleet->autoscalerAction()->isVisible());
        QAction* toggle = window.findChild<QAction*>(QStringLiteral("autoscalerToggle"));
        QVERIFY(toggle && toggle->isEnabled() && fleet->menu()->actions().contains(toggle));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(dock->model()->rowCount(), 2);
        QVERIFY(saveSnapshot(&window, QStringLiteral("fleet-window.png")));

        fleet->menu()->popup(window.mapToGlobal(QPoint(40, 20)));
        QTRY_VERIFY(fleet->menu()->isVisible());
        QVERIFY(saveSnapshot(fleet->menu(), QStringLiteral("fleet-menu.png")));
        fleet->menu()->hide();

        QSignalSpy done(&set, &LocalReplicaSet::shutdownFinished);
        set.shutdown();
        QVERIFY(done.count() > 0 || done.wait(60000));
    }
};

QTEST_MAIN(TestUiFleetMenu)
#include "tst_ui_fleetmenu.moc"
