// RedisInfo::parse over INFO replies recorded from Redis 7.0 and hand-trimmed
// 5.0/6.2 replies, plus malformed, truncated and hostile ones: every figure
// is compared with the value read off the file by hand, and every bad line
// must be named in problems while the good lines around it are kept.
#include "backend/redis/RedisInfo.h"

#include <QFile>
#include <QTest>

using namespace querydeck;

Q_DECLARE_METATYPE(QList<qint64>)

namespace {

constexpr qint64 kAbsent = -1;

qint64 orAbsent(const std::optional<qint64>& value)
{
    return value ? *value : kAbsent;
}

QByteArray readData(const QString& name)
{
    QFile file(QStringLiteral(QUERYDECK_TEST_DATA "/redis-info/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace

class RedisInfoTest : public QObject
{
    Q_OBJECT

private slots:
    void recorded_data();
    void recorded();
    void problems_data();
    void problems();
    void emptyAndOversized();
    void lineEndings();
};

void RedisInfoTest::recorded_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("role");
    // used, rss, maxmemory, hits, misses, evicted, expired, clients, master_repl_offset
    QTest::addColumn<QList<qint64>>("figures");
    QTest::addColumn<double>("fragmentation");
    QTest::addColumn<QList<qint64>>("replicaLagBytes");
    QTest::addColumn<QList<qint64>>("replicaLagSeconds");
    QTest::addColumn<qint64>("totalKeys");
    QTest::addColumn<int>("databases");
    QTest::addColumn<QString>("linkStatus");

    QTest::newRow("7.0 standalone")
        << "redis-7.0-standalone.txt"
        << "7.0.15"
        << "master" << QList<qint64>{1040536, 12197888, 0, 1, 1, 0, 0, 1, 0} << 12.19
        << QList<qint64>{} << QList<qint64>{} << qint64(3) << 2 << QString();
    QTest::newRow("7.0 master with 2 replicas")
        << "redis-7.0-master-2-replicas.txt"
        << "7.0.15"
        << "master" << QList<qint64>{1131416, 7184384, 0, 1, 0, 0, 0, 1, 78} << 6.59
        << QList<qint64>{0, 0} << QList<qint64>{1, 1} << qint64(2) << 1 << QString();
    QTest::newRow("7.0 replica") << "redis-7.0-replica.txt"
                                 << "7.0.15"
                                 << "slave" << QList<qint64>{919800, 6881280, 0, 0, 0, 0, 0, 2, 78}
                                 << 7.83 << QList<qint64>{} << QList<qint64>{} << qint64(2) << 1
                                 << "up";
    QTest::newRow("5.0 master, lagging replica")
        << "redis-5.0-master-trimmed.txt"
        << "5.0.14"
        << "master"
        << QList<qint64>{52428800, 62914560, 268435456, 9000, 1000, 25, 1500, 42, 123456} << 1.2
        << QList<qint64>{56} << QList<qint64>{1} << qint64(1024) << 2 << QString();
    QTest::newRow("6.2 replica, link down, empty keyspace")
        << "redis-6.2-replica-link-down.txt"
        << "6.2.14"
        << "slave" << QList<qint64>{2048000, 4096000, 0, 0, 0, 0, 0, 3, 0} << 2.0 << QList<qint64>{}
        << QList<qint64>{} << qint64(0) << 0 << "down";
}

void RedisInfoTest::recorded()
{
    QFETCH(QString, file);
    QFETCH(QString, version);
    QFETCH(QString, role);
    QFETCH(QList<qint64>, figures);
    QFETCH(double, fragmentation);
    QFETCH(QList<qint64>, replicaLagBytes);
    QFETCH(QList<qint64>, replicaLagSeconds);
    QFETCH(qint64, totalKeys);
    QFETCH(int, databases);
    QFETCH(QString, linkStatus);

    const QByteArray reply = readData(file);
    QVERIFY2(!reply.isEmpty(), qPrintable(file));
    const RedisInfo info = RedisInfo::parse(reply);
    QVERIFY2(info.problems.isEmpty(), qPrintable(info.problems.join(QLatin1Char('\n'))));
    QCOMPARE(info.version, version);
    QCOMPARE(info.role, role);
    const QList<qint64> read{orAbsent(info.usedMemoryBytes), orAbsent(info.usedMemoryRssBytes),
                             orAbsent(info.maxMemoryBytes),  orAbsent(info.keyspaceHits),
                             orAbsent(info.keyspaceMisses),  orAbsent(info.evictedKeys),
                             orAbsent(info.expiredKeys),     orAbsent(info.connectedClients),
                             orAbsent(info.masterReplOffset)};
    QCOMPARE(read, figures);
    QVERIFY(info.fragmentationRatio.has_value());
    QCOMPARE(*info.fragmentationRatio, fragmentation);
    QList<qint64> lagBytes, lagSeconds;
    for (const RedisReplicaLink& link : info.replicas) {
        lagBytes.append(link.lagBytes);
        lagSeconds.append(link.lagSeconds);
        QCOMPARE(link.state, QStringLiteral("online"));
        QVERIFY(link.port > 0);
    }
    QCOMPARE(lagBytes, replicaLagBytes);
    QCOMPARE(lagSeconds, replicaLagSeconds);
    QCOMPARE(info.totalKeys(), totalKeys);
    QCOMPARE(info.databases.size(), databases);
    QCOMPARE(info.masterLinkStatus, linkStatus);
}

void RedisInfoTest::problems_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expectedProblems"); // substrings, one problem each
    QTest::addColumn<qint64>("maxMemory");             // a good line among bad ones
    QTest::addColumn<qint64>("clients");
    QTest::addColumn<qint64>("evicted");
    QTest::addColumn<qint64>("totalKeys");

    QTest::newRow("malformed") << "malformed.txt"
                               << QStringList{"line 3: not key:value: \"this line has no colon\"",
                                              "line 4: not key:value",
                                              "line 5 (used_memory): not an integer: \"lots\"",
                                              "line 6 (used_memory_rss): negative count -5",
                                              "line 8 (mem_fragmentation_ratio): not a ratio",
                                              "line 10 (role): unknown role \"primary\"",
                                              "line 12 (keyspace_hits): repeated",
                                              "line 13 (slave0): not a port: \"99999\"",
                                              "line 14 (slave1): replica line without ip=",
                                              "line 15 (db0): database line without keys=",
                                              "line 16 (db2): not an integer: \"x\""}
                               << qint64(1073741824) << qint64(7) << kAbsent << qint64(5);
    QTest::newRow("truncated mid-line")
        << "truncated.txt" << QStringList{"line 11: not key:value: \"maxme\""} << kAbsent
        << qint64(5) << kAbsent << qint64(0);
    QTest::newRow("hostile: NUL, 100 KB line, bad UTF-8, overflow")
        << "hostile.bin"
        << QStringList{"line 2: not key:value", "line 3 (used_memory): not an integer",
                       "line 4: longer than 65536 bytes, skipped",
                       "line 5 (connected_clients): not an integer: \"99999999999999999999999\""}
        << kAbsent << kAbsent << qint64(3) << qint64(2);
}

void RedisInfoTest::problems()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expectedProblems);
    QFETCH(qint64, maxMemory);
    QFETCH(qint64, clients);
    QFETCH(qint64, evicted);
    QFETCH(qint64, totalKeys);

