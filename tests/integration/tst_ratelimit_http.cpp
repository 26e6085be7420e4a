// Issue 12 against the real `querydeck serve` over HTTP: the rate limit keys
// on the client's address, not on the `client` field it chooses. Clients are
// sockets bound to different loopback addresses (all of 127.0.0.0/8 is
// loopback on Linux); 127.0.0.1 is configured as a trusted proxy.
#include "RawHttp.h"
#include "ServeProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck::test;

namespace {

// A burst of 40 and a refill so slow (one token per 100 s) that no request of
// this test is allowed by refilling: every count below is exact.
constexpr int kBurst = 40;

const QHostAddress kAttacker(QStringLiteral("127.0.0.2"));
const QHostAddress kNeighbour(QStringLiteral("127.0.0.3"));
const QHostAddress kProxy(QStringLiteral("127.0.0.1"));

} // namespace

class TestRateLimitHttp : public QObject
{
    Q_OBJECT

private:
    RawResponse query(const QHostAddress& from, const QString& client,
                      const QByteArray& forwardedFor = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (!forwardedFor.isEmpty())
            headers.append({"X-Forwarded-For", forwardedFor});
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("query"), QStringLiteral("cache")},
                                      {QStringLiteral("client"), client}})
                .toJson(QJsonDocument::Compact);
        return RawHttp::exchangeFrom(from, m_serve.port(),
                                     RawHttp::build("POST", "/v1/query", body, headers));
    }

    QTemporaryDir m_dir;
    ServeProcess m_serve;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString config = m_dir.filePath(QStringLiteral("service.json"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QJsonDocument(QJsonObject{{QStringLiteral("http"),
                                       QJsonObject{{QStringLiteral("trusted_proxies"),
                                                    QJsonArray{QStringLiteral("127.0.0.1/32")}}}},
                                      {QStringLiteral("rate_limit"),
                                       QJsonObject{{QStringLiteral("rate_per_second"), 0.01},
                                                   {QStringLiteral("burst"), kBurst}}},
                                      {QStringLiteral("corpus"),
                                       QJsonObject{{QStringLiteral("index_dir"),
                                                    m_dir.filePath(QStringLiteral("index"))}}}})
                .toJson());
        file.close();
        const QString error =
            m_serve.start({QStringLiteral("--config"), config, QStringLiteral("--corpus"),
                           QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // The loopback aliases this test needs.
        for (const QHostAddress& from : {kAttacker, kNeighbour}) {
            const RawResponse health =
                RawHttp::exchangeFrom(from, m_serve.port(), RawHttp::build("GET", "/health"));
            QVERIFY2(health.status == 200, health.error.constData());
        }
    }

    // The report: 300 requests from one address, each with a fresh `client`.
    void freshClientIdsFromOneAddress()
    {
        QList<int> statuses;
        for (int i = 0; i < 300; ++i)
            statuses << query(kAttacker, QStringLiteral("fresh-%1").arg(i)).status;
        const int ok = int(statuses.count(200));
        const int limited = int(statuses.count(429));
        qInfo("300 fresh client ids from one address: %d answered, %d refused with 429", ok,
              limited);
        QCOMPARE(ok + limited, 300);
        QCOMPARE(statuses.indexOf(429), kBurst); // the burst is spent, then 429
        QCOMPARE(ok, kBurst);
        QCOMPARE(limited, 300 - kBurst);
        const RawResponse refused = query(kAttacker, QStringLiteral("yet-another"));
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.errorCode(), QByteArray("rate_limited"));
        QVERIFY(refused.header("Retry-After").toInt() >= 1);
    }

    // Another address has a bucket of its own, whatever the client ids.
    void anotherAddressHasItsOwnBucket()
    {
        for (int i = 0; i < kBurst; ++i)
            QCOMPARE(query(kNeighbour, QStringLiteral("n-%1").arg(i)).status, 200);
        QCOMPARE(query(kNeighbour, QStringLiteral("n-last")).status, 429);
    }

    // A client that is not a trusted proxy cannot name another address.
    void spoofedForwardedForIsIgnored()
    {
        QCOMPARE(query(kAttacker, QStringLiteral("s"), "198.51.100.77").status, 429);
        QCOMPARE(query(kAttacker, QStringLiteral("s"), "198.51.100.77, 127.0.0.1").status, 429);
    }

    // The trusted proxy's header names the client: a fresh address is a fresh
    // bucket, and entries left of the client's own address change nothing.
    void trustedProxyForwardsTheClient()
    {
        QCOMPARE(query(kProxy, QStringLiteral("p"), "198.51.100.77").status, 200);
        QCOMPARE(query(kProxy, QStringLiteral("p"), "10.1.1.1, 198.51.100.77").status, 200);
        QCOMPARE(query(kProxy, QStringLiteral("p"), "198.51.100.77, 127.0.0.2").status, 429);
        // Garbage from the proxy lands in the proxy's own bucket, not a new one.
        for (int i = 0; i < kBurst; ++i)
            QCOMPARE(query(kProxy, QStringLiteral("g"), "garbage-" + QByteArray::number(i)).status,
                     200);
        QCOMPARE(query(kProxy, QStringLiteral("g"), "more-garbage").status, 429);
        QCOMPARE(query(kProxy, QStringLiteral("g")).status, 429);
    }

    // Oversized and many-entry headers are answered, not crashed on (sizes
    // kept under the server's 16 KiB request-head limit so they reach the
    // rate limiter).
    void hostileHeadersAnswered()
    {
        QByteArray many;
        for (int i = 0; i < 800; ++i)
            many += "10.0.0." + QByteArray::number(i % 250 + 1) + ",";
        QCOMPARE(query(kProxy, QStringLiteral("h"), many).status, 200);
        QCOMPARE(query(kProxy, QStringLiteral("h"), QByteArray(8000, ',')).status, 429);
        QCOMPARE(RawHttp::get(m_serve.port(), "/health").status, 200);
    }

    void cleanupTestCase() { QCOMPARE(m_serve.terminate(), 0); }
};

QTEST_GUILESS_MAIN(TestRateLimitHttp)
#include "tst_ratelimit_http.moc"
