// The console's fleet as the console builds it (ConsoleFleetHost from a
// console.fleet of kind "local", attached to the window by FleetAttachment):
// a real LocalReplicaSet behind a real nginx and its ScaleOperator run on a
// control thread; the replicas dock, the Fleet menu's quick scale and the
// scale wizard reach them only through the two mirrors. Checks the
// thread placement, that the set emits only on the control thread, and that
// the GUI event loop keeps running (a GUI QTimer keeps ticking) while a scale
// starts replicas and reloads nginx, and even while the control thread is
// held up. Screenshots of the dock and the wizard's apply page under /tmp.
#include "FleetTeardown.h"
#include "ServeProcess.h"
#include "Snapshot.h"
#include "backend/autoscale/AutoscaleOperator.h"
#include "backend/fleet/LocalReplicaSet.h"
#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/fleethost/ConsoleFleetHost.h"
#include "backend/scaling/ScaleOperator.h"
#include "backend/scaling/ScaleOperatorMirror.h"
#include "backend/telemetry/TelemetryThread.h"
#include "models/ReplicaTableModel.h"
#include "ui/fleet/FleetActions.h"
#include "ui/fleet/QuickScaleDialog.h"
#include "ui/fleet/ReplicasDock.h"
#include "ui/fleet/ScaleWizard.h"
#include "ui/shell/FleetAttachment.h"
#include "ui/shell/MainWindow.h"

#include <QAbstractButton>
#include <QAction>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QtTest>
#include <atomic>
#include <csignal>

using namespace querydeck;
using namespace querydeck::test;

namespace {

int readyRows(const ReplicaTableModel* model)
{
    int ready = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        ready += model->index(row, 0).data(ReplicaTableModel::StateRole).toInt() ==
                         int(ReplicaState::Ready)
                     ? 1
                     : 0;
    return ready;
}

QString labelText(QWidget* root, const char* name)
{
    auto* label = root->findChild<QLabel*>(QString::fromLatin1(name));
    return label ? label->text() : QString();
}

} // namespace

class TestFleetThread : public QObject
{
    Q_OBJECT

private:
    QThread m_control;
    QTemporaryDir m_dir;
    TelemetryThread m_telemetry; // the store the scale wizard reads, the replicas' scrapes
    ConsoleFleetHost* m_fleet = nullptr;
    LocalReplicaSet* m_set = nullptr; // on m_control
    std::unique_ptr<MainWindow> m_window;
    ReplicasDock* m_dock = nullptr;
    QList<qint64> m_pids; // every replica process seen, to check none is left
    std::atomic<int> m_emittedOnControl{0};
    std::atomic<int> m_emittedElsewhere{0};

