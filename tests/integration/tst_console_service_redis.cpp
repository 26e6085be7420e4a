// The console watching the Redis its embedded service uses (cache.redis),
// against real servers: a config with only cache.redis.url (and a password
// secret) gives the Cache row of the default dashboard real figures from the
// server; with cache.redis.sentinels the INFO source samples the master and,
// after a real Sentinel failover, the new one; the service's Redis down (or
// every sentinel down) is a clear error naming the address, quickly.
#include "ProgramRun.h"
#include "RedisTestServer.h"
#include "RedisTopologyFixture.h"
#include "Snapshot.h"
#include "SourcePoll.h"
#include "backend/config/ConfigLoader.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/config/ConsoleRedisTarget.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/metrics/Expression.h"
#include "backend/redisops/RedisTopologyMonitor.h"
#include "backend/secrets/CachedSecret.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/sources/RedisInfoSource.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/telemetry/TelemetryThread.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace querydeck;
using querydeck::test::pollOnce;
using querydeck::test::sampleValue;
using namespace querydeck::test;

namespace {

const char* kPasswordVar = "QD_TEST_SERVICE_REDIS_PW";
const QByteArray kPassword = "service-cache-pw-3";

ConsoleRedisTarget targetFrom(const QString& json)
{
    const ConfigLoadResult service = ConfigLoader::loadJson(json.toUtf8());
    const ConsoleConfigLoadResult console = ConsoleConfigLoader::loadJson(json.toUtf8());
    if (!service.ok() || !console.ok())
        qWarning() << "config errors" << service.errors << console.errors;
    return ConsoleRedisTarget::resolve(console.value, service.value.cache.redis);
}

std::unique_ptr<RedisInfoSource> sourceFor(const ConsoleRedisTarget& target)
{
    auto secret = std::make_shared<CachedSecret>(std::make_shared<KeychainSecretStore>(),
                                                 target.console.redisOptions.password);
    return std::unique_ptr<RedisInfoSource>(target.makeInfoSource(secret));
}

QString instanceOf(const SourceResult& result)
{
    return result.samples.empty() ? QString() : result.samples.front().key.label("instance");
}

// The Cache row's Redis expressions of the bundled default dashboard, by a
// part of their metric name (used_memory, redis_keys{, evicted, keyspace_hits).
QMap<QString, QString> cacheRowExpressions()
{
    QMap<QString, QString> found;
    const DashboardDefinition dashboard = DashboardLoader::defaultDashboard();
    for (const RowDefinition& row : dashboard.rows) {
        if (row.title != QLatin1String("Cache"))
            continue;
        for (const PanelDefinition& panel : row.panels) {
            for (const PanelTarget& target : panel.targets) {
                for (const char* word :
                     {"used_memory", "redis_keys{", "evicted", "keyspace_hits"}) {
                    if (target.expr.contains(QLatin1String(word)))
                        found.insert(QLatin1String(word), target.expr);
                }
            }
        }
    }
    return found;
}

// keyspace_hits / keyspace_misses as the server itself reports them.
struct RedisStats
{
    qint64 hits = -1;
    qint64 misses = -1;

    static RedisStats of(const RedisTestServer& server)
    {
        RedisStats stats;
        const QByteArray text = server.command({"INFO", "stats"}).text;
        for (const QByteArray& line : text.split('\n')) {
            const QByteArray trimmed = line.trimmed();
            if (trimmed.startsWith("keyspace_hits:"))
                stats.hits = trimmed.mid(14).toLongLong();
            else if (trimmed.startsWith("keyspace_misses:"))
                stats.misses = trimmed.mid(16).toLongLong();
        }
        return stats;
    }
};

std::optional<double> evaluate(const TimeSeriesStore& store, const QString& text)
{
    const Expression expression = Expression::parse(text);
    if (!expression.isValid())
        return std::nullopt;
    const auto values = expression.instant(store, QDateTime::currentMSecsSinceEpoch());
    if (values.size() != 1)
        return std::nullopt;
    return values.front().second;
}

} // namespace

class ConsoleServiceRedisTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void resolvesFromTheServiceConfig();
    void cacheRowFromServiceUrl();
    void followsTheSentinelMaster();
    void serviceRedisDown();
    void wrongServicePassword();
    void dockNamesTheServiceField();
    void consoleBinary();

private:
    RedisTestServer m_server;
    RedisTopologyFixture m_topology;
    QString m_sentinels;
};

