// ReplicaScrapeSources over a real TelemetryEngine: a source per live
// replica address, removed when the replica leaves on purpose (so its up
// series ends at 1 instead of turning into a down target), re-added when a
// replica starts on that address again, and kept for a crashed replica
// (which then really is down) — as the bundled ReplicaDown rule sees it. The
// targets are HTTP servers serving the exposition text, on loopback.
#include "FixtureHttpServer.h"
#include "ScriptedReplicaSet.h"
#include "backend/fleet/ReplicaScrapeSources.h"
#include "backend/metrics/Expression.h"
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
    QCOMPARE(upOf(addrB).back().v, 1.0);    // the series ends up, not down
    QCOMPARE(replicaDownInput(addrB), 1.0); // ReplicaDown (up < 1) stays quiet

    // A replica starts on that address again: scraped again.
    FixtureHttpServer again;
    QVERIFY(again.start());
    again.setHandler("GET", "/metrics", [](const FixtureRequest&) {
        return FixtureResponse::text(200, "querydeck_http_in_flight_requests 2\n");
    });
    const QString addrC = address(again);
    set.set(
        {replica("1", addrA, ReplicaState::Ready), replica("2", addrC, ReplicaState::Starting)});
    QCOMPARE(sources.addresses(), (QSet<QString>{addrA, addrC}));
    QTRY_VERIFY(upOf(addrC).size() >= 2);
    set.set(
        {replica("1", addrA, ReplicaState::Ready), replica("2", addrB, ReplicaState::Starting)});
    QCOMPARE(sources.addresses(), (QSet<QString>{addrA, addrB})); // addrC's replica is gone
    QTRY_VERIFY(upOf(addrB).size() > endedAt);                    // re-added, scraped (down)
    QTRY_VERIFY(!sourceIds().contains("scrape:" + addrC));

    // A crash keeps the source: that replica really is down, and says so.
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

QTEST_GUILESS_MAIN(TestReplicaScrapeSources)
#include "tst_replicascrapesources.moc"
