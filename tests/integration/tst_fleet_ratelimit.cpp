// A local fleet's nginx front door and its replicas' rate limit, with real
// processes on free loopback ports: nginx reports each client's address in
// X-Forwarded-For and the replica trusts nginx (only), so clients at two
// loopback addresses get separate buckets through nginx, a client's own
// X-Forwarded-For does not escape its bucket, and nginx's per-address
// connection limit refuses one address's extra requests while another
// address is served.
#include "RawHttp.h"
#include "ServeProcess.h"
#include "backend/fleet/LocalReplicaSet.h"
#include "backend/fleet/NginxFrontDoor.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <vector>

using namespace querydeck;
using namespace querydeck::test;

namespace {

constexpr int kBurst = 5;
constexpr int kConnectionsPerAddress = 2;

} // namespace

class TestFleetRateLimit : public QObject
{
    Q_OBJECT

private:
    RawResponse query(const char* from, const QString& client,
                      const QByteArray& forwardedFor = {}) const
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (!forwardedFor.isEmpty())
            headers.append({"X-Forwarded-For", forwardedFor});
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("query"), QStringLiteral("cache")},
                                      {QStringLiteral("client"), client}})
                .toJson(QJsonDocument::Compact);
        return RawHttp::exchangeFrom(QHostAddress(QString::fromLatin1(from)), m_frontPort,
                                     RawHttp::build("POST", "/v1/query", body, headers));
    }
    int health(const char* from) const
    {
        return RawHttp::exchangeFrom(QHostAddress(QString::fromLatin1(from)), m_frontPort,
                                     RawHttp::build("GET", "/health"))
            .status;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<LocalReplicaSet> m_set;
    quint16 m_frontPort = 0;

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", "/nonexistent-querydeck-test");
        QVERIFY2(!NginxFrontDoor::findBinary(QStringLiteral("nginx")).isEmpty(),
                 "nginx is required (packaging/debian-packages.txt) and was not found");
        QVERIFY(m_dir.isValid());
        LocalFleetOptions options;
        options.querydeckBinary = QStringLiteral(QUERYDECK_BIN);
        options.runtimeDir = m_dir.path();
        options.frontPort = ServeProcess::freePortRun(2);
        options.extraArguments = {QStringLiteral("--corpus"),
                                  QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")};
        // One token per 100 s: no request here is allowed by refilling.
        options.configFile = m_dir.filePath(QStringLiteral("service.json"));
        QFile config(options.configFile);
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(
            QJsonDocument(QJsonObject{{QStringLiteral("rate_limit"),
                                       QJsonObject{{QStringLiteral("rate_per_second"), 0.01},
                                                   {QStringLiteral("burst"), kBurst}}}})
                .toJson());
        config.close();
        options.frontDoor.connectionsPerAddress = kConnectionsPerAddress;
        options.frontDoor.limitStatus = 503; // tells nginx's refusal from the service's 429
        // Long enough that the held-open requests below outlast the test.
        options.frontDoor.clientBodyTimeoutMs = 60000;
        m_frontPort = quint16(options.frontPort);

        m_set = std::make_unique<LocalReplicaSet>(options);
        QVERIFY2(m_set->hasFrontDoor(), "nginx is required for this test and was not found");
        QSignalSpy finished(m_set.get(), &ReplicaSet::scaleFinished);
        m_set->scale(1);
        QVERIFY(finished.wait(90000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        for (const char* from : {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"})
            QCOMPARE(health(from), 200);
    }

    // The rendered config says what the test relies on.
    void frontDoorConfig()
    {
        QFile conf(QDir(m_dir.path()).filePath(QStringLiteral("nginx.conf")));
        QVERIFY2(conf.open(QIODevice::ReadOnly), qPrintable(conf.fileName()));
        const QByteArray text = conf.readAll();
        for (const char* needed :
             {"proxy_set_header X-Forwarded-For $remote_addr;", "proxy_set_header X-Real-IP",
              "proxy_bind 127.0.0.1;", "limit_conn per_address 2;", "limit_conn_status 503;",
              "client_body_timeout 60000ms;"})
            QVERIFY2(text.contains(needed), needed);
    }

    void twoAddressesHaveSeparateBuckets()
    {
        for (int i = 0; i < kBurst; ++i)
            QCOMPARE(query("127.0.0.2", QStringLiteral("fresh-%1").arg(i)).status, 200);
        const RawResponse refused = query("127.0.0.2", QStringLiteral("fresh-last"));
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.errorCode(), QByteArray("rate_limited"));
        // The other address, through the same nginx to the same replica.
        for (int i = 0; i < kBurst; ++i)
            QCOMPARE(query("127.0.0.3", QStringLiteral("fresh-%1").arg(i)).status, 200);
        QCOMPARE(query("127.0.0.3", QStringLiteral("fresh-last")).status, 429);
    }

    void spoofedForwardedForDoesNotEscape()
    {
        // nginx replaces the client's header with the client's address.
        QCOMPARE(query("127.0.0.2", QStringLiteral("s"), "198.51.100.7").status, 429);
        QCOMPARE(query("127.0.0.2", QStringLiteral("s"), "198.51.100.8, 127.0.0.9").status, 429);
        // …also for a client on nginx's own (trusted) address.
        for (int i = 0; i < kBurst; ++i)
            QCOMPARE(query("127.0.0.1", QStringLiteral("l%1").arg(i),
                           "198.51.100." + QByteArray::number(10 + i))
                         .status,
                     200);
        QCOMPARE(query("127.0.0.1", QStringLiteral("l"), "198.51.100.99").status, 429);
    }

    // limit_conn: two requests in progress from 127.0.0.4 (headers sent, the
    // body never), so a third from that address is refused by nginx, while
    // 127.0.0.5 is served; once they go, 127.0.0.4 is served again.
    void connectionLimitPerAddress()
    {
        std::vector<std::unique_ptr<QTcpSocket>> holders;
        for (int i = 0; i < kConnectionsPerAddress; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            QVERIFY(socket->bind(QHostAddress(QStringLiteral("127.0.0.4"))));
            socket->connectToHost(QHostAddress::LocalHost, m_frontPort);
            QVERIFY(socket->waitForConnected(5000));
            socket->write("POST /v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n");
            QVERIFY(socket->waitForBytesWritten(5000));
            holders.push_back(std::move(socket));
        }
        RawResponse third;
        QTRY_VERIFY_WITH_TIMEOUT(
            (third = RawHttp::exchangeFrom(QHostAddress(QStringLiteral("127.0.0.4")), m_frontPort,
                                           RawHttp::build("GET", "/health")))
                    .status == 503,
            10000);
        QVERIFY2(third.body.contains("nginx"), third.body.constData()); // nginx's page, not JSON
        QCOMPARE(health("127.0.0.5"), 200);
        QCOMPARE(query("127.0.0.5", QStringLiteral("other")).status, 200);
        // nginx's own page answers and the held requests still hold.
        QCOMPARE(health("127.0.0.4"), 503);
        for (const auto& socket : holders)
            QCOMPARE(socket->state(), QAbstractSocket::ConnectedState);

        holders.clear(); // closes them
        QTRY_COMPARE_WITH_TIMEOUT(health("127.0.0.4"), 200, 10000);
    }

    void cleanupTestCase()
    {
        if (!m_set)
            return;
        QSignalSpy done(m_set.get(), &LocalReplicaSet::shutdownFinished);
        m_set->shutdown();
        QVERIFY(done.count() > 0 || done.wait(60000));
        m_set.reset();
    }
};

QTEST_GUILESS_MAIN(TestFleetRateLimit)
#include "tst_fleet_ratelimit.moc"
