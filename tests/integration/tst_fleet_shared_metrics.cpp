// Fleet-wide figures through the real path: three query service replicas
// sharing one real Redis, clients that each ask every replica (as nginx's
// round robin spreads them), each replica's /metrics scraped into a store as
// the console does, and the default dashboard's panels compared with ground
// truth taken independently: the number of clients the test used, and
// Redis's own DBSIZE. Every replica exports the shared HyperLogLog's count;
// a panel that adds them shows the truth times the number of replicas.
#include "RawHttp.h"
#include "RedisTestServer.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/metrics/ExpositionParser.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/TimeSeriesStore.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryService.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace querydeck;
using querydeck::test::RawHttp;
using querydeck::test::RedisTestServer;

class TestFleetSharedMetrics : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void activeUsersCountedOnce();
    void sharedCacheEntriesCountedOnce();

private:
    static constexpr int kReplicas = 3;
    static constexpr int kClients = 12;

    // Scrapes every replica's /metrics at `t` into m_store, labelled with
    // its instance as ScrapeSource labels it.
    void scrapeAll(qint64 t);
    // What a stat panel of the default dashboard shows: the value of its
    // first target that gives a series.
    double statPanel(const QString& panelId, qint64 t) const;

    QTemporaryDir m_dir;
    RedisTestServer m_redis;
    std::vector<std::unique_ptr<QueryService>> m_replicas;
    TimeSeriesStore m_store;
    DashboardDefinition m_dashboard;
};

void TestFleetSharedMetrics::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    const QString error = m_redis.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_dashboard = DashboardLoader::defaultDashboard();
    for (int i = 0; i < kReplicas; ++i) {
        ServiceConfig config;
        config.http.host = QStringLiteral("127.0.0.1");
        config.http.port = 0;
        config.http.replicaId = QStringLiteral("replica-%1").arg(i + 1);
        config.rateLimit.enabled = false;
        config.corpus.path = QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small");
        config.corpus.indexDir = m_dir.filePath(QStringLiteral("index-%1").arg(i + 1));
        config.cache.redis.url = m_redis.url();
        auto service =
            std::make_unique<QueryService>(config, std::make_shared<KeychainSecretStore>());
        const QString startError = service->start();
        QVERIFY2(startError.isEmpty(), qPrintable(startError));
        m_replicas.push_back(std::move(service));
    }
    for (const auto& replica : m_replicas)
        QVERIFY(replica->waitUntilReady(std::chrono::seconds(60)));

    // Every client asks every replica: each replica sees all kClients.
    for (int c = 0; c < kClients; ++c) {
        for (const auto& replica : m_replicas) {
            const QByteArray body = QByteArrayLiteral(R"({"query":"How do I drain replica )") +
                                    QByteArray::number(c) + QByteArrayLiteral(R"(?"})");
            const auto response = RawHttp::exchange(
                quint16(replica->port()),
                RawHttp::build("POST", "/v1/query", body,
                               {{"Content-Type", "application/json"},
                                {"X-Client-Id", "client-" + QByteArray::number(c)}}));
            QCOMPARE(response.status, 200);
        }
    }
    // The first round of scrapes sends each replica's buffered ids to Redis
    // (PFADD happens at scrape time); the second reads the union, as a
    // console's later polls do.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    scrapeAll(now - 1000);
    scrapeAll(now);
}

void TestFleetSharedMetrics::cleanupTestCase()
{
    for (const auto& replica : m_replicas)
        replica->stop();
    m_replicas.clear();
    m_redis.stop();
}

void TestFleetSharedMetrics::scrapeAll(qint64 t)
{
    for (const auto& replica : m_replicas) {
        const auto response =
            RawHttp::exchange(quint16(replica->port()), RawHttp::build("GET", "/metrics"));
        QCOMPARE(response.status, 200);
        const SourceResult result = ExpositionParser::parse(
            response.body, t, QStringLiteral("127.0.0.1:%1").arg(replica->port()));
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        m_store.append(result.samples);
    }
}

double TestFleetSharedMetrics::statPanel(const QString& panelId, qint64 t) const
{
    for (const RowDefinition& row : m_dashboard.rows) {
        for (const PanelDefinition& panel : row.panels) {
            if (panel.id != panelId)
                continue;
            for (const PanelTarget& target : panel.targets) {
                const auto values = Expression::parse(target.expr).instant(m_store, t);
                if (!values.empty())
                    return values.front().second;
            }
        }
    }
    return std::nan("");
}

void TestFleetSharedMetrics::activeUsersCountedOnce()
{
    // Ground truth: the clients this test used, whichever replicas they reached.
    const double shown =
        statPanel(QStringLiteral("active-users"), QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(shown, double(kClients));
}

void TestFleetSharedMetrics::sharedCacheEntriesCountedOnce()
{
    // Ground truth: Redis's own count of the shared database. The console
    // here watches no Redis, so the panel reads what the replicas export.
    const RedisReply dbsize = m_redis.command({"DBSIZE"});
    QCOMPARE(dbsize.type, RedisReply::Type::Integer);
    QVERIFY(dbsize.integer > 0);
    const double shown =
        statPanel(QStringLiteral("cache-entries"), QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(shown, double(dbsize.integer));
}

QTEST_GUILESS_MAIN(TestFleetSharedMetrics)
#include "tst_fleet_shared_metrics.moc"
