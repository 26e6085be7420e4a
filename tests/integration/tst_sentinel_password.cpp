// Sentinels with their own password (requirepass on redis-sentinel, Redis
// 6.2+), against a real master (with a different requirepass) and a real
// redis-sentinel: the sentinel password secret (cache.redis /
// console.redis sentinel_password) reaches the console's INFO source, the
// topology discovery and the service's SentinelClient; missing or wrong, the
// error names the field and the reference, never the value; in the config
// file it is a secret reference only, and only beside sentinels.
#include "RawHttp.h"
#include "RedisTestServer.h"
#include "SourcePoll.h"
#include "backend/config/ConfigLoader.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/config/ConsoleRedisTarget.h"
#include "backend/redis/SentinelClient.h"
#include "backend/redisops/FailoverController.h"
#include "backend/redisops/TopologyDiscovery.h"
#include "backend/secrets/CachedSecret.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryService.h"
#include "backend/sources/RedisInfoSource.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace querydeck;
using querydeck::test::pollOnce;
using querydeck::test::sampleValue;
using namespace querydeck::test;

namespace {

const char* kMasterName = "qdsecured";
const QByteArray kDataPassword = "data-pw-41";
const QByteArray kSentinelPassword = "sentinel-pw-97";

} // namespace

class SentinelPasswordTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void infoSourceWithSentinelPassword();
    void infoSourceWithoutOrWrongPassword_data();
    void infoSourceWithoutOrWrongPassword();
    void topologyDiscovery();
    void failoverControllerDiscovers();
    void serviceSentinelClient();
    void queryServiceThroughSecuredSentinel();
    void configField_data();
    void configField();

private:
    std::unique_ptr<RedisInfoSource> source(const QString& sentinelPasswordJson);

    RedisTestServer m_master;
    RedisTestServer m_sentinel{RedisTestServer::Kind::Sentinel};
};

void SentinelPasswordTest::initTestCase()
{
    qputenv("QD_TEST_DATA_PW", kDataPassword);
    qputenv("QD_TEST_SENTINEL_PW", kSentinelPassword);
    qputenv("QD_TEST_SENTINEL_WRONG", "not-the-sentinel-pw");
    QString error = m_master.start({"requirepass " + QString::fromLatin1(kDataPassword)});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = m_sentinel.start({
        QStringLiteral("sentinel monitor %1 127.0.0.1 %2 1")
            .arg(QLatin1String(kMasterName))
            .arg(m_master.port()),
        QStringLiteral("sentinel auth-pass %1 %2")
            .arg(QLatin1String(kMasterName), QLatin1String(kDataPassword)),
        QStringLiteral("requirepass ") + QString::fromLatin1(kSentinelPassword),
    });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The sentinel really refuses clients without its password.
    RedisEndpoint endpoint = m_sentinel.endpoint();
    endpoint.password.clear();
    QString refused;
    const auto connection = RedisConnection::connect(endpoint, &refused);
    const bool answered =
        connection && connection->command({"SENTINEL", "MASTERS"}).type == RedisReply::Type::Array;
    QVERIFY2(!answered, "the sentinel answered without its password");
}

void SentinelPasswordTest::cleanupTestCase()
{
    m_sentinel.stop();
    m_master.stop();
    qunsetenv("QD_TEST_DATA_PW");
    qunsetenv("QD_TEST_SENTINEL_PW");
    qunsetenv("QD_TEST_SENTINEL_WRONG");
}

std::unique_ptr<RedisInfoSource> SentinelPasswordTest::source(const QString& sentinelPasswordJson)
{
    const QString json = QStringLiteral(R"({"version": 1, "cache": {"redis": {
        "sentinels": "127.0.0.1:%1", "master_name": "%2",
        "password": {"env": "QD_TEST_DATA_PW"}%3}}})")
                             .arg(m_sentinel.port())
                             .arg(QLatin1String(kMasterName))
                             .arg(sentinelPasswordJson);
    const ConfigLoadResult service = ConfigLoader::loadJson(json.toUtf8());
    const ConsoleConfigLoadResult console = ConsoleConfigLoader::loadJson(json.toUtf8());
    if (!service.ok() || !console.ok())
        return nullptr;
    const ConsoleRedisTarget target =
        ConsoleRedisTarget::resolve(console.value, service.value.cache.redis);
    auto store = std::make_shared<KeychainSecretStore>();
    return std::unique_ptr<RedisInfoSource>(target.makeInfoSource(
        std::make_shared<CachedSecret>(store, target.console.redisOptions.password),
        std::make_shared<CachedSecret>(store, target.console.redisOptions.sentinelPassword)));
}