void ConsoleServiceRedisTest::initTestCase()
{
    qRegisterMetaType<QList<SourceStatus>>();
    qputenv(kPasswordVar, kPassword);
    QString error =
        m_server.start({QStringLiteral("requirepass ") + QString::fromLatin1(kPassword)});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_server.setPassword(kPassword);
    error = m_topology.startSentinelTopology(2, 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList sentinels;
    for (quint16 port : m_topology.sentinelPorts())
        sentinels << QStringLiteral("127.0.0.1:%1").arg(port);
    m_sentinels = sentinels.join(QLatin1Char(','));
}

void ConsoleServiceRedisTest::cleanupTestCase()
{
    m_topology.stop();
    m_server.stop();
    qunsetenv(kPasswordVar);
}

void ConsoleServiceRedisTest::resolvesFromTheServiceConfig()
{
    // Only cache.redis.url: its server, with the service's password secret.
    ConsoleRedisTarget target = targetFrom(QStringLiteral(R"({"version": 1, "cache": {"redis": {
        "url": "redis://127.0.0.1:7001/2", "password": {"env": "X_PW"}}}})"));
    QVERIFY(target.fromService);
    QCOMPARE(target.console.redis, QStringLiteral("127.0.0.1:7001"));
    QCOMPARE(target.console.redisOptions.password.envVar, QStringLiteral("X_PW"));
    QCOMPARE(target.passwordField, QStringLiteral("cache.redis.password"));
    // Sentinels: the Sentinel set and its master name, no fixed address.
    target = targetFrom(QStringLiteral(R"({"version": 1, "cache": {"redis": {
        "sentinels": "127.0.0.1:7101,127.0.0.1:7102", "master_name": "m1"}}})"));
    QVERIFY(target.fromService);
    QVERIFY(target.console.redis.isEmpty());
    QCOMPARE(target.console.redisOptions.sentinels,
             QStringLiteral("127.0.0.1:7101,127.0.0.1:7102"));
    QCOMPARE(target.console.redisOptions.masterName, QStringLiteral("m1"));
    auto source = sourceFor(target);
    QVERIFY(source);
    QCOMPARE(source->id(), QStringLiteral("redis:m1"));
    // console.redis set by hand wins over the service's Redis.
    target = targetFrom(QStringLiteral(R"({"version": 1,
        "cache": {"redis": {"url": "redis://127.0.0.1:7001"}},
        "console": {"redis": "127.0.0.1:7200"}})"));
    QVERIFY(!target.fromService);
    QCOMPARE(target.console.redis, QStringLiteral("127.0.0.1:7200"));
    QCOMPARE(target.passwordField, QStringLiteral("console.redis.password"));
    // Neither: nothing to sample.
    target = targetFrom(QStringLiteral(R"({"version": 1})"));
    QVERIFY(!target.fromService);
    QVERIFY(!sourceFor(target));
}

