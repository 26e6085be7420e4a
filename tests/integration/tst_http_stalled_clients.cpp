// Drill of issue 12: a replica run directly (no proxy in front) keeps
// answering /health and real queries from another address while (a) 1,000
// connections stall mid-header, (b) 1,000 stall mid-body, (c) 10,000 idle
// keep-alive connections stay open, and (d) one address opens connections as
// fast as it can. Against a real `querydeck serve`; the attackers come from
// 127.1.x.y, the probes from 127.0.0.1. Asserts answers, never timings (the
// latency figures are tests/bench/run-bench-attacks.sh's job).
#include "ClientSockets.h"
#include "RawHttp.h"
#include "ServeProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck::test;

namespace {

// Per source address: below the default http.max_connections_per_address
// (512), so the attacks test the deadlines and the thread model, not the
// per-address limit (tst_httpserver covers that).
constexpr int kPerAddress = 100;

double metric(quint16 port, const QByteArray& series)
{
    const RawResponse r = RawHttp::get(port, "/metrics");
    for (const QByteArray& line : r.body.split('\n'))
        if (line.startsWith(series + ' '))
            return line.mid(series.size() + 1).toDouble();
    return -1;
}

QByteArray nested(int depth)
{
    return R"({"query":"how do I drain a replica?","nested":)" + QByteArray(depth, '[') +
           QByteArray(depth, ']') + "}";
}

} // namespace

class HttpStalledClientsTest : public QObject
{
    Q_OBJECT

private:
    quint16 port() const { return m_serve.port(); }

    // What must hold while an attack is in place: liveness, readiness and a
    // real query from another address are answered.
    void verifyServed(const char* during)
    {
        const RawResponse health = RawHttp::get(port(), "/health");
        QVERIFY2(health.status == 200, qPrintable(QStringLiteral("/health during %1: %2 %3")
                                                      .arg(QLatin1String(during))
                                                      .arg(health.status)
                                                      .arg(QString::fromUtf8(health.error))));
        QCOMPARE(RawHttp::get(port(), "/ready").status, 200);
        const RawResponse query = RawHttp::postJson(
            port(), "/v1/query",
            ServeProcess::queryBody(
                QStringLiteral("How do I drain a replica? (%1)").arg(QLatin1String(during))));
        QVERIFY2(query.status == 200, qPrintable(QStringLiteral("/v1/query during %1: %2 %3")
                                                     .arg(QLatin1String(during))
                                                     .arg(query.status)
                                                     .arg(QString::fromUtf8(query.body))));
    }

    QTemporaryDir m_dir;
    ServeProcess m_serve;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // 10,000 client sockets here; the server (our child) inherits the
        // raised limit and raises its own to the hard limit.
        QVERIFY2(ClientSockets::raiseOpenFileLimit(12000),
                 "RLIMIT_NOFILE hard limit below 12000: cannot hold 10,000 connections");
        // Deadlines far longer than the drill, so each attack stays in place
        // while the probes run (tst_httpserver shows the deadlines close
        // stalled clients); everything else is the default.
        const QJsonObject config{
            {QStringLiteral("http"),
             QJsonObject{{QStringLiteral("header_timeout_ms"), 120000},
                         {QStringLiteral("body_timeout_ms"), 120000},
                         {QStringLiteral("keep_alive_timeout_ms"), 120000}}},
            {QStringLiteral("rate_limit"), QJsonObject{{QStringLiteral("enabled"), false}}},
            {QStringLiteral("corpus"),
             QJsonObject{{QStringLiteral("index_dir"), m_dir.filePath(QStringLiteral("index"))}}},
        };
        const QString path = m_dir.filePath(QStringLiteral("serve.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(config).toJson());
        file.close();
        const QString error =
            m_serve.start({QStringLiteral("--config"), path, QStringLiteral("--corpus"),
                           QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_serve.output().contains("open file limit"));
    }

    void attack_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<QByteArray>("sent");
        QTest::addColumn<bool>("answered"); // each attacker gets a response, then idles
        QTest::newRow("a: 1,000 stalled mid-header")
            << 1000 << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\nUser-Ag") << false;
        QTest::newRow("b: 1,000 stalled mid-body")
            << 1000
            << QByteArray("POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Content-Length: 4000\r\n\r\n{\"query\":\"stall")
            << false;
        QTest::newRow("c: 10,000 idle keep-alive")
            << 10000 << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") << true;
    }

    void attack()
    {
        QFETCH(int, count);
        QFETCH(QByteArray, sent);
        QFETCH(bool, answered);
        ClientSockets attackers;
        const QString error = attackers.open(port(), count, kPerAddress, 0, sent);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        if (answered)
            QTRY_COMPARE_WITH_TIMEOUT(attackers.answered("HTTP/1.1 200"), count, 60000);
        // The server holds every attacker (they are not just in its backlog).
        QTRY_VERIFY_WITH_TIMEOUT(metric(port(), "querydeck_http_connections_open") >= count, 60000);
        verifyServed(QTest::currentDataTag());
        QCOMPARE(attackers.closedByServer(), 0); // still in place
        attackers.closeAll();
        QTRY_VERIFY_WITH_TIMEOUT(metric(port(), "querydeck_http_connections_open") < 10, 60000);
    }

    void connectFloodFromOneAddress()
    {
        ConnectFlood flood(ClientSockets::sourceAddress(2000), port());
        QTRY_VERIFY_WITH_TIMEOUT(flood.connections() > 2000, 60000);
        for (int i = 0; i < 5; ++i)
            verifyServed("d: connect flood");
        QVERIFY(flood.connections() > 2000);
        flood.stop();
    }

    void deeplyNestedBodiesAnswered_data()
    {
        QTest::addColumn<int>("depth");
        QTest::newRow("200") << 200;
        QTest::newRow("1000, near Qt's nesting limit") << 1000;
        QTest::newRow("5000, beyond it") << 5000;
    }

    // The request parsers run on a handler thread with the stack
    // HttpServer::kHandlerStackBytes states: the deepest body they accept is
    // answered (200 or 400), and the process stays up.
    void deeplyNestedBodiesAnswered()
    {
        QFETCH(int, depth);
        const RawResponse r = RawHttp::postJson(port(), "/v1/query", nested(depth));
        QVERIFY2(r.status == 200 || r.status == 400, qPrintable(QString::number(r.status)));
        QCOMPARE(RawHttp::get(port(), "/health").status, 200);
    }

    void cleanupTestCase() { QCOMPARE(m_serve.terminate(), 0); }
};

QTEST_GUILESS_MAIN(HttpStalledClientsTest)
#include "tst_http_stalled_clients.moc"
