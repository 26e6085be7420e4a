// ClusterNodes::parse over CLUSTER NODES replies recorded from a real Redis
// 7.0 cluster (fresh, and after a manual failover with one master killed), a
// hand-written 7.2 reply with hostnames and slot migrations, and a file of
// malformed lines: each bad line must be named with its number and reason.
#include "backend/redis/ClusterNodes.h"

#include <QFile>
#include <QTest>

using namespace querydeck;

namespace {

QByteArray readData(const QString& name)
{
    QFile file(QStringLiteral(QUERYDECK_TEST_DATA "/cluster-nodes/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class ClusterNodesTest : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void emptyAndOversized();
    void keySlot();
};

void ClusterNodesTest::parse_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("masters");  // "address slots", in reply order
    QTest::addColumn<QStringList>("replicas"); // "replica -> master"
    QTest::addColumn<QStringList>("failing");
    QTest::addColumn<QString>("myself");
    QTest::addColumn<QStringList>("problems"); // substrings, in order

    QTest::newRow("7.0 fresh 3+3")
        << "redis-7.0-3-masters-3-replicas.txt"
        << QStringList{"127.0.0.1:27402 5462", "127.0.0.1:27403 5461", "127.0.0.1:27401 5461"}
        << QStringList{"127.0.0.1:27406 -> 127.0.0.1:27402", "127.0.0.1:27405 -> 127.0.0.1:27401",
                       "127.0.0.1:27404 -> 127.0.0.1:27403"}
        << QStringList{} << "127.0.0.1:27401" << QStringList{};
    QTest::newRow("7.0 after manual failover, one master failed")
        << "redis-7.0-after-failover-one-master-failed.txt"
        << QStringList{"127.0.0.1:27405 5461", "127.0.0.1:27403 0", "127.0.0.1:27404 5461",
                       "127.0.0.1:27402 5462"}
        << QStringList{"127.0.0.1:27406 -> 127.0.0.1:27402", "127.0.0.1:27401 -> 127.0.0.1:27405"}
        << QStringList{"127.0.0.1:27403"} << "127.0.0.1:27402" << QStringList{};
    QTest::newRow("7.2 hostnames and migrations")
        << "redis-7.2-hostnames-migrating.txt"
        << QStringList{"10.0.0.2:30002 5462", "10.0.0.3:30003 5461", "10.0.0.4:30001 5462"}
        << QStringList{"10.0.0.1:30004 -> 10.0.0.4:30001"} << QStringList{} << "10.0.0.4:30001"
        << QStringList{};
    QTest::newRow("malformed") << "malformed.txt" << QStringList{"127.0.0.1:27401 5461"}
                               << QStringList{"127.0.0.1:27404 -> 127.0.0.1:27401",
                                              "127.0.0.1:27405 -> ?"}
                               << QStringList{} << "127.0.0.1:27401"
                               << QStringList{
                                      "line 2: 4 fields, at least 8 expected",
                                      "line 3: node id \"XYZ3b6182",
                                      "line 4: address \"127.0.0.1\" has no port",
                                      "line 5: unknown flag \"wizard\"",
                                      "line 6: bad slot range \"10000-99999\"",
                                      "line 7: link state \"sleepy\"",
                                      "line 8: replica without a master id",
                                      "line 10: node 5d731790 listed twice",
                                      "line 12: bad cluster bus port",
                                      "replica 127.0.0.1:27405 follows unknown master aaaa6182"};
}

void ClusterNodesTest::parse()
{
    QFETCH(QString, file);
    QFETCH(QStringList, masters);
    QFETCH(QStringList, replicas);
    QFETCH(QStringList, failing);
    QFETCH(QString, myself);
    QFETCH(QStringList, problems);

    const QByteArray reply = readData(file);
    QVERIFY2(!reply.isEmpty(), qPrintable(file));
    const ClusterNodes parsed = ClusterNodes::parse(reply);
    QStringList gotMasters, gotReplicas, gotFailing;
    QString gotMyself;
    for (const ClusterNode& node : parsed.nodes) {
        if (node.isMaster())
            gotMasters << QStringLiteral("%1 %2").arg(node.address()).arg(node.slotCount());
        if (node.isReplica()) {
            const ClusterNode* master = parsed.byId(node.masterId);
            gotReplicas << QStringLiteral("%1 -> %2")
                               .arg(node.address(),
                                    master ? master->address() : QStringLiteral("?"));
        }
        if (node.isFailing())
            gotFailing << node.address();
        if (node.isMyself())
            gotMyself = node.address();
        QVERIFY(node.busPort > 0);
    }
    QCOMPARE(gotMasters, masters);
    QCOMPARE(gotReplicas, replicas);
    QCOMPARE(gotFailing, failing);
    QCOMPARE(gotMyself, myself);
    const QString all = parsed.problems.join(QLatin1Char('\n'));
    QCOMPARE(parsed.problems.size(), problems.size());
    for (int i = 0; i < problems.size(); ++i)
        QVERIFY2(parsed.problems.at(i).contains(problems.at(i)),
                 qPrintable(QStringLiteral("want \"%1\" in:\n%2").arg(problems.at(i), all)));
}

void ClusterNodesTest::emptyAndOversized()
{
    QCOMPARE(ClusterNodes::parse("").problems, QStringList{"empty CLUSTER NODES reply"});
    const QByteArray huge(ClusterNodes::kMaxReplyBytes + 1, 'a');
    const ClusterNodes parsed = ClusterNodes::parse(huge);
    QVERIFY(parsed.nodes.isEmpty());
    QVERIFY(parsed.problems.first().contains("over the"));
    // A single line of 40 hex digits then garbage is refused, not half-read.
    QVERIFY(ClusterNodes::parse(QByteArray(40, 'a') + " \x01\x02").nodes.isEmpty());
}

void ClusterNodesTest::keySlot()
{
    // Values from the Redis Cluster specification and `CLUSTER KEYSLOT`.
    QCOMPARE(ClusterNodes::keySlot("123456789"), 0x31C3 % 16384);
    QCOMPARE(ClusterNodes::keySlot("foo"), 12182);
    QCOMPARE(ClusterNodes::keySlot("somekey"), 11058);
    QCOMPARE(ClusterNodes::keySlot("{user1000}.following"), ClusterNodes::keySlot("user1000"));
    QCOMPARE(ClusterNodes::keySlot(""), 0);
}

QTEST_GUILESS_MAIN(ClusterNodesTest)
#include "tst_clusternodes.moc"
