// ReplicaScrapeSources over a real TelemetryEngine: a source per serving
// replica address, added once the replica is ready, removed when it leaves
// on purpose (its up series ends at 1, then stale, instead of turning into a
// down target), re-added when a replica on that address is ready again, and
// kept for a crashed replica (which then really is down) — as the bundled
// ReplicaDown rule sees it. The
// targets are HTTP servers serving the exposition text, on loopback.
#include "FixtureHttpServer.h"
#include "ManualClock.h"
#include "ScriptedReplicaSet.h"
#include "backend/alerting/AlertEngine.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/fleet/ReplicaScrapeSources.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/StaleMarker.h"
#include "backend/telemetry/TelemetryEngine.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace querydeck;
using querydeck::test::ScriptedReplicaSet;

namespace {

constexpr int kIntervalMs = 100;

ReplicaInfo replica(const QString& id, const QString& address, ReplicaState state)
{
    ReplicaInfo info;
    info.id = id;
    info.address = address;
    info.state = state;
    return info;
}

QString address(const FixtureHttpServer& server)
{
    return QStringLiteral("127.0.0.1:%1").arg(server.port());
}

// The expression of a bundled alert rule.
QString bundledRule(const QString& name)
{
    QFile file(QStringLiteral(QUERYDECK_SOURCE_DIR "/resources/alerts/default-rules.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonArray rules = QJsonDocument::fromJson(file.readAll()).object()["rules"].toArray();
    for (const QJsonValue& rule : rules)
        if (rule["name"].toString() == name)
            return rule["expr"].toString();
    return {};
}

} // namespace

class TestReplicaScrapeSources : public QObject
{
    Q_OBJECT

private slots:
    void followsReplicaLifecycle();
    void startingIsQuietKilledIsDown();

private:
    std::vector<Point> upOf(const QString& instance) const
    {
        const SeriesKey key = SeriesKey::make(QStringLiteral("up"),
                                              {{QStringLiteral("job"), QStringLiteral("service")},
                                               {QStringLiteral("instance"), instance}});
        return m_engine->store().window(key.toString(), 0, QDateTime::currentMSecsSinceEpoch());
    }
    // What the ReplicaDown rule's expression gives for a replica now (-1: no value).
    double replicaDownInput(const QString& instance) const
    {
        const Expression expression = Expression::parse(bundledRule(QStringLiteral("ReplicaDown")));
        for (const auto& [key, v] :
             expression.instant(m_engine->store(), QDateTime::currentMSecsSinceEpoch()))
            if (key.label(QStringLiteral("instance")) == instance)
                return v;
        return -1;
    }
    QStringList sourceIds() const
    {
        QStringList ids;
        for (const SourceStatus& s : m_status)
            ids << s.id;
        return ids;
    }

    TelemetryEngine* m_engine = nullptr;
    QList<SourceStatus> m_status;
};

void TestReplicaScrapeSources::followsReplicaLifecycle()
{
    FixtureHttpServer a;
    FixtureHttpServer b;
    for (FixtureHttpServer* server : {&a, &b}) {
        QVERIFY2(server->start(), qPrintable(server->errorString()));
        server->setHandler("GET", "/metrics", [](const FixtureRequest&) {
            return FixtureResponse::text(200, "querydeck_http_in_flight_requests 1\n");
        });
    }
    const QString addrA = address(a);
    const QString addrB = address(b);

    TelemetryEngine engine;
    m_engine = &engine;
    connect(&engine, &TelemetryEngine::sourceStatus, this,
            [this](const QList<SourceStatus>& status) { m_status = status; });
    QVERIFY(!engine.removeSource(QStringLiteral("scrape:nowhere:1")));
    ScriptedReplicaSet set;
    set.list = {replica("1", addrA, ReplicaState::Ready), replica("2", addrB, ReplicaState::Ready),
                replica("3", QString(), ReplicaState::Starting)}; // no address yet: nothing
    ReplicaScrapeSources sources(&set, &engine, kIntervalMs);
    engine.start();
    QCOMPARE(sources.addresses(), (QSet<QString>{addrA, addrB}));
    QTRY_VERIFY(upOf(addrA).size() >= 2 && upOf(addrB).size() >= 2);
    QCOMPARE(upOf(addrB).back().v, 1.0);

    // Scale-down: replica 2 drains. Its source goes at once; while replica 1
    // is scraped five more times, replica 2's up series gets nothing more.
    set.set(
        {replica("1", addrA, ReplicaState::Ready), replica("2", addrB, ReplicaState::Draining)});
    QCOMPARE(sources.addresses(), QSet<QString>{addrA});
    QTRY_VERIFY(!sourceIds().isEmpty() && !sourceIds().contains("scrape:" + addrB));
    QVERIFY(sourceIds().contains("scrape:" + addrA));
    const std::size_t endedAt = upOf(addrB).size();
    const std::size_t aBefore = upOf(addrA).size();
    b.stop(); // the replica exits: had its source stayed, it would record up=0 now
    set.set({replica("1", addrA, ReplicaState::Ready)});
    QTRY_VERIFY(upOf(addrA).size() >= aBefore + 5);
    QCOMPARE(upOf(addrB).size(), endedAt);
    // The series ends up, then stale (a staleness marker), never down.
    QVERIFY(upOf(addrB).size() >= 2);
    QCOMPARE(upOf(addrB)[upOf(addrB).size() - 2].v, 1.0);
    QVERIFY(isStaleMarker(upOf(addrB).back().v));
    QCOMPARE(replicaDownInput(addrB), -1.0); // no value: ReplicaDown (no_data ok) stays quiet

    // A replica starts on that address again: scraped again once it is ready.
    FixtureHttpServer again;
    QVERIFY(again.start());
    again.setHandler("GET", "/metrics", [](const FixtureRequest&) {
        return FixtureResponse::text(200, "querydeck_http_in_flight_requests 2\n");
    });
    const QString addrC = address(again);
    set.set(
        {replica("1", addrA, ReplicaState::Ready), replica("2", addrC, ReplicaState::Starting)});
    QCOMPARE(sources.addresses(), QSet<QString>{addrA});
    set.set({replica("1", addrA, ReplicaState::Ready), replica("2", addrC, ReplicaState::Ready)});
    QCOMPARE(sources.addresses(), (QSet<QString>{addrA, addrC}));
    QTRY_VERIFY(upOf(addrC).size() >= 2);
    set.set(
        {replica("1", addrA, ReplicaState::Ready), replica("2", addrB, ReplicaState::Starting)});
    QCOMPARE(sources.addresses(), QSet<QString>{addrA}); // addrC's replica is gone, B not ready
    QTRY_VERIFY(!sourceIds().contains("scrape:" + addrC));

    // A crash (failed) is watched: that replica really is down, and says so.
    set.set({replica("1", addrA, ReplicaState::Ready), replica("2", addrB, ReplicaState::Failed)});
    QCOMPARE(sources.addresses(), (QSet<QString>{addrA, addrB}));
    const std::size_t crashed = upOf(addrB).size();
    QTRY_VERIFY(upOf(addrB).size() >= crashed + 2);
    QCOMPARE(upOf(addrB).back().v, 0.0);
    QCOMPARE(replicaDownInput(addrB), 0.0); // ReplicaDown sees it

    // Stopped for good: removed.
    set.set({replica("1", addrA, ReplicaState::Ready), replica("2", addrB, ReplicaState::Stopped)});
    QCOMPARE(sources.addresses(), QSet<QString>{addrA});
    QTRY_VERIFY(!sourceIds().contains("scrape:" + addrB));
    engine.stop();
}

// Target lifecycle as an operator lives it, with the bundled ReplicaDown rule
// on an AlertEngine: a replica that is starting (its metrics port not
// answering yet) has no up 0 and no red status chip, and ReplicaDown stays
// Normal through a scale-up; once ready it is scraped; killed, it is down at
// once (Pending), through its crash and restart, and fires after the rule's
// `for`.
void TestReplicaScrapeSources::startingIsQuietKilledIsDown()
{
    FixtureHttpServer steady;
    QVERIFY2(steady.start(), qPrintable(steady.errorString()));
    steady.setHandler("GET", "/metrics", [](const FixtureRequest&) {
        return FixtureResponse::text(200, "querydeck_http_in_flight_requests 0\n");
    });
    FixtureHttpServer fresh;
    QVERIFY2(fresh.start(), qPrintable(fresh.errorString()));
    bool listening = false; // the new replica's process has not bound its port yet
    fresh.setHandler("GET", "/metrics", [&listening](const FixtureRequest&) {
        return listening ? FixtureResponse::text(200, "querydeck_http_in_flight_requests 1\n")
                         : FixtureResponse::text(503, "starting\n");
    });
    const QString addrSteady = address(steady);
    const QString addrFresh = address(fresh);

    TelemetryEngine engine;
    m_engine = &engine;
    connect(&engine, &TelemetryEngine::sourceStatus, this,
            [this](const QList<SourceStatus>& status) { m_status = status; });
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    AlertEngine alerts(&engine.store(), clock.clock());
    alerts.setTickInterval(0);
    std::vector<AlertRule> rules;
    for (const AlertRule& rule : AlertRuleJson::defaults())
        if (rule.name == QLatin1String("ReplicaDown"))
            rules.push_back(rule);
    QCOMPARE(rules.size(), std::size_t(1));
    QVERIFY(alerts.setRules(rules).isEmpty());
    const auto replicaDown = [&alerts](const QString& instance) {
        for (const AlertInstance& a : alerts.instances())
            if (a.labels.value(QStringLiteral("instance")) == instance)
                return a.status.state;
        return AlertState::Normal;
    };
    const auto chip = [this](const QString& id) {
        for (const SourceStatus& s : m_status)
            if (s.id == id)
                return s.health;
        return SourceHealth::Stale; // no chip at all
    };
    // Lets the engine scrape the steady replica n more times.
    const auto polls = [this, &addrSteady](std::size_t n) {
        const std::size_t before = upOf(addrSteady).size();
        QTRY_VERIFY(upOf(addrSteady).size() >= before + n);
    };

    ScriptedReplicaSet set;
    set.list = {replica("1", addrSteady, ReplicaState::Ready)};
    ReplicaScrapeSources sources(&set, &engine, kIntervalMs);
    engine.start();
    polls(2);

    // Scale-up: replica 2 starts. Not scraped yet: no up 0, no red chip,
    // ReplicaDown stays Normal while it starts.
    set.set({replica("1", addrSteady, ReplicaState::Ready),
             replica("2", addrFresh, ReplicaState::Starting)});
    polls(5);
    for (int i = 0; i < 3; ++i) {
        clock.advance(15000);
        alerts.evaluateAll();
    }
    QVERIFY2(replicaDownInput(addrFresh) != 0.0, "a starting replica reads as down");
    QVERIFY(chip(QStringLiteral("scrape:") + addrFresh) != SourceHealth::Error);
    QCOMPARE(replicaDown(addrFresh), AlertState::Normal);

    // Ready (its /ready answered 200): scraped from now on, up 1.
    listening = true;
    set.set({replica("1", addrSteady, ReplicaState::Ready),
             replica("2", addrFresh, ReplicaState::Ready)});
    QTRY_COMPARE(replicaDownInput(addrFresh), 1.0);
    QTRY_COMPARE(chip(QStringLiteral("scrape:") + addrFresh), SourceHealth::Ok);

    // kill -9: it stops answering before the set notices; ReplicaDown goes
    // Pending at the next evaluation.
    fresh.stop();
    QTRY_COMPARE(replicaDownInput(addrFresh), 0.0);
    clock.advance(15000);
    alerts.evaluateAll();
    QCOMPARE(replicaDown(addrFresh), AlertState::Pending);
    // The set sees the crash, then restarts it: still down, still watched.
    set.set({replica("1", addrSteady, ReplicaState::Ready),
             replica("2", addrFresh, ReplicaState::Failed)});
    polls(2);
    set.set({replica("1", addrSteady, ReplicaState::Ready),
             replica("2", addrFresh, ReplicaState::Starting)});
    QCOMPARE(sources.addresses(), (QSet<QString>{addrSteady, addrFresh}));
    polls(2);
    QCOMPARE(replicaDownInput(addrFresh), 0.0);
    clock.advance(61000); // past the rule's `for: 1m`
    alerts.evaluateAll();
    QCOMPARE(replicaDown(addrFresh), AlertState::Firing);
    engine.stop();
}

QTEST_GUILESS_MAIN(TestReplicaScrapeSources)
#include "tst_replicascrapesources.moc"
