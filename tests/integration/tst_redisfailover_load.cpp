// The failover drill under load, against real servers: a Redis master with 2
// replicas and 3 sentinels (down-after-milliseconds 1500), two `querydeck
// serve` replicas on --redis-sentinel, and ~200 queries/s spread over both
// (repeated questions = cache hits, and new ones = misses that write).
//   1. A failover through the wizard's FailoverController (default mode):
//      no client request may fail, both replicas end up on the new master
//      (their /v1/info and their writes on the new master), and the
//      controller's own count of failed requests agrees with the clients'.
//   2. A replica pinned to the old master (--redis, no Sentinel) fails the
//      controller's verification, with a message naming it.
//   3. kill -9 of the master under the same load: Sentinel promotes, both
//      replicas reconnect (a new entry written through each lands on the new
//      master). Budget: 0 non-2xx. The service retries on the new master and
//      falls back to its in-memory tier meanwhile, so Redis trouble is never
//      a client error (measured: see the qInfo lines and README).
#include "QueryLoad.h"
#include "RawHttp.h"
#include "RedisTopologyFixture.h"
#include "ServeProcess.h"
#include "backend/metrics/ExpositionParser.h"
#include "backend/redisops/FailoverController.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace querydeck;
using namespace querydeck::test;

namespace {

constexpr double kRatePerReplica = 100; // 60 repeated + 40 new questions per second
// Answers that count as "the load is established" before a trigger, and as
// "a while after it": about 3 s of the drill's rate, waited for as answers (a
// condition), not as seconds.
constexpr qint64 kSettleAnswers = 600;
constexpr qint64 kNon2xxBudget = 0; // both cases; see the file comment

quint16 portOf(const QString& address)
{
    return quint16(address.section(':', 1).toInt());
}

// Runs `controller` as the wizard does: discover, the pre-checks must pass,
// trigger, wait for the end. Empty when it finished (ok or not), else what
// went wrong before.
QString runFailover(FailoverController& controller)
{
    QSignalSpy checks(&controller, &FailoverController::checksReady);
    QSignalSpy finished(&controller, &FailoverController::finished);
    controller.discover();
    if (!checks.wait(15000))
        return QStringLiteral("no pre-check results in 15 s");
    if (!FailoverCheck::allowTrigger(controller.checks()))
        return QStringLiteral("pre-checks must pass");
    if (!controller.trigger())
        return QStringLiteral("the trigger was refused");
    if (!finished.wait(70000))
        return QStringLiteral("the failover did not finish in 70 s");
    return {};
}

QString redisMasterOf(quint16 servicePort)
{
    const RawResponse r = RawHttp::get(servicePort, "/v1/info");
    return QJsonDocument::fromJson(r.body)
        .object()
        .value(QLatin1String("cache"))
        .toObject()
        .value(QLatin1String("redis_master"))
        .toString();
}

// 5xx answers to /v1/query so far, read from the replica's /metrics.
double failedQueries(quint16 servicePort)
{
    QString error;
    return ServiceReplicaProbe::parseFailedQueries(RawHttp::get(servicePort, "/metrics").body,
                                                   &error);
}

// Cache reads and writes both replicas served from memory because Redis did not answer.
double fallbacks(const QList<quint16>& servicePorts)
{
    double sum = 0;
    for (const quint16 port : servicePorts) {
        const SourceResult parsed = ExpositionParser::parse(RawHttp::get(port, "/metrics").body, 0);
        for (const Sample& s : parsed.samples)
            sum +=
                s.key.name == QLatin1String("querydeck_cache_redis_fallbacks_total") ? s.value : 0;
    }
    return sum;
}

// The load on both replicas: per replica one generator of repeated questions
// (8 texts: exact hits after the first round) and one of new questions.
class DrillLoad
{
public:
    DrillLoad(quint16 a, quint16 b)
    {
        int n = 0;
        for (const quint16 port : {a, b}) {
            const QByteArray name = n++ == 0 ? "alpha" : "bravo";
            auto hits = std::make_unique<QueryLoad>(port, 3, 8, "how do i drain a replica, case");
            hits->setRate(kRatePerReplica * 0.6);
            auto fresh = std::make_unique<QueryLoad>(port, 3, 1 << 30, "drillnew " + name);
            fresh->setRate(kRatePerReplica * 0.4);
            m_loads.push_back(std::move(hits));
            m_loads.push_back(std::move(fresh));
        }
    }
    void start()
    {
        for (auto& l : m_loads)
            l->start();
    }
    void stop()
    {
        for (auto& l : m_loads)
            l->stop();
    }
    QueryLoad::Counts total() const
    {
        QueryLoad::Counts sum;
        for (const auto& l : m_loads) {
            const QueryLoad::Counts c = l->counts();
            sum.ok += c.ok;
            sum.non2xx += c.non2xx;
            sum.transport += c.transport;
            for (auto it = c.byStatus.cbegin(); it != c.byStatus.cend(); ++it)
                sum.byStatus[it.key()] += it.value();
            for (auto it = c.byReplica.cbegin(); it != c.byReplica.cend(); ++it)
                sum.byReplica[it.key()] += it.value();
            if (!c.lastFailure.isEmpty())
                sum.lastFailure = c.lastFailure;
        }
        return sum;
    }
    static qint64 fiveHundreds(const QueryLoad::Counts& c)
    {
        qint64 n = 0;
        for (auto it = c.byStatus.cbegin(); it != c.byStatus.cend(); ++it)
            n += it.key() / 100 == 5 ? it.value() : 0;
        return n;
    }

private:
    std::vector<std::unique_ptr<QueryLoad>> m_loads;
};

} // namespace

class RedisFailoverLoadTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void wizardFailoverLosesNoRequest();
    void replicaOnTheOldMasterFailsVerify();
    void killMasterUnderLoad();

private:
    QStringList serveArgs(const QString& name) const;
    // Entries of the cache stream on `master` newer than `sinceMs` whose
    // question contains `token`.
    int streamEntriesSince(const QString& master, qint64 sinceMs, const QString& token) const;
    void report(const char* what, const DrillLoad& load, double windowSeconds);
    // The current master once both replicas are connected to it (Sentinel
    // must know both before it can promote one); empty after 30 s without.
    QString settledMaster() const;

    RedisTopologyFixture m_redis;
    QTemporaryDir m_dir;
    QString m_config;
    ServeProcess m_a;
    ServeProcess m_b;
};

QStringList RedisFailoverLoadTest::serveArgs(const QString& name) const
{
    QStringList sentinels;
    for (const quint16 port : m_redis.sentinelPorts())
        sentinels << RedisTopologyFixture::address(port);
    return {QStringLiteral("--redis-sentinel"), sentinels.join(QLatin1Char(',')),
            QStringLiteral("--redis-master"),   QLatin1String(RedisTopologyFixture::kMasterName),
            QStringLiteral("--corpus"),         QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small"),
            QStringLiteral("--replica-id"),     name,
            QStringLiteral("--config"),         m_config};
}

void RedisFailoverLoadTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString error = m_redis.startSentinelTopology(2, 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(RedisTopologyFixture::kDownAfterMs >= 1000 &&
            RedisTopologyFixture::kDownAfterMs <= 2000);
    m_config = m_dir.filePath(QStringLiteral("config.json"));
    QVERIFY(ServeProcess::writeRedisConfig(m_config, m_dir.filePath(QStringLiteral("index"))));
    QString started = m_a.start(serveArgs(QStringLiteral("alpha")));
    QVERIFY2(started.isEmpty(), qPrintable(started));
    started = m_b.start(serveArgs(QStringLiteral("bravo")));
    QVERIFY2(started.isEmpty(), qPrintable(started));
    const QString master = RedisTopologyFixture::address(m_redis.masterPort());
    for (ServeProcess* s : {&m_a, &m_b}) {
        QCOMPARE(
            RawHttp::postJson(s->port(), "/v1/query", ServeProcess::queryBody("warm up")).status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(redisMasterOf(s->port()), master, 10000);
    }
}

void RedisFailoverLoadTest::cleanupTestCase()
{
    m_a.terminate();
    m_b.terminate();
    m_redis.stop();
}

QString RedisFailoverLoadTest::settledMaster() const
{
    const QString master = RedisTopologyFixture::currentMaster(m_redis.dataPorts());
    const bool settled =
        !master.isEmpty() &&
        QTest::qWaitFor(
            [&] {
                return RedisTopologyFixture::cli(portOf(master), {"INFO", "replication"})
                    .contains("connected_slaves:2");
            },
            30000);
    return settled ? master : QString();
}

int RedisFailoverLoadTest::streamEntriesSince(const QString& master, qint64 sinceMs,
                                              const QString& token) const
{
    const QString out = RedisTopologyFixture::cli(
        portOf(master), {"XRANGE", "querydeck:cache-stream", QString::number(sinceMs), "+"});
    int n = 0;
    for (const QString& line : out.split(QLatin1Char('\n')))
        n += line.contains(token) ? 1 : 0;
    return n;
}

void RedisFailoverLoadTest::report(const char* what, const DrillLoad& load, double windowSeconds)
{
    const QueryLoad::Counts c = load.total();
    QStringList statuses;
    for (auto it = c.byStatus.cbegin(); it != c.byStatus.cend(); ++it)
        statuses << QStringLiteral("%1: %2").arg(it.key()).arg(it.value());
    qInfo("%s: %lld requests, %lld non-2xx, %lld 5xx, %lld transport errors, "
          "window %.2f s [%s]%s%s",
          what, c.total(), c.non2xx, DrillLoad::fiveHundreds(c), c.transport, windowSeconds,
          qPrintable(statuses.join(QStringLiteral(", "))),
          c.lastFailure.isEmpty() ? "" : "; last failure: ", c.lastFailure.left(300).constData());
}

void RedisFailoverLoadTest::wizardFailoverLosesNoRequest()
{
    const QString oldMaster = RedisTopologyFixture::currentMaster(m_redis.dataPorts());
    QCOMPARE(oldMaster, RedisTopologyFixture::address(m_redis.masterPort()));
    const double failedBefore = failedQueries(m_a.port()) + failedQueries(m_b.port());
    const double fallbacksBefore = fallbacks({m_a.port(), m_b.port()});

    DrillLoad load(m_a.port(), m_b.port());
    load.start();
    // The load is established before the trigger.
    QTRY_VERIFY_WITH_TIMEOUT(load.total().ok >= kSettleAnswers, 60000);

    FailoverController controller; // as the wizard uses it, default mode (Sentinel picks)
    controller.setRequest(m_redis.failoverRequest());
    controller.setServiceReplicas({QStringLiteral("http://127.0.0.1:%1").arg(m_a.port()),
                                   QStringLiteral("http://127.0.0.1:%1").arg(m_b.port())});
    const QueryLoad::Counts atStart = load.total();
    const QString ran = runFailover(controller);
    const QueryLoad::Counts atVerify = load.total();
    QVERIFY2(ran.isEmpty(), qPrintable(ran));
    const FailoverController::Report r = controller.report();
    const qint64 verifiedAtMs = QDateTime::currentMSecsSinceEpoch();
    // And a while after it: the services keep answering on the new master.
    const qint64 answeredAtVerify = load.total().ok;
    QTRY_VERIFY_WITH_TIMEOUT(load.total().ok >= answeredAtVerify + kSettleAnswers, 60000);
    load.stop();
    report("wizard failover under load", load, double(r.windowMs) / 1000.0);
    qInfo("wizard failover: promoted after %.2f s, new master took a write after %.2f s, "
          "both QueryDeck replicas on it after %.2f s; %.0f cache operations fell back to memory",
          double(r.promotedMs) / 1000.0, double(r.durationMs) / 1000.0, double(r.windowMs) / 1000.0,
          fallbacks({m_a.port(), m_b.port()}) - fallbacksBefore);
    for (const FailoverController::Event& e : r.timeline)
        qInfo("  %+8lld ms  %s", e.atMs, qPrintable(e.text));

    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.newMaster != oldMaster);
    QCOMPARE(RedisTopologyFixture::currentMaster(m_redis.dataPorts()), r.newMaster);
    QVERIFY(r.windowMs >= r.durationMs && r.durationMs > 0);
    // Both replicas are on the new master, by the controller and read here.
    for (ServeProcess* s : {&m_a, &m_b}) {
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(s->port());
        QVERIFY2(r.verified.contains(QStringLiteral("QueryDeck replica %1 uses the new master %2")
                                         .arg(url, r.newMaster)),
                 qPrintable(r.verified.join('\n')));
        QCOMPARE(redisMasterOf(s->port()), r.newMaster);
    }
    // ...and their new answers were written there after the switch.
    QVERIFY2(streamEntriesSince(r.newMaster, verifiedAtMs, QStringLiteral("drillnew alpha")) > 0,
             "no entry from replica alpha on the new master");
    QVERIFY2(streamEntriesSince(r.newMaster, verifiedAtMs, QStringLiteral("drillnew bravo")) > 0,
             "no entry from replica bravo on the new master");

    const QueryLoad::Counts c = load.total();
    QVERIFY2(c.total() > 0, "no load was sent");
    QCOMPARE(c.non2xx, kNon2xxBudget);
    QCOMPARE(c.transport, 0);
    // The report's count is read from the replicas' counters; it agrees with the clients.
    QCOMPARE(r.failedRequests, DrillLoad::fiveHundreds(c));
    QCOMPARE(failedQueries(m_a.port()) + failedQueries(m_b.port()) - failedBefore,
             double(DrillLoad::fiveHundreds(c)));
    QVERIFY2(r.failedRequestsDetail.contains("2 QueryDeck replica(s)"),
             qPrintable(r.failedRequestsDetail));
    // A drill, not a quiet switch: both replicas kept answering clients while
    // the failover ran (discovery to verification), counted in answers.
    for (const QString& replica : {QStringLiteral("alpha"), QStringLiteral("bravo")}) {
        const qint64 during = atVerify.byReplica.value(replica) - atStart.byReplica.value(replica);
        QVERIFY2(during > 0, qPrintable(QStringLiteral("replica %1 answered nothing during the "
                                                       "failover")
                                            .arg(replica)));
    }
    // And nothing sent in that window was lost or failed: every request
    // came back 2xx (non2xx and transport are 0 above), before, during and after.
    QCOMPARE(c.ok, c.total());
}

