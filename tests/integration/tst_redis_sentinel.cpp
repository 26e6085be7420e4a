#include "RedisTestServer.h"
#include "ServeProcess.h"
#include "backend/cache/RedisStore.h"
#include "backend/redis/RedisPool.h"
#include "backend/redis/SentinelClient.h"

#include <QElapsedTimer>
#include <QTest>
#include <atomic>

using namespace querydeck;
using namespace querydeck::test;

namespace {
const QString kMaster = QStringLiteral("qdmaster");

RedisEndpoint plainEndpoint()
{
    RedisEndpoint e;
    e.connectTimeoutMs = 500;
    e.commandTimeoutMs = 1000;
    return e;
}

bool isRole(const RedisTestServer& server, const QByteArray& role)
{
    const RedisReply r = server.command({"ROLE"});
    return r.type == RedisReply::Type::Array && !r.elements.empty() &&
           r.elements.front().text == role;
}
} // namespace

// A master, a replica and three sentinels, all real: discovery, a forced
// failover, and the store following the new master.
class TestRedisSentinel : public QObject
{
    Q_OBJECT

private:
    std::vector<RedisAddress> sentinelAddresses() const
    {
        std::vector<RedisAddress> list;
        for (const auto& s : m_sentinels)
            list.push_back(RedisAddress{QStringLiteral("127.0.0.1"), s->port(), 0});
        return list;
    }
    bool sentinelsSeeReplica() const
    {
        for (const auto& s : m_sentinels) {
            const RedisReply r = s->command({"SENTINEL", "replicas", kMaster.toUtf8()});
            if (r.type != RedisReply::Type::Array || r.elements.size() != 1)
                return false;
            const RedisReply& fields = r.elements.front();
            for (qsizetype i = 0; i + 1 < fields.elements.size(); i += 2)
                if (fields.elements[i].text == "flags" && fields.elements[i + 1].text != "slave")
                    return false;
        }
        return true;
    }

