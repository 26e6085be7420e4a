#include "AlertTestData.h"
#include "models/AlertFilterModel.h"
#include "models/AlertHistoryModel.h"
#include "models/AlertListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace querydeck;
using namespace querydeck::testing;

namespace {

constexpr qint64 kNow = 1'700'000'000'000;

QStringList keys(const QAbstractItemModel& model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data(AlertListModel::KeyRole).toString();
    return out;
}

QList<AlertInstance> snapshot()
{
    return {
        makeInstance("ReplicaDown", AlertSeverity::Warning, AlertState::Normal, kNow - 60000, 1,
                     "r1"),
        makeInstance("ReplicaDown", AlertSeverity::Warning, AlertState::Firing, kNow - 120000, 0,
                     "r2"),
        makeInstance("HighErrorRate", AlertSeverity::Critical, AlertState::Firing, kNow - 30000,
                     0.2),
        makeInstance("CacheHitRate", AlertSeverity::Info, AlertState::Pending, kNow - 5000, 0.3)};
}

AlertHistoryEntry entry(const QString& rule, qint64 t, AlertState from, AlertState to)
{
    AlertHistoryEntry e;
    e.ruleName = rule;
    e.transition.t = t;
    e.transition.from = from;
    e.transition.to = to;
    e.transition.value = 1.5;
    return e;
}

} // namespace

class TstAlertModels : public QObject
{
    Q_OBJECT

private slots:
    void listInsertsUpdatesAndRemovesByKey();
    void listEmitsExactRoles();
    void listIsBounded();
    void relativeTime_data();
    void relativeTime();
    void filterByTextSeverityStateFiringFirst();
    void historyRingNewestFirst();
};

void TstAlertModels::listInsertsUpdatesAndRemovesByKey()
{
    AlertListModel model;
    model.setClock([] { return kNow; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setAlerts(snapshot());
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.columnCount(), int(AlertListModel::ColumnCount));
    const int r2 = model.rowOf(QStringLiteral("ReplicaDown{instance=\"r2\"}"));
    QVERIFY(r2 >= 0);
    QCOMPARE(model.index(r2, AlertListModel::StateColumn).data().toString(),
             QStringLiteral("firing"));
    QCOMPARE(model.index(r2, AlertListModel::SinceColumn).data().toString(),
             QStringLiteral("2m ago"));
    QCOMPARE(model.index(r2, AlertListModel::LabelsColumn).data().toString(),
             QStringLiteral("instance=\"r2\""));
    QCOMPARE(model.index(r2, AlertListModel::SeverityColumn).data().toString(),
             QStringLiteral("warning"));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QList<AlertInstance> next = snapshot();
    next.removeAt(0); // r1 vanished
    next << makeInstance("DiskFree", AlertSeverity::Critical, AlertState::Firing, kNow, 5);
    model.setAlerts(next);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowOf(QStringLiteral("ReplicaDown{instance=\"r1\"}")), -1);
    QVERIFY(model.rowOf(QStringLiteral("DiskFree{}")) >= 0);
    model.setAlerts({});
    QCOMPARE(model.rowCount(), 0);
}

void TstAlertModels::listEmitsExactRoles()
{
    AlertListModel model;
    model.setClock([] { return kNow; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setAlerts(snapshot());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // The same snapshot again: nothing changes, nothing is emitted.
    model.setAlerts(snapshot());
    QCOMPARE(changed.size(), 0);

    // Only the value moves: the value cell, display and value roles.
    QList<AlertInstance> next = snapshot();
    next[2].status.value = 0.25;
    model.setAlerts(next);
    QCOMPARE(changed.size(), 1);
    const int row = model.rowOf(next[2].key());
    auto args = changed.takeFirst();
    const auto roles = args.at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::DisplayRole));
    QVERIFY(roles.contains(AlertListModel::ValueRole));
    QVERIFY(!roles.contains(AlertListModel::StateRole));
    QCOMPARE(args.at(0).toModelIndex().row(), row);
    QCOMPARE(model.index(row, AlertListModel::ValueColumn).data().toString(),
             QStringLiteral("0.25"));

    // The state changes: state roles with it.
    next[3].status.state = AlertState::Firing;
    next[3].status.stateSinceMs = kNow;
    model.setAlerts(next);
    QCOMPARE(changed.size(), 1);
    const auto stateRoles = changed.takeFirst().at(2).value<QList<int>>();
    QVERIFY(stateRoles.contains(AlertListModel::StateRole));
    QVERIFY(stateRoles.contains(AlertListModel::SinceRole));

    // The clock moves: only the since column's display.
    model.refreshRelativeTimes();
    QCOMPARE(changed.size(), 1);
    args = changed.takeFirst();
    QCOMPARE(args.at(0).toModelIndex().column(), int(AlertListModel::SinceColumn));
    QCOMPARE(args.at(1).toModelIndex().column(), int(AlertListModel::SinceColumn));
    QCOMPARE(args.at(2).value<QList<int>>(), QList<int>{Qt::DisplayRole});
}