    void rememberPids()
    {
        for (const ReplicaInfo& r : m_fleet->mirror()->replicas())
            if (r.pid > 0 && !m_pids.contains(r.pid))
                m_pids << r.pid;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("XDG_CONFIG_HOME", "/nonexistent-querydeck-test");
        QVERIFY(m_dir.isValid());
        ConsoleConfig console;
        console.fleet.kind = QStringLiteral("local");
        console.fleet.replicas = 0; // the tests scale from the GUI
        console.fleet.port = ServeProcess::freePortRun(4);
        console.fleet.corpus = QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small");
        console.fleet.runtimeDir = m_dir.path();
        m_control.setObjectName(QStringLiteral("control"));
        m_control.start();
        m_telemetry.start();

        m_fleet = new ConsoleFleetHost(console, ServiceConfig{}, m_telemetry.engine(), &m_control);
        m_fleet->setServeBinary(QStringLiteral(QUERYDECK_BIN));
        const QString error = m_fleet->start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_set = qobject_cast<LocalReplicaSet*>(m_fleet->remoteSet());
        QVERIFY(m_set);
        QVERIFY2(m_set->hasFrontDoor(), "nginx is required for this test and was not found");
        // Where the set emits, counted where it emits (a direct connection).
        connect(
            m_set, &ReplicaSet::replicasChanged, m_set,
            [this] {
                ++(QThread::currentThread() == &m_control ? m_emittedOnControl
                                                          : m_emittedElsewhere);
            },
            Qt::DirectConnection);

        m_window = std::make_unique<MainWindow>();
        FleetAttachment::attach(m_fleet, m_window.get());
        m_dock = m_window->findChild<ReplicasDock*>(QStringLiteral("replicasDock"));
        QVERIFY(m_dock);
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase()
    {
        rememberPids();
        m_window.reset();
        tearDownLocalFleet(m_fleet, m_control, m_pids, m_dir.path());
    }

    void placement()
    {
        QCOMPARE(m_fleet->remoteSet()->thread(), &m_control);
        QCOMPARE(m_fleet->remoteScaleOperator()->thread(), &m_control);
        QCOMPARE(m_fleet->autoscaler()->thread(), &m_control);
        QCOMPARE(m_fleet->mirror()->thread(), QThread::currentThread());
        QCOMPARE(m_fleet->scaleMirror()->thread(), QThread::currentThread());
        QCOMPARE(m_fleet->mirror()->kind(), QStringLiteral("local"));
        // The console's checks of a local fleet (no cache.redis: no Redis check).
        QCOMPARE(m_fleet->scaleMirror()->checkNames(),
                 (QStringList{QStringLiteral("ports free"), QStringLiteral("host memory and CPU"),
                              QStringLiteral("nginx -t")}));
    }

    // 0 -> 2 from the Fleet menu's quick scale dialog: nginx and two replicas
    // start on the control thread while a 10 ms GUI timer keeps ticking, and
    // the dock shows every step as it comes.
    void quickScaleKeepsGuiResponsive()
    {
        int ticks = 0;
        QTimer tick;
        tick.setInterval(10);
        connect(&tick, &QTimer::timeout, this, [&ticks] { ++ticks; });
        QList<int> ticksAtSnapshot; // GUI ticks counted when each snapshot arrived
        const QMetaObject::Connection snapshots =
            connect(m_fleet->mirror(), &ReplicaSet::replicasChanged, this,
                    [&] { ticksAtSnapshot << ticks; });
        QSignalSpy applied(m_fleet->scaleMirror(), &ScaleOperatorMirror::applyFinished);

        m_window->fleetActions()->quickScaleAction()->trigger();
        QuickScaleDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<QuickScaleDialog*>()) != nullptr);
        dialog->spinBox()->setValue(2);
        tick.start();
        QTest::keyClick(dialog->spinBox(), Qt::Key_Return);
        QVERIFY(applied.wait(60000));
        tick.stop();
        disconnect(snapshots);
        QVERIFY2(applied.first().at(0).toBool(), qPrintable(applied.first().at(1).toString()));

        // Replicas started, came up and were put in rotation one step at a
        // time, and the GUI timer ran between those steps.
        QVERIFY2(ticksAtSnapshot.size() >= 4, qPrintable(QString::number(ticksAtSnapshot.size())));
        QVERIFY2(ticksAtSnapshot.last() > ticksAtSnapshot.first(),
                 qPrintable(QStringLiteral("ticks at snapshots: %1")
                                .arg(QString::number(ticksAtSnapshot.first()) + ".." +
                                     QString::number(ticksAtSnapshot.last()))));
        QVERIFY(ticks > 0);
        QCOMPARE(m_fleet->mirror()->desiredCount(), 2);
        QTRY_COMPARE(readyRows(m_dock->model()), 2);
        QVERIFY(m_emittedOnControl > 0);
        QCOMPARE(m_emittedElsewhere.load(), 0);
        rememberPids();