void SentinelPasswordTest::infoSourceWithSentinelPassword()
{
    auto info = source(QStringLiteral(R"(, "sentinel_password": {"env": "QD_TEST_SENTINEL_PW"})"));
    QVERIFY(info);
    const SourceResult result = pollOnce(*info);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.samples.front().key.label("instance"),
             QStringLiteral("127.0.0.1:%1").arg(m_master.port()));
    QCOMPARE(sampleValue(result, "querydeck_redis_is_master"), 1.0);
    QVERIFY(sampleValue(result, "querydeck_redis_used_memory_bytes") > 0);
}

void SentinelPasswordTest::infoSourceWithoutOrWrongPassword_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("none") << QString() << QStringLiteral("cache.redis.sentinel_password");
    QTest::newRow("wrong") << QStringLiteral(
                                  R"(, "sentinel_password": {"env": "QD_TEST_SENTINEL_WRONG"})")
                           << QStringLiteral("environment variable \"QD_TEST_SENTINEL_WRONG\" "
                                             "(cache.redis.sentinel_password)");
}

void SentinelPasswordTest::infoSourceWithoutOrWrongPassword()
{
    QFETCH(QString, json);
    QFETCH(QString, expected);
    auto info = source(json);
    QVERIFY(info);
    const SourceResult result = pollOnce(*info);
    QVERIFY2(result.error.contains(QStringLiteral("sentinel 127.0.0.1:%1").arg(m_sentinel.port())),
             qPrintable(result.error));
    QVERIFY2(result.error.contains(expected), qPrintable(result.error));
    QVERIFY2(!result.error.contains(QStringLiteral("not-the-sentinel-pw")), "password leaked");
    QCOMPARE(sampleValue(result, "querydeck_redis_up"), 0.0);
}

void SentinelPasswordTest::topologyDiscovery()
{
    TopologyDiscovery discovery;
    discovery.setPassword(QString::fromLatin1(kDataPassword));
    discovery.setSentinelPassword(QString::fromLatin1(kSentinelPassword));
    QSignalSpy spy(&discovery, &TopologyDiscovery::finished);
    RedisAddress sentinel;
    sentinel.host = QStringLiteral("127.0.0.1");
    sentinel.port = m_sentinel.port();
    discovery.discoverSentinel({sentinel}, QLatin1String(kMasterName));
    QVERIFY(spy.wait(15000));
    const auto topology = spy.first().first().value<RedisTopology>();
    QCOMPARE(topology.master.address, QStringLiteral("127.0.0.1:%1").arg(m_master.port()));
    QCOMPARE(topology.master.role, QStringLiteral("master"));
    QVERIFY2(topology.sentinels.size() == 1 && topology.sentinels.first().reachable,
             qPrintable(topology.problems.join("; ")));
    // Without it the sentinel refuses, and the topology says so.
    TopologyDiscovery refused;
    refused.setPassword(QString::fromLatin1(kDataPassword));
    QSignalSpy refusedSpy(&refused, &TopologyDiscovery::finished);
    refused.discoverSentinel({sentinel}, QLatin1String(kMasterName));
    QVERIFY(refusedSpy.wait(15000));
    const auto none = refusedSpy.first().first().value<RedisTopology>();
    QVERIFY2(none.problems.join(" ").contains(QStringLiteral("NOAUTH")),
             qPrintable(none.problems.join("; ")));
}

void SentinelPasswordTest::failoverControllerDiscovers()
{
    // The failover wizard's controller reads the topology through the
    // secured sentinel (its checks then run on what it found).
    for (const bool withPassword : {true, false}) {
        FailoverController controller;
        FailoverRequest request;
        RedisAddress sentinel;
        sentinel.host = QStringLiteral("127.0.0.1");
        sentinel.port = m_sentinel.port();
        request.sentinels = {sentinel};
        request.masterName = QLatin1String(kMasterName);
        controller.setRequest(request);
        controller.setPassword(QString::fromLatin1(kDataPassword));
        if (withPassword)
            controller.setSentinelPassword(QString::fromLatin1(kSentinelPassword));
        QSignalSpy checks(&controller, &FailoverController::checksReady);
        controller.discover();
        QVERIFY(checks.wait(15000));
        const RedisTopology& topology = controller.topology();
        const QString problems = topology.problems.join(QStringLiteral("; "));
        if (withPassword) {
            QCOMPARE(topology.master.address, QStringLiteral("127.0.0.1:%1").arg(m_master.port()));
            QCOMPARE(topology.master.role, QStringLiteral("master"));
        } else {
            QVERIFY2(problems.contains(QStringLiteral("NOAUTH")), qPrintable(problems));
        }
    }
}

