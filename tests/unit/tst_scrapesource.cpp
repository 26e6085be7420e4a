// ScrapeSource against FixtureHttpServer: a good exposition, HTTP errors, a
// refused connection, a hanging target (timeout, while another target keeps
// answering), malformed lines, an oversized body and overlapping polls.
#include "FixtureHttpServer.h"
#include "backend/sources/ScrapeSource.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace querydeck;
using namespace std::chrono_literals;

namespace {

const QByteArray kGood = R"(# HELP up_total Things.
# TYPE up_total counter
up_total{route="/v1/query",code="200"} 12
# TYPE depth gauge
depth 3
# TYPE lat_seconds histogram
lat_seconds_bucket{le="0.1"} 1
lat_seconds_bucket{le="+Inf"} 2
lat_seconds_sum 0.5
lat_seconds_count 2
)";

SourceResult resultOf(const QSignalSpy& spy, int index = 0)
{
    return spy.at(index).first().value<SourceResult>();
}

QMap<QString, double> byKey(const SourceResult& result)
{
    QMap<QString, double> map;
    for (const Sample& sample : result.samples)
        map.insert(sample.key.toString(), sample.value);
    return map;
}

} // namespace

class ScrapeSourceTest : public QObject
{
    Q_OBJECT

private:
    FixtureHttpServer m_server;
    QString m_instance;

private slots:
    void initTestCase()
    {
        qRegisterMetaType<SourceResult>();
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_instance = QStringLiteral("127.0.0.1:%1").arg(m_server.port());
    }

    void init() { m_server.reset(); }

    void goodExposition()
    {
        m_server.setHandler("GET", "/metrics", [](const FixtureRequest&) {
            return FixtureResponse::text(200, kGood);
        });
        ScrapeSource source(m_server.url(QStringLiteral("/metrics")));
        QCOMPARE(source.id(), QStringLiteral("scrape:") + m_instance);
        QSignalSpy spy(&source, &MetricSource::finished);
        source.poll();
        QVERIFY(spy.wait(5000));
        QCOMPARE(spy.size(), 1);
        const SourceResult result = resultOf(spy);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.sourceId, source.id());
        QCOMPARE(result.malformedLines, 0);
        const QMap<QString, double> values = byKey(result);
        const QString inst = QStringLiteral("instance=\"%1\"").arg(m_instance);
        QCOMPARE(values.size(), 6);
        QCOMPARE(
            values.value(QStringLiteral("up_total{code=\"200\",%1,route=\"/v1/query\"}").arg(inst)),
            12.0);
        QCOMPARE(values.value(QStringLiteral("depth{%1}").arg(inst)), 3.0);
        QCOMPARE(values.value(QStringLiteral("lat_seconds_bucket{%1,le=\"+Inf\"}").arg(inst)), 2.0);
        QCOMPARE(result.types.value(QStringLiteral("lat_seconds")), MetricType::Histogram);
        QCOMPARE(m_server.requests().first().header("Accept").left(10), QByteArray("text/plain"));