    const QByteArray reply = readData(file);
    QVERIFY2(!reply.isEmpty(), qPrintable(file));
    const RedisInfo info = RedisInfo::parse(reply);
    const QString all = info.problems.join(QLatin1Char('\n'));
    QCOMPARE(info.problems.size(), expectedProblems.size());
    for (int i = 0; i < expectedProblems.size(); ++i)
        QVERIFY2(
            info.problems.at(i).contains(expectedProblems.at(i)),
            qPrintable(QStringLiteral("want \"%1\" in:\n%2").arg(expectedProblems.at(i), all)));
    QCOMPARE(orAbsent(info.maxMemoryBytes), maxMemory);
    QCOMPARE(orAbsent(info.connectedClients), clients);
    QCOMPARE(orAbsent(info.evictedKeys), evicted);
    QCOMPARE(info.totalKeys(), totalKeys);
}

void RedisInfoTest::emptyAndOversized()
{
    QCOMPARE(RedisInfo::parse(QByteArray()).problems, QStringList{"empty INFO reply"});
    QCOMPARE(RedisInfo::parse(QByteArray("\r\n  \r\n")).problems, QStringList{"empty INFO reply"});
    QCOMPARE(RedisInfo::parse(QByteArray("# Server\r\n# Clients\r\n")).problems,
             QStringList{"no key:value line in the INFO reply"});

    // A reply over the cap is read up to it; the figures before the cap survive.
    QByteArray huge("used_memory:4096\r\n");
    const QByteArray filler("x_filler:0123456789012345678901234567890123456789\r\n");
    while (huge.size() <= RedisInfo::kMaxReplyBytes)
        huge += filler;
    huge += "evicted_keys:9\r\n";
    const RedisInfo info = RedisInfo::parse(huge);
    QCOMPARE(orAbsent(info.usedMemoryBytes), qint64(4096));
    QCOMPARE(orAbsent(info.evictedKeys), kAbsent);
    QVERIFY(!info.problems.isEmpty());
    QVERIFY2(info.problems.first().startsWith(QStringLiteral("INFO reply of ")),
             qPrintable(info.problems.first()));
}

void RedisInfoTest::lineEndings()
{
    // The same reply with LF only (as redis-cli shows it) reads the same.
    const QByteArray crlf = readData(QStringLiteral("redis-5.0-master-trimmed.txt"));
    QByteArray lf = crlf;
    lf.replace("\r\n", "\n");
    QVERIFY(lf.size() < crlf.size());
    const RedisInfo a = RedisInfo::parse(crlf);
    const RedisInfo b = RedisInfo::parse(lf);
    QCOMPARE(b.fields, a.fields);
    QCOMPARE(b.replicas.size(), 1);
    QCOMPARE(b.replicas.first().ip, QStringLiteral("10.0.0.2"));
    QCOMPARE(b.replicas.first().port, 6380);
}

QTEST_GUILESS_MAIN(RedisInfoTest)
#include "tst_redisinfo.moc"