void ConsoleServiceRedisTest::cacheRowFromServiceUrl()
{
    QCOMPARE(m_server.command({"FLUSHALL"}).text, QByteArray("OK"));
    constexpr int kKeys = 7;
    for (int i = 0; i < kKeys; ++i)
        QVERIFY(!m_server.command({"SET", "qd:k" + QByteArray::number(i), "v"}).isError());
    // Counters well away from zero, so that rate() extrapolates hits and
    // misses alike and the hit rate is exactly what the test does below.
    for (int i = 0; i < 100; ++i) {
        m_server.command({"GET", "qd:k1"});
        m_server.command({"GET", "qd:absent"});
    }
    const ConsoleRedisTarget target =
        targetFrom(QStringLiteral(R"({"version": 1, "cache": {"redis": {
            "url": "redis://127.0.0.1:%1/0", "password": {"env": "%2"}}}})")
                       .arg(m_server.port())
                       .arg(QLatin1String(kPasswordVar)));
    auto secret = std::make_shared<CachedSecret>(std::make_shared<KeychainSecretStore>(),
                                                 target.console.redisOptions.password);
    RedisInfoSource* source = target.makeInfoSource(secret);
    QVERIFY(source);
    TelemetryThread telemetry;
    const TimeSeriesStore& store = telemetry.engine()->store();
    telemetry.engine()->addSource(source, 200);
    telemetry.start();
    QMetaObject::invokeMethod(telemetry.engine(), &TelemetryEngine::start, Qt::QueuedConnection);

    const QMap<QString, QString> row = cacheRowExpressions();
    QCOMPARE(row.size(), 4);
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(store, row["used_memory"]).value_or(0) > 0, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(store, row["redis_keys{"]).value_or(-1), double(kKeys),
                              10000);
    // The store keeps one point per series and second: reads start once a
    // point with the counters before them is settled, so the hit rate over
    // the window is the ratio of what the server counted during the reads.
    const auto points = [&store] {
        const QStringList keys = store.seriesOf("querydeck_redis_keyspace_misses_total");
        return keys.size() != 1
                   ? 0
                   : int(store.window(keys.first(), 0, QDateTime::currentMSecsSinceEpoch()).size());
    };
    QTRY_VERIFY_WITH_TIMEOUT(points() >= 2, 10000);
    const RedisStats before = RedisStats::of(m_server);
    // 30 hits and 10 misses, spread over several samples: after each batch,
    // wait for the source to have taken a new sample (not for a fixed time).
    for (int i = 0; i < 10; ++i) {
        const int sampled = points();
        for (int j = 0; j < 3; ++j)
            QCOMPARE(m_server.command({"GET", "qd:k2"}).text, QByteArray("v"));
        QVERIFY(m_server.command({"GET", "qd:none"}).type == RedisReply::Type::Nil);
        QTRY_VERIFY_WITH_TIMEOUT(points() > sampled, 10000);
    }
    const RedisStats after = RedisStats::of(m_server);
    QVERIFY(after.hits - before.hits >= 30);
    QVERIFY(after.misses - before.misses >= 10);
    const double expected = 100.0 * double(after.hits - before.hits) /
                            double(after.hits - before.hits + after.misses - before.misses);
    const auto seen = [&] {
        return QStringLiteral("hit rate %1, expected %2 (hits %3 -> %4, misses %5 -> %6)")
            .arg(evaluate(store, row["keyspace_hits"]).value_or(-1))
            .arg(expected)
            .arg(before.hits)
            .arg(after.hits)
            .arg(before.misses)
            .arg(after.misses);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(qAbs(evaluate(store, row["keyspace_hits"]).value_or(0) - expected) <
                                  0.5,
                              qPrintable(seen()), 10000);
    // Nothing was evicted: the server says 0, and so does the panel.
    QVERIFY(m_server.command({"INFO", "stats"}).text.contains("evicted_keys:0\r\n"));
    const std::optional<double> evicted = evaluate(store, row["evicted"]);
    QVERIFY(evicted.has_value());
    QCOMPARE(*evicted, 0.0);
    QMetaObject::invokeMethod(telemetry.engine(), &TelemetryEngine::stop,
                              Qt::BlockingQueuedConnection);
}

void ConsoleServiceRedisTest::followsTheSentinelMaster()
{
    const ConsoleRedisTarget target =
        targetFrom(QStringLiteral(R"({"version": 1, "cache": {"redis": {
            "sentinels": "%1", "master_name": "%2"}}})")
                       .arg(m_sentinels, QLatin1String(RedisTopologyFixture::kMasterName)));
    auto source = sourceFor(target);
    QVERIFY(source);
    const quint16 oldMaster = m_topology.masterPort();
    SourceResult result = pollOnce(*source);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(instanceOf(result), QStringLiteral("127.0.0.1:%1").arg(oldMaster));
    QCOMPARE(sampleValue(result, "querydeck_redis_is_master"), 1.0);

    const QString failover = RedisTopologyFixture::cli(
        m_topology.sentinelPorts().first(),
        {"SENTINEL", "FAILOVER", QLatin1String(RedisTopologyFixture::kMasterName)});
    QCOMPARE(failover, QStringLiteral("OK"));
    // Poll as the engine would until the samples come from another server;
    // every sample published on the way is a master's (never a replica's).
    QElapsedTimer clock;
    clock.start();
    QString instance = instanceOf(result);
    QStringList errors;
    while (clock.elapsed() < 30000 &&
           (instance == QStringLiteral("127.0.0.1:%1").arg(oldMaster) || instance.isEmpty())) {
        QTest::qWait(200); // the poll interval; the loop is bounded by the clock
        result = pollOnce(*source);
        if (!result.error.isEmpty()) {
            errors << result.error;
            continue;
        }
        QCOMPARE(sampleValue(result, "querydeck_redis_is_master"), 1.0);
        instance = instanceOf(result);
    }
    QVERIFY2(m_topology.replicaPorts().contains(quint16(instance.section(':', 1).toInt())),
             qPrintable(instance + QStringLiteral(" errors: ") + errors.join(" | ")));
    // The new master really is one, and the source keeps sampling it.
    const QString role =
        RedisTopologyFixture::cli(quint16(instance.section(':', 1).toInt()), {"ROLE"});
    QVERIFY2(role.startsWith(QStringLiteral("master")), qPrintable(role));
    result = pollOnce(*source);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(instanceOf(result), instance);
    QCOMPARE(sampleValue(result, "querydeck_redis_is_master"), 1.0);
    QCOMPARE(source->id(), QStringLiteral("redis:%1").arg(RedisTopologyFixture::kMasterName));
}

