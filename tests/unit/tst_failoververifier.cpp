// FailoverVerifier without servers: its only way out is its hooks, so a fake
// `ask` answers SET, GET and SENTINEL GET-MASTER-ADDR-BY-NAME as the servers
// would, and the test reads the verdict and the report.
#include "backend/redisops/FailoverVerifier.h"

#include <QHash>
#include <QTest>
#include <optional>

using namespace querydeck;

namespace {

RedisReply status(const QByteArray& text)
{
    RedisReply r;
    r.type = RedisReply::Type::Status;
    r.text = text;
    return r;
}

RedisReply string(const QByteArray& text)
{
    RedisReply r;
    r.type = RedisReply::Type::String;
    r.text = text;
    return r;
}

// The servers of a Sentinel setup after a failover to kNewMaster.
struct FakeServers
{
    static constexpr const char* kNewMaster = "127.0.0.1:7001";
    QHash<QByteArray, QByteArray> values;  // what SET wrote on the new master
    QHash<QString, QString> sentinelNames; // sentinel -> the master it names
    bool refuseWrite = false;
    QList<QByteArrayList> commands;

    void ask(const QString& address, const QByteArrayList& args,
             const FailoverVerifier::Handler& handler)
    {
        commands << args;
        if (args.first() == "SET") {
            if (refuseWrite)
                return handler(RedisReply::error(QStringLiteral("READONLY replica")));
            values.insert(args.at(1), args.at(2));
            return handler(status("OK"));
        }
        if (args.first() == "GET")
            return handler(string(values.value(args.at(1))));
        if (args.first() == "SENTINEL") {
            const QString named = sentinelNames.value(address);
            RedisReply r;
            r.type = RedisReply::Type::Array;
            r.elements << string(named.section(':', 0, 0).toUtf8())
                       << string(named.section(':', 1).toUtf8());
            return handler(r);
        }
        handler(RedisReply::error(QStringLiteral("unexpected command")));
    }
};

struct Outcome
{
    bool ok = false;
    QString error;
};

} // namespace

class TestFailoverVerifier : public QObject
{
    Q_OBJECT

    FakeServers m_servers;
    std::optional<Outcome> m_outcome;
    QStringList m_notes;
    FailoverReport m_report;
    RedisTopology m_topology;
    ServiceReplicaProbe m_probe;

    FailoverVerifier::Hooks hooks()
    {
        FailoverVerifier::Hooks h;
        h.ask = [this](const QString& address, const QByteArrayList& args,
                       FailoverVerifier::Handler handler) {
            m_servers.ask(address, args, handler);
        };
        h.note = [this](const QString& text) { m_notes << text; };
        h.finish = [this](bool ok, const QString& error) { m_outcome = Outcome{ok, error}; };
        h.sinceTriggerMs = [] { return qint64(1234); };
        return h;
    }

    void run()
    {
        FailoverVerifier verifier(hooks(), &m_probe);
        verifier.start(FailoverRequest{}, m_topology, {}, {}, &m_report);
    }

private slots:
    void init()
    {
        m_servers = {};
        m_outcome.reset();
        m_notes.clear();
        m_report = {};
        m_report.oldMaster = QStringLiteral("127.0.0.1:7000");
        m_report.newMaster = QString::fromLatin1(FakeServers::kNewMaster);
        m_topology = {};
        m_topology.quorum = 2;
        for (const char* sentinel : {"127.0.0.1:26379", "127.0.0.1:26380", "127.0.0.1:26381"}) {
            SentinelState s;
            s.address = QString::fromLatin1(sentinel);
            s.reachable = true;
            m_topology.sentinels << s;
            m_servers.sentinelNames.insert(s.address, m_report.newMaster);
        }
    }

    void verifiesWriteReadAndSentinels()
    {
        run();
        QVERIFY(m_outcome);
        QVERIFY2(m_outcome->ok, qPrintable(m_outcome->error));
        QCOMPARE(m_report.durationMs, 1234); // the write was accepted at that point
        QCOMPARE(m_report.verified,
                 (QStringList{QStringLiteral("127.0.0.1:7001 accepted a write"),
                              QStringLiteral("cache read from 127.0.0.1:7001 succeeded"),
                              QStringLiteral("127.0.0.1:7000 is a replica of 127.0.0.1:7001"),
                              QStringLiteral("3 of 3 sentinels name 127.0.0.1:7001")}));
        QVERIFY2(m_report.failedRequestsDetail.startsWith(QStringLiteral("not measured")),
                 qPrintable(m_report.failedRequestsDetail));
        // The probe key is written with an expiry, so it does not stay behind.
        QCOMPARE(m_servers.commands.first().mid(3), (QByteArrayList{"EX", "300"}));
    }

    void tooFewSentinelsFail()
    {
        m_servers.sentinelNames[QStringLiteral("127.0.0.1:26379")] =
            QStringLiteral("127.0.0.1:7000");
        m_servers.sentinelNames[QStringLiteral("127.0.0.1:26380")] =
            QStringLiteral("127.0.0.1:7000");
        run();
        QVERIFY(m_outcome);
        QVERIFY(!m_outcome->ok);
        QCOMPARE(m_outcome->error, QStringLiteral("only 1 sentinels name the new master"));
    }

    void refusedWriteFails()
    {
        m_servers.refuseWrite = true;
        run();
        QVERIFY(m_outcome);
        QVERIFY(!m_outcome->ok);
        QVERIFY2(m_outcome->error.startsWith(
                     QStringLiteral("the new master 127.0.0.1:7001 refused a write")),
                 qPrintable(m_outcome->error));
        QCOMPARE(m_report.durationMs, -1);
    }
};

QTEST_GUILESS_MAIN(TestFailoverVerifier)
#include "tst_failoververifier.moc"