        // A second poll reuses the keep-alive connection.
        source.poll();
        QVERIFY(spy.wait(5000));
        QVERIFY(resultOf(spy, 1).error.isEmpty());
        QCOMPARE(m_server.connectionCount(), 1);
    }

    void httpErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("expected");
        QTest::newRow("500") << 500 << "HTTP 500";
        QTest::newRow("404") << 404 << "HTTP 404";
        QTest::newRow("503") << 503 << "HTTP 503";
    }

    void httpErrors()
    {
        QFETCH(int, status);
        QFETCH(QString, expected);
        m_server.enqueue("GET", "/metrics", FixtureResponse::text(status, "broken"));
        ScrapeSource source(m_server.url(QStringLiteral("/metrics")));
        QSignalSpy spy(&source, &MetricSource::finished);
        source.poll();
        QVERIFY(spy.wait(5000));
        const SourceResult result = resultOf(spy);
        QVERIFY(result.samples.empty());
        QVERIFY2(result.error.contains(expected), qPrintable(result.error));
        QVERIFY2(result.error.contains(m_server.url(QStringLiteral("/metrics")).toString()),
                 qPrintable(result.error));
    }

    void connectionRefused()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        } // closed: nothing listens there now
        ScrapeSource source(QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port)));
        QSignalSpy spy(&source, &MetricSource::finished);
        source.poll();
        QVERIFY(spy.wait(5000));
        const QString error = resultOf(spy).error;
        QVERIFY2(error.contains(QLatin1String("connection refused")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(error));
    }

    void hangingTargetTimesOutWhileAnotherWorks()
    {
        FixtureResponse hang = FixtureResponse::text(200, kGood);
        hang.delay = 10s;
        m_server.setHandler("GET", "/hang", [hang](const FixtureRequest&) { return hang; });
        m_server.setHandler("GET", "/metrics", [](const FixtureRequest&) {
            return FixtureResponse::text(200, kGood);
        });
        FixtureHttpServer other; // a separate target, so the hang cannot block its connection
        other.setHandler("GET", "/metrics",
                         [](const FixtureRequest&) { return FixtureResponse::text(200, kGood); });
        QVERIFY(other.start());

        ScrapeSource hanging(m_server.url(QStringLiteral("/hang")));
        hanging.setTimeoutMs(400);
        ScrapeSource good(other.url(QStringLiteral("/metrics")));
        QSignalSpy hangSpy(&hanging, &MetricSource::finished);
        QSignalSpy goodSpy(&good, &MetricSource::finished);
        hanging.poll();
        good.poll();
        QVERIFY(goodSpy.wait(5000));
        QVERIFY(resultOf(goodSpy).error.isEmpty());
        QCOMPARE(hangSpy.size(), 0); // still waiting on the hanging target

        // Polled again while the first scrape is still running: no second request.
        hanging.poll();
        QCOMPARE(hangSpy.size(), 1);
        QVERIFY2(resultOf(hangSpy).error.contains(QLatin1String("previous scrape still running")),
                 qPrintable(resultOf(hangSpy).error));

        QTRY_COMPARE_WITH_TIMEOUT(hangSpy.size(), 2, 5000);
        const QString error = resultOf(hangSpy, 1).error;
        // The scrape's own transfer timer (400 ms) ended it, not the 10 s reply:
        // only that timer's expiry reads "timeout after 400 ms".
        QVERIFY2(error.contains(QLatin1String("timeout after 400 ms")), qPrintable(error));
        QCOMPARE(m_server.requestCount(), 1);

        // The good target kept answering throughout.
        good.poll();
        QVERIFY(goodSpy.wait(5000));
        QVERIFY(resultOf(goodSpy, 1).error.isEmpty());
    }

    void malformedLinesCounted()
    {
        const QByteArray body = "# TYPE a gauge\n"
                                "a 1\n"
                                "a{broken 2\n"
                                "b 2\n"
                                "c not-a-number\n"
                                "d 4\n";
        m_server.enqueue("GET", "/metrics", FixtureResponse::text(200, body));
        ScrapeSource source(m_server.url(QStringLiteral("/metrics")));
        QSignalSpy spy(&source, &MetricSource::finished);
        source.poll();
        QVERIFY(spy.wait(5000));
        const SourceResult result = resultOf(spy);
        QCOMPARE(result.malformedLines, 2);
        QCOMPARE(result.samples.size(), std::size_t(3)); // the good lines are kept
        QVERIFY2(result.error.contains(QLatin1String("2 malformed lines")),
                 qPrintable(result.error));
    }

    void oversizedBody()
    {
        QByteArray body;
        for (int i = 0; body.size() < 64 * 1024; ++i)
            body += "metric_" + QByteArray::number(i) + " 1\n";
        m_server.enqueue("GET", "/metrics", FixtureResponse::text(200, body));
        ScrapeSource source(m_server.url(QStringLiteral("/metrics")));
        source.setMaxBodyBytes(10000);
        QSignalSpy spy(&source, &MetricSource::finished);
        source.poll();
        QVERIFY(spy.wait(5000));
        const SourceResult result = resultOf(spy);
        QVERIFY(result.samples.empty());
        QVERIFY2(result.error.contains(QLatin1String("body larger than 10000 bytes")),
                 qPrintable(result.error));
    }

    void droppedConnection()
    {
        m_server.enqueue("GET", "/metrics", FixtureResponse::dropConnection());
        ScrapeSource source(m_server.url(QStringLiteral("/metrics")));
        QSignalSpy spy(&source, &MetricSource::finished);
        source.poll();
        QVERIFY(spy.wait(5000));
        QVERIFY(!resultOf(spy).error.isEmpty());
        QVERIFY(resultOf(spy).samples.empty());
    }

    void notHttp()
    {
        ScrapeSource source(QUrl(QStringLiteral("ftp://127.0.0.1/metrics")));
        QSignalSpy spy(&source, &MetricSource::finished);
        source.poll();
        QCOMPARE(spy.size(), 1);
        QVERIFY(resultOf(spy).error.contains(QLatin1String("not an http(s) URL")));
    }
};

QTEST_GUILESS_MAIN(ScrapeSourceTest)
#include "tst_scrapesource.moc"
