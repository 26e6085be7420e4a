// ServiceReplicaProbe's parsing of what a QueryDeck replica says: the
// /v1/info cache section (malformed, empty, older replicas without
// redis_master, no Redis at all), the 5xx count for /v1/query in a /metrics
// exposition, and the replica base URLs the operator may give.
#include "backend/redisops/ServiceReplicaProbe.h"

#include <QTest>

using namespace querydeck;

class ServiceReplicaProbeTest : public QObject
{
    Q_OBJECT

private slots:
    void info_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<bool>("usesRedis");
        QTest::addColumn<QString>("master");
        QTest::addColumn<QString>("error");
        QTest::newRow("sentinel") << QByteArray(R"({"cache":{"store":"redis","redis":"sentinel",)"
                                                R"("redis_master":"127.0.0.1:7001"}})")
                                  << true << true << "127.0.0.1:7001"
                                  << "";
        QTest::newRow("not located yet")
            << QByteArray(R"({"cache":{"store":"redis","redis_master":""}})") << true << true << ""
            << "";
        QTest::newRow("memory") << QByteArray(R"({"cache":{"store":"memory"}})") << true << false
                                << ""
                                << "";
        QTest::newRow("older replica")
            << QByteArray(R"({"cache":{"store":"redis","redis":"127.0.0.1:7001"}})") << false
            << true << ""
            << "no cache.redis_master";
        QTest::newRow("master not a string")
            << QByteArray(R"({"cache":{"store":"redis","redis_master":7001}})") << false << true
            << ""
            << "no cache.redis_master";
        QTest::newRow("empty") << QByteArray() << false << false << ""
                               << "/v1/info is not a JSON object";
        QTest::newRow("html") << QByteArray("<html>proxy error</html>") << false << false << ""
                              << "/v1/info is not a JSON object";
        QTest::newRow("array") << QByteArray("[1,2]") << false << false << ""
                               << "/v1/info is not a JSON object";
        QTest::newRow("no cache") << QByteArray(R"({"name":"querydeck"})") << false << false << ""
                                  << R"(no "cache" object)";
    }
    void info()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        QFETCH(bool, usesRedis);
        QFETCH(QString, master);
        QFETCH(QString, error);
        ServiceReplicaProbe::State state;
        QString problem;
        QCOMPARE(ServiceReplicaProbe::parseInfo(body, &state, &problem), ok);
        QCOMPARE(state.usesRedis, usesRedis);
        QCOMPARE(state.redisMaster, master);
        if (error.isEmpty())
            QVERIFY(problem.isEmpty());
        else
            QVERIFY2(problem.contains(error), qPrintable(problem));
    }

    void failedQueries_data()
    {
        QTest::addColumn<QByteArray>("metrics");
        QTest::addColumn<double>("failed");
        const QByteArray head = "# HELP querydeck_http_requests_total HTTP requests answered.\n"
                                "# TYPE querydeck_http_requests_total counter\n";
        QTest::newRow("500 and 503 summed, other routes and codes not")
            << head + R"(querydeck_http_requests_total{code="200",route="/v1/query"} 900
querydeck_http_requests_total{code="500",route="/v1/query"} 2
querydeck_http_requests_total{code="503",route="/v1/query"} 3
querydeck_http_requests_total{code="429",route="/v1/query"} 7
querydeck_http_requests_total{code="503",route="/ready"} 11
querydeck_http_requests_total{code="other",route="/v1/query"} 13
)" << 5.0;
        QTest::newRow("no query answered yet")
            << head + "querydeck_http_requests_total{code=\"200\",route=\"/health\"} 1\n"
            << 0.0;
        QTest::newRow("malformed lines skipped")
            << head + "querydeck_http_requests_total{code=\"500\",route=\"/v1/query\"} 4\n"
                      "querydeck_http_requests_total{code=\"500\" 99\ngarbage\n"
            << 4.0;
        QTest::newRow("not querydeck") << QByteArray("node_cpu_seconds_total 5\n") << -1.0;
        QTest::newRow("empty") << QByteArray() << -1.0;
    }
    void failedQueries()
    {
        QFETCH(QByteArray, metrics);
        QFETCH(double, failed);
        QString error;
        QCOMPARE(ServiceReplicaProbe::parseFailedQueries(metrics, &error), failed);
        QCOMPARE(error.isEmpty(), failed >= 0);
    }

    void urls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("error");
        QTest::newRow("ok") << "http://127.0.0.1:8080"
                            << "";
        QTest::newRow("trailing slash") << "http://replica-1:8080/"
                                        << "";
        QTest::newRow("https") << "https://replica.example:443"
                               << "";
        QTest::newRow("host:port only") << "127.0.0.1:8080"
                                        << "not an http(s) URL";
        QTest::newRow("empty") << ""
                               << "not an http(s) URL";
        QTest::newRow("ftp") << "ftp://h:21"
                             << "not an http(s) URL";
        QTest::newRow("with path") << "http://h:8080/v1/info"
                                   << "without a path";
        QTest::newRow("spaces") << "http://h :8080"
                                << "not an http(s) URL";
    }
    void urls()
    {
        QFETCH(QString, url);
        QFETCH(QString, error);
        QString problem;
        QCOMPARE(ServiceReplicaProbe::validUrl(url, &problem), error.isEmpty());
        if (!error.isEmpty()) {
            QVERIFY2(problem.contains(error), qPrintable(problem));
            QVERIFY2(problem.contains(QStringLiteral("\"%1\"").arg(url)), qPrintable(problem));
        }
    }

    void failedBetween()
    {
        using State = ServiceReplicaProbe::State;
        auto state = [](const char* url, double failed, const char* error = "") {
            State s;
            s.url = QString::fromLatin1(url);
            s.failedQueries = failed;
            s.error = QString::fromLatin1(error);
            return s;
        };
        QString detail;
        // Growth summed; a counter that went down (restart) counts whole.
        QCOMPARE(ServiceReplicaProbe::failedBetween(
                     {state("http://a:1", 5), state("http://b:1", 9)},
                     {state("http://a:1", 7), state("http://b:1", 3)}, &detail),
                 qint64(2 + 3));
        QVERIFY2(detail.startsWith("5xx answers to /v1/query on 2 QueryDeck replica(s)"),
                 qPrintable(detail));
        QVERIFY(!detail.contains("not counted"));
        // A replica unread at either end is named, not guessed.
        QCOMPARE(ServiceReplicaProbe::failedBetween(
                     {state("http://a:1", 5), state("http://b:1", -1, "/metrics answered 503")},
                     {state("http://a:1", 5), state("http://b:1", 4), state("http://c:1", 1)},
                     &detail),
                 qint64(0));
        QVERIFY2(detail.contains("on 1 QueryDeck replica(s)") &&
                     detail.contains("not counted: http://b:1 (/metrics answered 503), "
                                     "http://c:1 (not read)"),
                 qPrintable(detail));
        // Nothing measured at all: -1, not 0.
        QCOMPARE(ServiceReplicaProbe::failedBetween(
                     {}, {state("http://a:1", -1, "no answer in time")}, &detail),
                 qint64(-1));
        QCOMPARE(detail, QStringLiteral("not measured: http://a:1 (no answer in time)"));
    }

    void unreachableReplicaIsReportedNotHung()
    {
        // Port 1 on loopback: refused at once; a bad URL never leaves the process.
        ServiceReplicaProbe probe;
        probe.setTimeoutMs(2000);
        QList<ServiceReplicaProbe::State> states;
        bool done = false;
        probe.read({QStringLiteral("http://127.0.0.1:1"), QStringLiteral("nonsense")}, true,
                   [&](const QList<ServiceReplicaProbe::State>& s) {
                       states = s;
                       done = true;
                   });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QCOMPARE(states.size(), 2);
        QVERIFY2(states[0].error.startsWith(QLatin1String("/")), qPrintable(states[0].error));
        QCOMPARE(states[0].failedQueries, -1.0);
        QVERIFY2(states[1].error.contains(QLatin1String("not an http(s) URL")),
                 qPrintable(states[1].error));
    }
};

QTEST_GUILESS_MAIN(ServiceReplicaProbeTest)
#include "tst_servicereplicaprobe.moc"