void ConsoleServiceRedisTest::serviceRedisDown()
{
    // A url whose server is not running: the engine's source status names it.
    const quint16 port = RedisTopologyFixture::freePort();
    const ConsoleRedisTarget target = targetFrom(
        QStringLiteral(R"({"version": 1, "cache": {"redis": {"url": "redis://127.0.0.1:%1"}}})")
            .arg(port));
    RedisInfoSource* source = target.makeInfoSource(
        std::make_shared<CachedSecret>(std::make_shared<KeychainSecretStore>(), SecretRef{}));
    QVERIFY(source);
    TelemetryThread telemetry;
    telemetry.engine()->addSource(source, 200);
    QString error;
    SourceHealth health = SourceHealth::Ok;
    connect(telemetry.engine(), &TelemetryEngine::sourceStatus, this,
            [&](const QList<SourceStatus>& list) {
                for (const SourceStatus& status : list) {
                    if (status.id == QStringLiteral("redis:127.0.0.1:%1").arg(port)) {
                        error = status.lastError;
                        health = status.health;
                    }
                }
            });
    telemetry.start();
    QMetaObject::invokeMethod(telemetry.engine(), &TelemetryEngine::start, Qt::QueuedConnection);
    // The engine reports "no data yet" until the first poll ends.
    QTRY_VERIFY_WITH_TIMEOUT(error.contains(QStringLiteral("redis 127.0.0.1:%1").arg(port)), 10000);
    QVERIFY2(error.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(error));
    QCOMPARE(health, SourceHealth::Error);
    QMetaObject::invokeMethod(telemetry.engine(), &TelemetryEngine::stop,
                              Qt::BlockingQueuedConnection);

    // Every sentinel down: the error names the master and each sentinel.
    const quint16 s1 = RedisTopologyFixture::freePort();
    const quint16 s2 = RedisTopologyFixture::freePort();
    const ConsoleRedisTarget sentinels =
        targetFrom(QStringLiteral(R"({"version": 1, "cache": {"redis": {
            "sentinels": "127.0.0.1:%1,127.0.0.1:%2", "master_name": "gone"}}})")
                       .arg(s1)
                       .arg(s2));
    auto followed = sourceFor(sentinels);
    QVERIFY(followed);
    const SourceResult result = pollOnce(*followed);
    QVERIFY2(result.error.contains(QStringLiteral("no sentinel named the master \"gone\"")),
             qPrintable(result.error));
    // Both refused at once by the kernel: the poll did not wait for the dead
    // sentinels (a wait would end in a timeout, and say so, instead).
    QVERIFY2(result.error.count(QLatin1String("Connection refused")) == 2,
             qPrintable(result.error));
    QVERIFY2(result.error.contains(QStringLiteral("sentinel 127.0.0.1:%1").arg(s1)),
             qPrintable(result.error));
    QVERIFY2(result.error.contains(QStringLiteral("sentinel 127.0.0.1:%1").arg(s2)),
             qPrintable(result.error));
    QCOMPARE(sampleValue(result, "querydeck_redis_up"), 0.0);
    // A master name the live sentinels do not monitor: said so, per sentinel.
    const ConsoleRedisTarget unknown =
        targetFrom(QStringLiteral(R"({"version": 1, "cache": {"redis": {
            "sentinels": "%1", "master_name": "not-monitored"}}})")
                       .arg(m_sentinels));
    auto unknownSource = sourceFor(unknown);
    const SourceResult unknownResult = pollOnce(*unknownSource);
    QVERIFY2(unknownResult.error.contains(QStringLiteral("does not know that master")),
             qPrintable(unknownResult.error));
}

