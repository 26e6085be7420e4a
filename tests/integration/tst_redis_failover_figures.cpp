// The Cache row through a real Sentinel failover (a master, one replica,
// three sentinels on loopback): the console's Redis figures are the current
// master's, compared with the servers' own DBSIZE and INFO, and follow the new
// master as soon as the source samples it — the old master's series end at
// once (staleness markers) instead of being added for the 5-minute look-back.
// Every published series is labelled with the role INFO gave.
#include "RedisTopologyFixture.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/metrics/Expression.h"
#include "backend/redis/RedisAddress.h"
#include "backend/redis/RedisInfo.h"
#include "backend/sources/RedisInfoSource.h"
#include "backend/telemetry/TelemetryEngine.h"

#include <QDateTime>
#include <QTest>

using namespace querydeck;
using querydeck::test::RedisTopologyFixture;

namespace {

// The Cache row's Redis expression of the bundled default dashboard that
// contains `part`.
QString cacheRowExpression(const QString& part)
{
    for (const RowDefinition& row : DashboardLoader::defaultDashboard().rows) {
        if (row.title != QLatin1String("Cache"))
            continue;
        for (const PanelDefinition& panel : row.panels)
            for (const PanelTarget& target : panel.targets)
                if (target.expr.contains(part))
                    return target.expr;
    }
    return {};
}

std::vector<std::pair<SeriesKey, double>> evaluate(const TimeSeriesStore& store,
                                                   const QString& text)
{
    const Expression expression = Expression::parse(text);
    if (!expression.isValid())
        return {};
    return expression.instant(store, QDateTime::currentMSecsSinceEpoch());
}

// The one value an aggregated expression gives now, -1 when not exactly one.
double single(const TimeSeriesStore& store, const QString& text)
{
    const auto values = evaluate(store, text);
    return values.size() == 1 ? values.front().second : -1;
}

qint64 dbsize(quint16 port)
{
    return RedisTopologyFixture::cli(port, {"DBSIZE"}).toLongLong();
}

// What the store's current series of a metric say, for failure messages.
QString describe(const TimeSeriesStore& store, const QString& selector)
{
    QStringList out;
    for (const auto& [key, v] : evaluate(store, selector))
        out << QStringLiteral("%1=%2").arg(key.toString()).arg(v);
    return out.join(QStringLiteral(", "));
}

} // namespace

class RedisFailoverFiguresTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cacheRowFollowsTheNewMaster();

private:
    RedisTopologyFixture m_redis;
};

void RedisFailoverFiguresTest::initTestCase()
{
    qRegisterMetaType<QList<SourceStatus>>();
    const QString error = m_redis.startSentinelTopology(1, 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void RedisFailoverFiguresTest::cleanupTestCase()
{
    m_redis.stop();
}

void RedisFailoverFiguresTest::cacheRowFollowsTheNewMaster()
{
    const QString keysExpr = cacheRowExpression(QStringLiteral("redis_keys{"));
    const QString memoryExpr = cacheRowExpression(QStringLiteral("redis_used_memory"));
    QVERIFY(!keysExpr.isEmpty() && !memoryExpr.isEmpty());

    const quint16 oldMaster = m_redis.masterPort();
    const quint16 replica = m_redis.replicaPorts().first();
    for (int i = 0; i < 40; ++i)
        QCOMPARE(RedisTopologyFixture::cli(oldMaster, {"SET", QStringLiteral("qd:k%1").arg(i),
                                                       QString(2000, QLatin1Char('v'))}),
                 QStringLiteral("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(dbsize(replica), 40, 10000);

    QList<RedisAddress> sentinels;
    for (quint16 port : m_redis.sentinelPorts())
        sentinels << RedisAddress{QStringLiteral("127.0.0.1"), port};
    auto* source = new RedisInfoSource(QString(), 0);
    source->followSentinels(sentinels, QLatin1String(RedisTopologyFixture::kMasterName));
    TelemetryEngine engine;
    engine.addSource(source, 200);
    engine.start();
    const TimeSeriesStore& store = engine.store();

    QTRY_COMPARE_WITH_TIMEOUT(single(store, keysExpr), double(dbsize(oldMaster)), 10000);
    // Role-aware: the master's figures say so.
    for (const auto& [key, v] : evaluate(store, QStringLiteral("querydeck_redis_keys"))) {
        QCOMPARE(key.label(QStringLiteral("role")), QStringLiteral("master"));
        QCOMPARE(key.label(QStringLiteral("instance")), RedisTopologyFixture::address(oldMaster));
    }

    QCOMPARE(RedisTopologyFixture::cli(
                 m_redis.sentinelPorts().first(),
                 {"SENTINEL", "FAILOVER", QLatin1String(RedisTopologyFixture::kMasterName)}),
             QStringLiteral("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(RedisTopologyFixture::currentMaster(m_redis.dataPorts()),
                              RedisTopologyFixture::address(replica), 20000);
    // The new master gets writes of its own, so its DBSIZE differs from the
    // old one's: a figure that still adds the old master cannot pass.
    for (int i = 0; i < 7; ++i)
        QCOMPARE(RedisTopologyFixture::cli(
                     replica, {"SET", QStringLiteral("qd:new%1").arg(i), QStringLiteral("v")}),
                 QStringLiteral("OK"));
    const qint64 expected = dbsize(replica);
    QCOMPARE(expected, 47);

    // Once the source has sampled the new master, the Cache row is its
    // figure alone: well within the 5-minute look-back the old one had.
    const QString newMaster = RedisTopologyFixture::address(replica);
    QTRY_VERIFY2_WITH_TIMEOUT(
        single(store, keysExpr) == double(expected),
        qPrintable(QStringLiteral("%1 = %2, DBSIZE %3; series: %4")
                       .arg(keysExpr)
                       .arg(single(store, keysExpr))
                       .arg(expected)
                       .arg(describe(store, QStringLiteral("querydeck_redis_keys{db=\"all\"}")))),
        15000);
    const auto keys = evaluate(store, QStringLiteral("querydeck_redis_keys{db=\"all\"}"));
    QCOMPARE(keys.size(), std::size_t(1));
    QCOMPARE(keys.front().first.label(QStringLiteral("instance")), newMaster);
    QCOMPARE(keys.front().first.label(QStringLiteral("role")), QStringLiteral("master"));

    // Memory: the new master's own used_memory, not two servers' worth.
    const RedisInfo info =
        RedisInfo::parse(RedisTopologyFixture::cli(replica, {"INFO", "memory"}).toUtf8());
    QVERIFY(info.usedMemoryBytes.has_value());
    const double memory = single(store, memoryExpr);
    QVERIFY2(
        memory > 0.7 * double(*info.usedMemoryBytes) &&
            memory < 1.3 * double(*info.usedMemoryBytes),
        qPrintable(QStringLiteral("Cache memory %1 vs INFO used_memory %2; series: %3")
                       .arg(memory)
                       .arg(*info.usedMemoryBytes)
                       .arg(describe(store, QStringLiteral("querydeck_redis_used_memory_bytes")))));
    engine.stop();
}

QTEST_GUILESS_MAIN(RedisFailoverFiguresTest)
#include "tst_redis_failover_figures.moc"
