// The replicas model (QAbstractItemModelTester, in-place updates) and the
// replicas dock driven through its buttons, over a scripted ReplicaSet that
// records what the dock asked of it (tests/support/ScriptedReplicaSet.h).
#include "ScriptedReplicaSet.h"
#include "Snapshot.h"
#include "backend/fleet/ReplicaSet.h"
#include "models/ReplicaTableModel.h"
#include "ui/fleet/ReplicasDock.h"

#include <QAbstractItemModelTester>
#include <QDialog>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;
using querydeck::test::saveSnapshot;
using querydeck::test::ScriptedReplicaSet;

namespace {

ReplicaInfo replica(const QString& id, ReplicaState state, int inFlight = 0, int restarts = 0)
{
    ReplicaInfo info;
    info.id = id;
    info.address = QStringLiteral("127.0.0.1:81%1").arg(id.rightJustified(2, QLatin1Char('0')));
    info.state = state;
    info.inFlight = inFlight;
    info.restarts = restarts;
    info.startedAt = QDateTime::currentDateTimeUtc().addSecs(-3725);
    info.pid = 4242;
    return info;
}

} // namespace

class TestReplicasDock : public QObject
{
    Q_OBJECT

private slots:
    void modelFollowsSet();
    void uptimeFormat_data();
    void uptimeFormat();
    void dockActions();
    void processColumns();
    void logsViewer();
};

void TestReplicasDock::modelFollowsSet()
{
    ScriptedReplicaSet set;
    ReplicaTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setReplicaSet(&set);
    QCOMPARE(model.rowCount(), 0);

    set.set({replica("1", ReplicaState::Ready), replica("2", ReplicaState::Starting, -1)});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ReplicaTableModel::StateColumn).data().toString(), "ready");
    QCOMPARE(model.index(1, ReplicaTableModel::InFlightColumn).data().toString(), "–");
    QCOMPARE(model.index(0, ReplicaTableModel::UptimeColumn).data().toString(), "1 h 02 min");
    QCOMPARE(model.index(0, ReplicaTableModel::AddressColumn).data().toString(), "127.0.0.1:8101");

    // An in-place update: only the changed cells, no row churn.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    set.set({replica("1", ReplicaState::Ready, 7), replica("2", ReplicaState::Ready, 0)});
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QVERIFY(changed.count() >= 3);
    QCOMPARE(model.index(0, ReplicaTableModel::InFlightColumn).data().toString(), "7");
    QCOMPARE(model.index(1, 0).data(ReplicaTableModel::StateRole).toInt(),
             int(ReplicaState::Ready));

    // Nothing changed: nothing emitted.
    changed.clear();
    set.set(set.list);
    QCOMPARE(changed.count(), 0);

    // Scale 2 → 3 → 1.
    set.set({replica("1", ReplicaState::Ready), replica("2", ReplicaState::Ready),
             replica("3", ReplicaState::Starting)});
    QCOMPARE(model.rowCount(), 3);
    set.set({replica("1", ReplicaState::Ready)});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(ReplicaTableModel::IdRole).toString(), "1");

    model.refreshUptime();
    model.setReplicaSet(nullptr);
    QCOMPARE(model.rowCount(), 0);
    set.set({replica("9", ReplicaState::Ready)}); // no longer followed
    QCOMPARE(model.rowCount(), 0);
}

void TestReplicasDock::uptimeFormat_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("not running") << qint64(-1) << "–";
    QTest::newRow("zero") << qint64(0) << "0 s";
    QTest::newRow("seconds") << qint64(59) << "59 s";
    QTest::newRow("minutes") << qint64(60) << "1 min";
    QTest::newRow("hours") << qint64(3600 * 3 + 300) << "3 h 05 min";
    QTest::newRow("days") << qint64(86400 * 2 + 3600 * 4) << "2 d 04 h";
}

void TestReplicasDock::uptimeFormat()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(ReplicaTableModel::formatUptime(seconds), text);
}