void ConsoleServiceRedisTest::wrongServicePassword()
{
    qputenv("QD_TEST_SERVICE_REDIS_WRONG", "not-the-password");
    const ConsoleRedisTarget target =
        targetFrom(QStringLiteral(R"({"version": 1, "cache": {"redis": {
            "url": "redis://127.0.0.1:%1", "password": {"env": "QD_TEST_SERVICE_REDIS_WRONG"}}}})")
                       .arg(m_server.port()));
    auto source = sourceFor(target);
    QVERIFY(source);
    const SourceResult result = pollOnce(*source);
    QVERIFY2(result.error.contains(QStringLiteral("cache.redis.password")),
             qPrintable(result.error));
    QVERIFY2(!result.error.contains(QStringLiteral("not-the-password")), "the password leaked");
    qunsetenv("QD_TEST_SERVICE_REDIS_WRONG");
}

void ConsoleServiceRedisTest::dockNamesTheServiceField()
{
    // The Redis dock's monitor on the service's Redis: a refused password is
    // reported under the field it came from.
    qRegisterMetaType<RedisTopologyStatus>();
    qputenv("QD_TEST_SERVICE_REDIS_WRONG", "not-the-password");
    RedisTopologyMonitor::Target target;
    target.address.host = QStringLiteral("127.0.0.1");
    target.address.port = m_server.port();
    SecretRef ref;
    ref.envVar = QStringLiteral("QD_TEST_SERVICE_REDIS_WRONG");
    RedisTopologyMonitor monitor(
        target, std::make_shared<CachedSecret>(std::make_shared<KeychainSecretStore>(), ref));
    monitor.setPasswordField(QStringLiteral("cache.redis.password"));
    QSignalSpy refreshed(&monitor, &RedisTopologyMonitor::refreshed);
    monitor.start();
    QVERIFY(refreshed.wait(15000));
    const auto status = refreshed.first().first().value<RedisTopologyStatus>();
    const QString all = status.error + QLatin1Char(' ') + status.topology.problems.join("; ");
    QVERIFY2(all.contains(QStringLiteral("(cache.redis.password)")), qPrintable(all));
    QVERIFY2(!all.contains(QStringLiteral("not-the-password")), "the password leaked");
    monitor.stop();
    qunsetenv("QD_TEST_SERVICE_REDIS_WRONG");
}

void ConsoleServiceRedisTest::consoleBinary()
{
    // The real console with only cache.redis (and its password secret): it
    // says which Redis it watches, and the INFO source got in (its settings
    // check ran CONFIG GET after AUTH). The window goes to
    // $QUERYDECK_SNAPSHOT_DIR/console-service-redis.png when it is set.
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("config.json"));
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral(R"({"version": 1, "cache": {"redis": {
        "url": "redis://127.0.0.1:%1/0", "password": {"env": "%2"}}}})")
                   .arg(m_server.port())
                   .arg(QLatin1String(kPasswordVar))
                   .toUtf8());
    file.close();
    const QString png = dir.filePath(QStringLiteral("console.png"));
    const ProgramRun run = runProgram(
        QStringLiteral(QUERYDECK_BIN),
        {QStringLiteral("--config"), config, QStringLiteral("--port"), QStringLiteral("0"),
         QStringLiteral("--size"), QStringLiteral("1600x1000"), QStringLiteral("--screenshot"), png,
         QStringLiteral("--after"), QStringLiteral("4")},
        {QStringLiteral("QT_QPA_PLATFORM=offscreen"),
         QStringLiteral("XDG_CONFIG_HOME=/nonexistent-querydeck-test"),
         QStringLiteral("%1=%2").arg(QLatin1String(kPasswordVar), QLatin1String(kPassword))},
        90000);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QString output = QString::fromUtf8(run.out + run.err);
    const QString instance = QStringLiteral("127.0.0.1:%1").arg(m_server.port());
    QVERIFY2(output.contains(
                 QStringLiteral("watching the service's Redis (cache.redis): %1").arg(instance)),
             qPrintable(output));
    QVERIFY2(output.contains(
                 QStringLiteral("[redis] %1: appendonly is no; recommended: yes").arg(instance)),
             qPrintable(output));
    QVERIFY2(!output.contains(QLatin1String(kPassword)), "the password leaked into the log");
    QCOMPARE(QImage(png).size(), QSize(1600, 1000));
    QVERIFY(querydeck::test::keepSnapshotFile(png, QStringLiteral("console-service-redis.png")));
}

QTEST_GUILESS_MAIN(ConsoleServiceRedisTest)
#include "tst_console_service_redis.moc"