        // nginx sends both replicas traffic: read on the set's own thread.
        QStringList rotation;
        QMetaObject::invokeMethod(
            m_set, [this, &rotation] { rotation = m_set->serversInRotation(); },
            Qt::BlockingQueuedConnection);
        QCOMPARE(rotation.size(), 2);
        QVERIFY(saveSnapshot(m_dock, QStringLiteral("fleetthread-dock.png")));
    }

    // The control thread is held up (as a slow nginx -t or a kill would): the
    // GUI keeps ticking, the dock's Drain returns at once, the wizard's first
    // page reads the snapshot; the drain happens once the thread is free.
    void guiRunsWhileControlThreadIsBusy()
    {
        QSemaphore entered;
        QSemaphore release;
        QMetaObject::invokeMethod(m_set, [&entered, &release] {
            entered.release();
            release.tryAcquire(1, 30000); // bounded, should the test fail
        });
        QVERIFY(entered.tryAcquire(1, 10000));

        int ticks = 0;
        QTimer tick;
        tick.setInterval(10);
        connect(&tick, &QTimer::timeout, this, [&ticks] { ++ticks; });
        tick.start();

        m_dock->view()->selectRow(1); // replica 2
        QCOMPARE(m_dock->selectedId(), QStringLiteral("2"));
        QVERIFY(m_dock->drainButton()->isEnabled());
        QTest::mouseClick(m_dock->drainButton(), Qt::LeftButton);
        m_window->fleetActions()->scaleAction()->trigger();
        auto* wizard = m_window->findChild<ScaleWizard*>();
        QVERIFY(wizard);
        QCOMPARE(labelText(wizard, "replicasValue"), QStringLiteral("2"));
        wizard->reject();
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 20, 10000);   // the GUI loop runs
        QCOMPARE(m_fleet->mirror()->desiredCount(), 2); // not drained yet: the thread is held
        release.release();

        QTRY_COMPARE_WITH_TIMEOUT(m_dock->model()->rowCount(), 1, 30000);
        QCOMPARE(m_fleet->mirror()->desiredCount(), 1);
        QCOMPARE(m_emittedElsewhere.load(), 0);
    }

    // 1 -> 3 through every wizard page up to the apply, driven with QTest;
    // the apply page shows the replicas coming up, from queued updates.
    void wizardScalesUp()
    {
        m_window->fleetActions()->scaleAction()->trigger();
        auto* wizard = m_window->findChild<ScaleWizard*>();
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        QCOMPARE(labelText(wizard, "replicasValue"), QStringLiteral("1"));
        auto next = [wizard] {
            return wizard->button(wizard->currentPage()->isCommitPage() ? QWizard::CommitButton
                                                                        : QWizard::NextButton);
        };
        QTest::mouseClick(next(), Qt::LeftButton);
        QCOMPARE(wizard->currentId(), int(ScaleWizard::Page::Target));
        wizard->findChild<QSpinBox*>(QStringLiteral("count"))->setValue(3);
        QTest::mouseClick(next(), Qt::LeftButton);
        QCOMPARE(wizard->currentId(), int(ScaleWizard::Page::Preflight));
        QTRY_VERIFY_WITH_TIMEOUT(labelText(wizard, "preflightStatus").startsWith("Ready"), 10000);
        QSignalSpy applied(m_fleet->scaleMirror(), &ScaleOperatorMirror::applyFinished);
        QTest::mouseClick(next(), Qt::LeftButton);
        QCOMPARE(wizard->currentId(), int(ScaleWizard::Page::Apply));
        QVERIFY(applied.wait(60000));
        QVERIFY2(applied.first().at(0).toBool(), qPrintable(applied.first().at(1).toString()));
        auto* table = wizard->findChild<QTableWidget*>(QStringLiteral("replicas"));
        QTRY_COMPARE(table->rowCount(), 3);
        QCOMPARE(labelText(wizard, "applyStatus"),
                 QStringLiteral("Every requested replica is ready."));
        QTRY_COMPARE(readyRows(m_dock->model()), 3);
        QCoreApplication::processEvents();
        QVERIFY(saveSnapshot(wizard, QStringLiteral("fleetthread-apply.png")));
        QVERIFY(saveSnapshot(m_dock, QStringLiteral("fleetthread-dock3.png")));
        rememberPids();
        wizard->reject();
        QCOMPARE(m_emittedElsewhere.load(), 0);
    }
};

QTEST_MAIN(TestFleetThread)
#include "tst_fleet_thread.moc"