void TestReplicasDock::dockActions()
{
    ScriptedReplicaSet set;
    set.desired = 3;
    set.list = {replica("1", ReplicaState::Ready, 3), replica("2", ReplicaState::Ready, 1, 2),
                replica("3", ReplicaState::Draining, 0)};
    ReplicasDock dock;
    QAbstractItemModelTester tester(dock.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    dock.setReplicaSet(&set);
    dock.resize(640, 260);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    QVERIFY(!dock.drainButton()->isEnabled()); // nothing selected
    QVERIFY(!dock.logsButton()->isEnabled());

    dock.view()->selectRow(1);
    QCOMPARE(dock.selectedId(), "2");
    QVERIFY(dock.drainButton()->isEnabled());
    QTest::mouseClick(dock.drainButton(), Qt::LeftButton);
    QTest::mouseClick(dock.restartButton(), Qt::LeftButton);
    QCOMPARE(set.calls, (QStringList{"drain 2", "restart 2"}));

    // A draining replica cannot be drained or restarted again.
    dock.view()->selectRow(2);
    QVERIFY(!dock.drainButton()->isEnabled());
    QVERIFY(!dock.restartButton()->isEnabled());

    emit set.event(QStringLiteral("replica 3 draining"));
    QCOMPARE(dock.eventLabel()->text(), "replica 3 draining");

    QVERIFY(saveSnapshot(&dock, QStringLiteral("replicas-dock.png")));
}

// CPU and RSS of a real child process: a busy loop uses CPU, every process
// has resident memory; a replica without a process (a Kubernetes pod) and a
// process that has exited show "–".
void TestReplicasDock::processColumns()
{
    QProcess busy;
    busy.start(QStringLiteral("/bin/sh"),
               {QStringLiteral("-c"), QStringLiteral("while :; do :; done")});
    QVERIFY(busy.waitForStarted(5000));
    ReplicaInfo local = replica("1", ReplicaState::Ready);
    local.pid = busy.processId();
    ScriptedReplicaSet set;
    set.list = {local, replica("2", ReplicaState::Ready)};
    set.list[1].pid = 0; // not a local process

    ReplicasDock dock;
    ReplicaTableModel& model = *dock.model();
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    dock.setReplicaSet(&set); // samples at once: memory now, CPU from the next sample
    QCOMPARE(model.headerData(ReplicaTableModel::CpuColumn, Qt::Horizontal).toString(), "CPU");
    QCOMPARE(model.headerData(ReplicaTableModel::RssColumn, Qt::Horizontal).toString(), "RSS");
    const QModelIndex cpu = model.index(0, ReplicaTableModel::CpuColumn);
    const QModelIndex rss = model.index(0, ReplicaTableModel::RssColumn);
    QVERIFY(cpu.data(ReplicaTableModel::ResidentBytesRole).toDouble() > 0);
    QVERIFY2(rss.data().toString().endsWith("iB"), qPrintable(rss.data().toString()));
    QCOMPARE(cpu.data(ReplicaTableModel::CpuPercentRole).toDouble(), -1.0);
    QCOMPARE(cpu.data().toString(), "–");
    // The dock's timer samples once a second.
    QTRY_VERIFY_WITH_TIMEOUT(cpu.data(ReplicaTableModel::CpuPercentRole).toDouble() > 0, 5000);
    QVERIFY2(cpu.data().toString().endsWith(" %"), qPrintable(cpu.data().toString()));
    // A busy loop is one thread: at most one core, with room for clock-tick rounding.
    QVERIFY(cpu.data(ReplicaTableModel::CpuPercentRole).toDouble() <= 120);
    for (int column : {ReplicaTableModel::CpuColumn, ReplicaTableModel::RssColumn})
        QCOMPARE(model.index(1, column).data().toString(), "–");
    QCOMPARE(model.index(1, 0).data(ReplicaTableModel::ResidentBytesRole).toDouble(), -1.0);

    dock.resize(760, 200);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    QVERIFY(saveSnapshot(&dock, QStringLiteral("replicas-dock-usage.png")));

    // The process exits: the pid is dead (then reaped), its figures go.
    busy.kill();
    QVERIFY(busy.waitForFinished(5000));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.sampleProcesses();
    QCOMPARE(cpu.data().toString(), "–");
    QCOMPARE(rss.data().toString(), "–");
    QCOMPARE(rss.data(ReplicaTableModel::ResidentBytesRole).toDouble(), -1.0);
    QVERIFY(!changed.isEmpty());
}

void TestReplicasDock::logsViewer()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("replica-1.log"));
    QFile file(log);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("first line\n");
    file.write(QByteArray(300 * 1024, 'x') + '\n');
    file.write("[service] ready on 127.0.0.1:8101\n");
    file.close();
    const QString tail = ReplicasDock::readLogTail(log);
    QVERIFY(!tail.contains("first line"));
    QVERIFY(tail.endsWith("ready on 127.0.0.1:8101\n"));
    QVERIFY(ReplicasDock::readLogTail(dir.filePath("missing.log")).contains("missing.log"));

    ScriptedReplicaSet set;
    set.list = {replica("1", ReplicaState::Ready)};
    ReplicasDock dock;
    dock.setReplicaSet(&set);
    dock.setLogPathResolver(
        [&](const QString& id) { return id == QLatin1String("1") ? log : QString(); });
    dock.view()->selectRow(0);
    QVERIFY(dock.logsButton()->isEnabled());
    QSignalSpy shown(&dock, &ReplicasDock::logsShown);
    QTest::mouseClick(dock.logsButton(), Qt::LeftButton);
    QCOMPARE(shown.count(), 1);
    auto* viewer = qobject_cast<QDialog*>(shown.first().first().value<QWidget*>());
    QVERIFY(viewer);
    QVERIFY(viewer->windowTitle().contains(QLatin1String("Replica 1")));
    viewer->close();
}

QTEST_MAIN(TestReplicasDock)
#include "tst_replicasdock.moc"