void RedisFailoverLoadTest::killMasterUnderLoad()
{
    const QString oldMaster = settledMaster();
    QVERIFY2(!oldMaster.isEmpty(), "no master with both replicas connected in 30 s");
    QList<quint16> survivors;
    for (const quint16 port : m_redis.dataPorts()) {
        if (RedisTopologyFixture::address(port) != oldMaster)
            survivors << port;
    }

    const double fallbacksBefore = fallbacks({m_a.port(), m_b.port()});
    DrillLoad load(m_a.port(), m_b.port());
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.total().ok >= kSettleAnswers, 60000);
    QElapsedTimer window;
    window.start();
    QVERIFY(m_redis.kill(portOf(oldMaster)));
    QString newMaster;
    QTRY_VERIFY_WITH_TIMEOUT(
        !(newMaster = RedisTopologyFixture::currentMaster(survivors)).isEmpty(), 30000);
    const double promotedSeconds = double(window.elapsed()) / 1000.0;
    // Both services reconnect: each one's next new entry lands on the new master.
    for (ServeProcess* s : {&m_a, &m_b}) {
        const QString token = QStringLiteral("afterkill %1").arg(s->port());
        int attempt = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            (RawHttp::postJson(
                 s->port(), "/v1/query",
                 ServeProcess::queryBody(QStringLiteral("%1 try %2").arg(token).arg(++attempt)))
                     .status == 200 &&
             streamEntriesSince(newMaster, 0, token) > 0),
            30000);
        QCOMPARE(redisMasterOf(s->port()), newMaster);
    }
    const double windowSeconds = double(window.elapsed()) / 1000.0;
    const qint64 answeredAfterWindow = load.total().ok;
    QTRY_VERIFY_WITH_TIMEOUT(load.total().ok >= answeredAfterWindow + kSettleAnswers, 60000);
    load.stop();
    report("kill -9 of the master under load", load, windowSeconds);
    qInfo("kill -9: a replica was master %.2f s after the kill; both services wrote to it "
          "%.2f s after it; %.0f cache operations fell back to memory",
          promotedSeconds, windowSeconds, fallbacks({m_a.port(), m_b.port()}) - fallbacksBefore);

    const QueryLoad::Counts c = load.total();
    QVERIFY2(c.total() > 0, "no load was sent");
    QVERIFY2(DrillLoad::fiveHundreds(c) <= kNon2xxBudget, c.lastFailure.constData());
    QVERIFY2(c.non2xx <= kNon2xxBudget, c.lastFailure.constData());
    QCOMPARE(c.transport, 0);
}

void RedisFailoverLoadTest::replicaOnTheOldMasterFailsVerify()
{
    // A third replica pinned to the current master by address: it cannot follow.
    const QString oldMaster = settledMaster();
    QVERIFY2(!oldMaster.isEmpty(), "no master with both replicas connected in 30 s");
    ServeProcess pinned;
    QStringList args = serveArgs(QStringLiteral("pinned")).mid(4); // no Sentinel options
    args << QStringLiteral("--redis") << QStringLiteral("redis://%1/0").arg(oldMaster);
    const QString started = pinned.start(args);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    QCOMPARE(
        RawHttp::postJson(pinned.port(), "/v1/query", ServeProcess::queryBody("pinned warm up"))
            .status,
        200);
    QCOMPARE(redisMasterOf(pinned.port()), oldMaster);

    const QString pinnedUrl = QStringLiteral("http://127.0.0.1:%1").arg(pinned.port());
    FailoverController controller;
    controller.setRequest(m_redis.failoverRequest());
    controller.setServiceReplicas(
        {QStringLiteral("http://127.0.0.1:%1").arg(m_a.port()), pinnedUrl});
    controller.setReplicaSwitchTimeoutMs(3000);
    const QString ran = runFailover(controller);
    QVERIFY2(ran.isEmpty(), qPrintable(ran));
    const FailoverController::Report r = controller.report();
    QVERIFY(!r.ok);
    QCOMPARE(controller.phase(), FailoverController::Phase::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("QueryDeck replica %1 still uses %2, not the new "
                                             "master %3")
                                  .arg(pinnedUrl, oldMaster, r.newMaster)),
             qPrintable(r.error));
    // The one that follows Sentinel is not blamed, and the count is still made.
    QVERIFY2(!r.error.contains(QString::number(m_a.port())), qPrintable(r.error));
    QCOMPARE(r.failedRequests, 0);
    QCOMPARE(pinned.terminate(), 0);
}

QTEST_GUILESS_MAIN(RedisFailoverLoadTest)
#include "tst_redisfailover_load.moc"
