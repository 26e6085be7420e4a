// RedisTopologyModel over topologies as TopologyDiscovery builds them: row
// order (master, replicas, sentinels), the cells of each kind, unknown
// figures as "–", health, updates in place for the same servers and a reset
// when the servers change; checked by QAbstractItemModelTester throughout.
#include "RedisTopologyData.h"
#include "models/RedisTopologyModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace querydeck;
using Kind = RedisTopologyModel::Kind;

namespace {

RedisNodeState node(const QString& address, const QString& role)
{
    RedisNodeState n = test::reachableNode(address, role);
    n.usedMemoryBytes = 3 * 1024 * 1024;
    n.connectedClients = 7;
    return n;
}

RedisTopology sentinelTopology()
{
    RedisNodeState up = node(QStringLiteral("10.0.0.2:6379"), QStringLiteral("slave"));
    up.linkStatus = QStringLiteral("up");
    up.lagBytes = 512;
    up.lagSeconds = 1;
    up.priority = 100;
    RedisNodeState down = node(QStringLiteral("10.0.0.3:6379"), QStringLiteral("slave"));
    down.linkStatus = QStringLiteral("down");
    down.sentinelFlags = {QStringLiteral("slave"), QStringLiteral("s_down")};
    RedisTopology t = test::sentinelTopologyOf(
        QStringLiteral("qdmaster"), 2,
        node(QStringLiteral("10.0.0.1:6379"), QStringLiteral("master")), {up, down});
    t.sentinels = {
        {QStringLiteral("10.0.0.1:26379"), true, {}, true, QStringLiteral("OK 3 usable Sentinels")},
        {QStringLiteral("10.0.0.2:26379"), true, {}, false, QStringLiteral("NOQUORUM 1 usable")},
        {QStringLiteral("10.0.0.3:26379"), false, QStringLiteral("cannot connect"), false, {}}};
    return t;
}

QString cell(const RedisTopologyModel& model, int row, int column)
{
    return model.index(row, column).data().toString();
}

} // namespace

class RedisTopologyModelTest : public QObject
{
    Q_OBJECT

private slots:
    void rows()
    {
        RedisTopologyModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTopology(sentinelTopology());
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.columnCount(), int(RedisTopologyModel::ColumnCount));
        QCOMPARE(model.rowOf(Kind::Master, QStringLiteral("10.0.0.1:6379")), 0);
        QCOMPARE(model.rowOf(Kind::Sentinel, QStringLiteral("10.0.0.1:26379")), 3);
        QCOMPARE(model.rowOf(Kind::Replica, QStringLiteral("10.0.0.1:26379")), -1);

        QCOMPARE(cell(model, 0, RedisTopologyModel::ServerColumn), QStringLiteral("Master"));
        QCOMPARE(cell(model, 0, RedisTopologyModel::StateColumn), QStringLiteral("master"));
        QCOMPARE(cell(model, 0, RedisTopologyModel::MemoryColumn), QStringLiteral("3 MiB"));
        QCOMPARE(cell(model, 0, RedisTopologyModel::ClientsColumn), QStringLiteral("7"));
        QCOMPARE(cell(model, 0, RedisTopologyModel::LagBytesColumn), QString());
        QCOMPARE(cell(model, 0, RedisTopologyModel::DetailsColumn),
                 QStringLiteral("qdmaster · offset 1000"));

        QCOMPARE(cell(model, 1, RedisTopologyModel::StateColumn), QStringLiteral("link up"));
        QCOMPARE(cell(model, 1, RedisTopologyModel::LagBytesColumn), QStringLiteral("512 B"));
        QCOMPARE(cell(model, 1, RedisTopologyModel::LagSecondsColumn), QStringLiteral("1 s"));
        QVERIFY(model.index(1, 0).data(RedisTopologyModel::HealthyRole).toBool());
        QCOMPARE(model.index(1, 0).data(RedisTopologyModel::LagBytesRole).toLongLong(), 512);

        QCOMPARE(cell(model, 2, RedisTopologyModel::StateColumn), QStringLiteral("link down"));
        QCOMPARE(cell(model, 2, RedisTopologyModel::LagBytesColumn), QStringLiteral("–"));
        QVERIFY(cell(model, 2, RedisTopologyModel::DetailsColumn).contains("s_down"));
        QVERIFY(!model.index(2, 0).data(RedisTopologyModel::HealthyRole).toBool());

        QCOMPARE(cell(model, 3, RedisTopologyModel::StateColumn), QStringLiteral("quorum ok"));
        QCOMPARE(cell(model, 3, RedisTopologyModel::DetailsColumn),
                 QStringLiteral("OK 3 usable Sentinels"));
        QCOMPARE(cell(model, 3, RedisTopologyModel::MemoryColumn), QString());
        QCOMPARE(cell(model, 4, RedisTopologyModel::StateColumn), QStringLiteral("no quorum"));
        QCOMPARE(cell(model, 5, RedisTopologyModel::StateColumn), QStringLiteral("unreachable"));
        QCOMPARE(cell(model, 5, RedisTopologyModel::DetailsColumn),
                 QStringLiteral("cannot connect"));
        QCOMPARE(model.headerData(RedisTopologyModel::LagBytesColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Lag"));
    }

    void unreachableAndAuth()
    {
        RedisTopologyModel model;
        RedisTopology t;
        t.kind = RedisTopology::Kind::Direct;
        t.master.address = QStringLiteral("h:1");
        t.master.error = QStringLiteral("closed: AUTH at h:1 refused: WRONGPASS invalid");
        model.setTopology(t);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(model, 0, RedisTopologyModel::StateColumn),
                 QStringLiteral("authentication failed"));
        QCOMPARE(cell(model, 0, RedisTopologyModel::MemoryColumn), QStringLiteral("–"));
        t.master.error = QStringLiteral("cannot connect to h:1: Connection refused");
        model.setTopology(t);
        QCOMPARE(cell(model, 0, RedisTopologyModel::StateColumn), QStringLiteral("unreachable"));
        model.setTopology(RedisTopology{}); // no master found: no rows
        QCOMPARE(model.rowCount(), 0);
    }

    void updatesInPlace()
    {
        RedisTopologyModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        RedisTopology t = sentinelTopology();
        model.setTopology(t);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setTopology(t);
        QCOMPARE(changes.size(), 0); // nothing moved
        t.replicas[0].lagBytes = 4096;
        model.setTopology(t);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().at(0).toModelIndex().row(), 1);
        QCOMPARE(cell(model, 1, RedisTopologyModel::LagBytesColumn), QStringLiteral("4096 B"));

        t.replicas.removeLast(); // a replica went away: different servers
        model.setTopology(t);
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowCount(), 5);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(RedisTopologyModelTest)
#include "tst_redistopologymodel.moc"