void SentinelPasswordTest::serviceSentinelClient()
{
    RedisAddress sentinel;
    sentinel.host = QStringLiteral("127.0.0.1");
    sentinel.port = m_sentinel.port();
    RedisEndpoint sentinelEndpoint;
    sentinelEndpoint.password = kSentinelPassword;
    RedisEndpoint master;
    master.password = kDataPassword;
    SentinelClient client({sentinel}, QLatin1String(kMasterName), sentinelEndpoint, master);
    QString error;
    const auto located = client.locate(&error);
    QVERIFY2(located.has_value(), qPrintable(error));
    QCOMPARE(located->port, int(m_master.port()));
    sentinelEndpoint.password.clear();
    SentinelClient without({sentinel}, QLatin1String(kMasterName), sentinelEndpoint, master);
    QVERIFY(!without.locate(&error).has_value());
    QVERIFY2(error.contains(QStringLiteral("NOAUTH")) || error.contains(QStringLiteral("auth")),
             qPrintable(error));
}

void SentinelPasswordTest::queryServiceThroughSecuredSentinel()
{
    // The service itself, configured as an operator would: its cache in the
    // master found through the secured sentinel; /ready is not degraded.
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    const QString json = QStringLiteral(R"({"version": 1,
        "http": {"port": 0},
        "corpus": {"path": "%1", "index_dir": "%2"},
        "cache": {"redis": {"sentinels": "127.0.0.1:%3", "master_name": "%4",
            "password": {"env": "QD_TEST_DATA_PW"},
            "sentinel_password": {"env": "QD_TEST_SENTINEL_PW"}}}})")
                             .arg(QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small"),
                                  dir.filePath(QStringLiteral("index")))
                             .arg(m_sentinel.port())
                             .arg(QLatin1String(kMasterName));
    const ConfigLoadResult loaded = ConfigLoader::loadJson(json.toUtf8());
    QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join("; ")));
    QueryService service(loaded.value, std::make_shared<KeychainSecretStore>());
    const QString error = service.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(service.waitUntilReady(std::chrono::seconds(60)));
    // Ready comes before the semantic index has replayed what Redis holds;
    // until then /ready names the cache as degraded. Wait for the replay to
    // finish rather than catch the window.
    RawResponse ready;
    QTRY_VERIFY2_WITH_TIMEOUT((ready = RawHttp::get(quint16(service.port()), "/ready"),
                               ready.status == 200 && !ready.body.contains("degraded")),
                              ready.body.constData(), 20000);
    service.stop();

    // Its secret missing: start() says which field, before serving anything.
    ServiceConfig missing = loaded.value;
    missing.cache.redis.sentinelPassword.envVar = QStringLiteral("QD_TEST_SENTINEL_UNSET");
    QueryService refused(missing, std::make_shared<KeychainSecretStore>());
    const QString refusedError = refused.start();
    QVERIFY2(refusedError.contains(QStringLiteral("cache.redis.sentinel_password")),
             qPrintable(refusedError));
    refused.stop();
}

void SentinelPasswordTest::configField_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("plaintext in cache.redis")
        << QStringLiteral(R"({"version": 1, "cache": {"redis": {"sentinels": "127.0.0.1:26379",
            "master_name": "m", "sentinel_password": "hunter2"}}})")
        << QStringLiteral("sentinel_password: secrets must not be written into the config file");
    QTest::newRow("cache.redis with url")
        << QStringLiteral(R"({"version": 1, "cache": {"redis": {"url": "redis://127.0.0.1:6379",
            "sentinel_password": {"env": "X"}}}})")
        << QStringLiteral("sentinel_password: only with sentinels");
    QTest::newRow("console.redis plaintext")
        << QStringLiteral(R"({"version": 1, "console": {"redis": {"sentinels": "127.0.0.1:26379",
            "master_name": "m", "sentinel_password": "hunter2"}}})")
        << QStringLiteral("sentinel_password: secrets must not be written into the config file");
    QTest::newRow("console.redis without sentinels")
        << QStringLiteral(R"({"version": 1, "console": {"redis": {"address": "127.0.0.1:6379",
            "sentinel_password": {"keychain": "k"}}}})")
        << QStringLiteral("sentinel_password: only with sentinels");
}

void SentinelPasswordTest::configField()
{
    QFETCH(QString, json);
    QFETCH(QString, error);
    const QStringList errors = ConfigLoader::loadJson(json.toUtf8()).errors +
                               ConsoleConfigLoader::loadJson(json.toUtf8()).errors;
    const QString all = errors.join(QStringLiteral(" | "));
    QVERIFY2(all.contains(error), qPrintable(all));
    QVERIFY2(!all.contains(QStringLiteral("hunter2")), "the value was repeated in the error");
}

QTEST_GUILESS_MAIN(SentinelPasswordTest)
#include "tst_sentinel_password.moc"