    RedisTestServer m_a;
    RedisTestServer m_b;
    std::vector<std::unique_ptr<RedisTestServer>> m_sentinels;

private slots:
    void initTestCase()
    {
        QString error = m_a.start({QStringLiteral("appendonly yes")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = m_b.start({QStringLiteral("appendonly yes"),
                           QStringLiteral("replicaof 127.0.0.1 %1").arg(m_a.port())});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (int i = 0; i < 3; ++i) {
            m_sentinels.push_back(
                std::make_unique<RedisTestServer>(RedisTestServer::Kind::Sentinel));
            error = m_sentinels.back()->start(
                {QStringLiteral("sentinel monitor %1 127.0.0.1 %2 2").arg(kMaster).arg(m_a.port()),
                 QStringLiteral("sentinel down-after-milliseconds %1 1000").arg(kMaster),
                 QStringLiteral("sentinel failover-timeout %1 5000").arg(kMaster)});
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            isRole(m_b, "slave") &&
                m_b.command({"INFO", "replication"}).text.contains("master_link_status:up"),
            15000);
        QTRY_VERIFY_WITH_TIMEOUT(sentinelsSeeReplica(), 30000);
    }
    void cleanupTestCase()
    {
        for (auto& s : m_sentinels)
            s->stop();
        m_b.stop();
        m_a.stop();
    }

    void parsesSwitchMessages()
    {
        const auto ok = SentinelClient::parseSwitch("qdmaster 127.0.0.1 1 127.0.0.2 6380", kMaster);
        QVERIFY(ok);
        QCOMPARE(ok->host, QStringLiteral("127.0.0.2"));
        QCOMPARE(ok->port, 6380);
        QVERIFY(!SentinelClient::parseSwitch("other 127.0.0.1 1 127.0.0.2 6380", kMaster));
        QVERIFY(!SentinelClient::parseSwitch("qdmaster 127.0.0.1 1 127.0.0.2", kMaster));
        QVERIFY(!SentinelClient::parseSwitch("qdmaster a 1 b 99999", kMaster));
        QVERIFY(!SentinelClient::parseSwitch("", kMaster));
    }

    void locatesThroughTheFirstSentinelThatAnswers()
    {
        std::vector<RedisAddress> list{{QStringLiteral("127.0.0.1"), ServeProcess::freePort(), 0}};
        for (const auto& s : sentinelAddresses())
            list.push_back(s);
        SentinelClient client(list, kMaster, plainEndpoint(), plainEndpoint());
        QString error;
        const auto master = client.locate(&error);
        QVERIFY2(master, qPrintable(error));
        QCOMPARE(master->port, int(m_a.port()));

        SentinelClient unknown(sentinelAddresses(), QStringLiteral("nosuch"), plainEndpoint(),
                               plainEndpoint());
        QVERIFY(!unknown.locate(&error));
        QVERIFY2(error.contains(QLatin1String("does not know master \"nosuch\"")),
                 qPrintable(error));
    }

    void storeFollowsTheNewMasterAfterFailover()
    {
        auto sentinel = std::make_shared<SentinelClient>(sentinelAddresses(), kMaster,
                                                         plainEndpoint(), plainEndpoint());
        RedisPoolOptions options;
        options.endpoint = plainEndpoint();
        options.backoffMinMs = 50;
        options.backoffMaxMs = 500;
        auto pool = std::make_shared<RedisPool>(sentinel, options);
        std::atomic<int> switches{0};
        sentinel->startWatching([&](const RedisAddress&, const QString& why) {
            ++switches;
            pool->masterChanged(why);
        });
        // A second pool without the watcher: it must find out from READONLY.
        auto quietPool = std::make_shared<RedisPool>(
            std::make_shared<SentinelClient>(sentinelAddresses(), kMaster, plainEndpoint(),
                                             plainEndpoint()),
            options);
        RedisStore store(pool, {});
        CacheEntry entry;
        entry.key = "before";
        entry.normalizedQuery = QStringLiteral("before");
        entry.embedding = {1, 0};
        entry.payload = "p1";
        QVERIFY(store.put(entry));
        QVERIFY(quietPool->run({"SET", "quiet", "1"}).ok());
        QCOMPARE(store.fallbacks(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_b.command({"EXISTS", store.entryKey("before")}).integer == 1,
                                 5000);

        const RedisReply failover =
            m_sentinels[0]->command({"SENTINEL", "FAILOVER", kMaster.toUtf8()});
        QVERIFY2(failover.ok(), failover.text.constData());
        QTRY_VERIFY_WITH_TIMEOUT(isRole(m_b, "master"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(switches.load() >= 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(isRole(m_a, "slave"), 20000);
        QCOMPARE(switches.load(), 1); // announced once

        // The watched store writes to the new master without a fallback.
        entry.key = "after";
        entry.payload = "p2";
        auto putWithoutFallback = [&] {
            const qint64 before = store.fallbacks();
            return store.put(entry) && store.fallbacks() == before;
        };
        QTRY_VERIFY_WITH_TIMEOUT(putWithoutFallback(), 10000);
        QCOMPARE(m_b.command({"EXISTS", store.entryKey("after")}).integer, 1);
        const auto before = store.get("before");
        QVERIFY(before);
        QCOMPARE(before->payload, QByteArray("p1"));

        // The unwatched pool's idle connection still points at the demoted
        // master (demotion closes it, or READONLY): its write re-discovers the master
        // and succeeds within the call.
        const RedisReply quiet = quietPool->run({"SET", "quiet", "2"});
        QVERIFY2(quiet.ok(), quiet.text.constData());
        QCOMPARE(m_b.command({"GET", "quiet"}).text, QByteArray("2"));
        sentinel->stopWatching();
    }

    // Runs after the failover above: b is the master, a its replica.
    void storeSurvivesAKilledMaster()
    {
        QTRY_VERIFY_WITH_TIMEOUT(
            isRole(m_a, "slave") &&
                m_a.command({"INFO", "replication"}).text.contains("master_link_status:up"),
            15000);
        auto sentinel = std::make_shared<SentinelClient>(sentinelAddresses(), kMaster,
                                                         plainEndpoint(), plainEndpoint());
        RedisPoolOptions options;
        options.endpoint = plainEndpoint();
        options.backoffMinMs = 50;
        options.backoffMaxMs = 500;
        auto pool = std::make_shared<RedisPool>(sentinel, options);
        sentinel->startWatching(
            [&](const RedisAddress&, const QString& why) { pool->masterChanged(why); });
        RedisStore store(pool, {});
        CacheEntry entry;
        entry.key = "kill";
        entry.normalizedQuery = QStringLiteral("kill");
        entry.embedding = {0, 1};
        entry.payload = "k1";
        QVERIFY(store.put(entry));

        m_b.kill(); // kill -9: no goodbye to anyone
        QElapsedTimer window;
        window.start();
        // Every call answers (from memory while no master is known) ...
        entry.payload = "k2";
        QVERIFY(store.put(entry));
        QCOMPARE(store.get("kill")->payload, QByteArray("k2"));
        // ... and once Sentinel has promoted a, writes reach it again.
        auto putReachesRedis = [&] {
            const qint64 before = store.fallbacks();
            return store.put(entry) && store.fallbacks() == before;
        };
        QTRY_VERIFY_WITH_TIMEOUT(putReachesRedis(), 30000);
        qInfo("master killed: writes back in redis after %lld ms", window.elapsed());
        QVERIFY(isRole(m_a, "master"));
        QCOMPARE(m_a.command({"GET", store.entryKey("kill")}).type, RedisReply::Type::String);
        sentinel->stopWatching();
    }
};

QTEST_GUILESS_MAIN(TestRedisSentinel)
#include "tst_redis_sentinel.moc"