void TstAlertModels::listIsBounded()
{
    AlertListModel model(3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QList<AlertInstance> many;
    for (int i = 0; i < 10; ++i)
        many << makeInstance("ReplicaDown", AlertSeverity::Warning, AlertState::Firing, kNow, 0,
                             QStringLiteral("r%1").arg(i));
    model.setAlerts(many);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.droppedCount(), 7);
}

void TstAlertModels::relativeTime_data()
{
    QTest::addColumn<qint64>("ago");
    QTest::addColumn<QString>("text");
    QTest::newRow("now") << qint64(200) << "just now";
    QTest::newRow("seconds") << qint64(42000) << "42s ago";
    QTest::newRow("minutes") << qint64(200000) << "3m20s ago";
    QTest::newRow("hours drop seconds") << qint64(2 * 3600000 + 13 * 60000 + 7000) << "2h13m ago";
    QTest::newRow("future clamps") << qint64(-5000) << "just now";
}

void TstAlertModels::relativeTime()
{
    QFETCH(qint64, ago);
    QFETCH(QString, text);
    QCOMPARE(AlertListModel::relativeTime(kNow - ago, kNow), text);
    QCOMPARE(AlertListModel::relativeTime(0, kNow), QStringLiteral("–"));
}

void TstAlertModels::filterByTextSeverityStateFiringFirst()
{
    AlertListModel model;
    AlertFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setAlerts(snapshot());
    // Firing first, critical before warning, then pending, then normal.
    QCOMPARE(keys(filter), QStringList({"HighErrorRate{}", "ReplicaDown{instance=\"r2\"}",
                                        "CacheHitRate{}", "ReplicaDown{instance=\"r1\"}"}));
    filter.setText(QStringLiteral("replica"));
    QCOMPARE(filter.rowCount(), 2);
    filter.setText(QStringLiteral("r1")); // matches labels
    QCOMPARE(keys(filter), QStringList({"ReplicaDown{instance=\"r1\"}"}));
    filter.setText({});
    filter.setSeverity(AlertSeverity::Critical);
    QCOMPARE(keys(filter), QStringList({"HighErrorRate{}"}));
    filter.setSeverity(std::nullopt);
    filter.setState(AlertState::Firing);
    QCOMPARE(filter.rowCount(), 2);
    filter.setState(AlertState::Pending);
    QCOMPARE(keys(filter), QStringList({"CacheHitRate{}"}));
    filter.setState(std::nullopt);

    // A live update re-sorts: the pending rule starts firing (critical now on top stays).
    QList<AlertInstance> next = snapshot();
    next[3].status.state = AlertState::Firing;
    next[3].severity = AlertSeverity::Critical;
    next[3].status.stateSinceMs = kNow - 100000;
    model.setAlerts(next);
    QCOMPARE(keys(filter).first(), QStringLiteral("CacheHitRate{}"));
}

void TstAlertModels::historyRingNewestFirst()
{
    AlertHistoryModel model(3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.append(entry("A", 1000, AlertState::Normal, AlertState::Pending));
    model.append(entry("A", 2000, AlertState::Pending, AlertState::Firing));
    model.append(entry("B", 3000, AlertState::Normal, AlertState::Firing));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, AlertHistoryModel::RuleColumn).data().toString(), QStringLiteral("B"));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.append(entry("A", 4000, AlertState::Firing, AlertState::Normal));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 2); // the oldest, at the bottom
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, AlertHistoryModel::TimeColumn)
                 .data(AlertHistoryModel::TimeRole)
                 .toLongLong(),
             4000);
    QCOMPARE(model.index(0, AlertHistoryModel::TransitionColumn).data().toString(),
             QStringLiteral("firing → normal"));
    const auto ofA = model.entriesOf(QStringLiteral("A"));
    QCOMPARE(ofA.size(), 2);
    QCOMPARE(ofA.first().transition.t, 2000); // oldest first
    model.setEntries({entry("C", 5000, AlertState::Normal, AlertState::Firing)});
    QCOMPARE(model.rowCount(), 1);
}

QTEST_MAIN(TstAlertModels)
#include "tst_alertmodels.moc"
