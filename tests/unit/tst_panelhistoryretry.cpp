// A failed Prometheus history query (PanelHistory) is asked again on a later
// poll, after a backoff that doubles up to a cap: the backoff arithmetic, and
// a TelemetryEngine whose PrometheusSource talks to a fixture server that
// answers query_range with 503 first and 200 after.
#include "FixtureHttpServer.h"
#include "backend/sources/PrometheusConfig.h"
#include "backend/sources/PrometheusSource.h"
#include "backend/telemetry/PanelHistory.h"
#include "backend/telemetry/TelemetryEngine.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace querydeck;

namespace {

const QByteArray kQueryPath = "/api/v1/query";
const QByteArray kRangePath = "/api/v1/query_range";

qsizetype countPath(const FixtureHttpServer& server, const QByteArray& path)
{
    qsizetype n = 0;
    for (const FixtureRequest& r : server.requests())
        n += r.path == path ? 1 : 0;
    return n;
}

} // namespace

class TstPanelHistoryRetry : public QObject
{
    Q_OBJECT

private slots:
    void backoffDoublesUpToTheCap();
    void failedQueryIsRetriedOnALaterPoll();
};

void TstPanelHistoryRetry::backoffDoublesUpToTheCap()
{
    PanelHistory history;
    QCOMPARE(history.retryDelayMs(1), qint64(5000));             // defaults: 5 s ...
    QCOMPARE(history.retryDelayMs(1000), qint64(5 * 60 * 1000)); // ... to 5 min
    history.setRetryBackoff(5000, 60000);
    QCOMPARE(history.retryDelayMs(1), qint64(5000));
    QCOMPARE(history.retryDelayMs(2), qint64(10000));
    QCOMPARE(history.retryDelayMs(3), qint64(20000));
    QCOMPARE(history.retryDelayMs(4), qint64(40000));
    QCOMPARE(history.retryDelayMs(5), qint64(60000));
    QCOMPARE(history.retryDelayMs(64), qint64(60000)); // no overflow past the cap
    QCOMPARE(history.retryDelayMs(std::numeric_limits<int>::max()), qint64(60000));
    // Nonsense settings are clamped: at least 1 ms, a cap no smaller than the first.
    history.setRetryBackoff(0, -5);
    QCOMPARE(history.retryDelayMs(1), qint64(1));
    QCOMPARE(history.retryDelayMs(3), qint64(1));
    history.setRetryBackoff(3000, 1000);
    QCOMPARE(history.retryDelayMs(2), qint64(3000));
    // Nothing failed: nothing to retry.
    QCOMPARE(history.retry(QDateTime::currentMSecsSinceEpoch(), 0, 1), 0);
}

void TstPanelHistoryRetry::failedQueryIsRetriedOnALaterPoll()
{
    FixtureHttpServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    server.setHandler("POST", kQueryPath, [](const FixtureRequest&) {
        return FixtureResponse::text(
            200,
            R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"x_total","job":"a"},"value":[1700000000,"5"]}]}})",
            "application/json");
    });
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 t1 = (now - 9 * 60 * 1000) / 1000;
    const qint64 t2 = (now - 8 * 60 * 1000) / 1000;
    server.enqueue("POST", kRangePath,
                   FixtureResponse::text(
                       503, R"({"status":"error","errorType":"unavailable","error":"restarting"})",
                       "application/json"));
    server.setHandler("POST", kRangePath, [t1, t2](const FixtureRequest&) {
        return FixtureResponse::text(
            200,
            QStringLiteral(
                R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x_total","job":"a"},"values":[[%1,"6"],[%2,"7"]]}]}})")
                .arg(t1)
                .arg(t2)
                .toUtf8(),
            "application/json");
    });

    PrometheusConfig config;
    config.url = server.url().toString();
    config.timeoutMs = 5000;
    config.queries = {{QStringLiteral("x_total"), QString()}};
    TelemetryEngine engine;
    engine.addSource(new PrometheusSource(config, nullptr), 50);
    engine.setRefreshInterval(0);
    engine.setRange(10 * 60 * 1000, 0, 600);
    engine.setHistoryRetry(300, 1000);
    PanelQuery panel;
    panel.panelId = QStringLiteral("p");
    panel.targets.push_back(PanelTarget{QStringLiteral("x_total"), {}});
    panel.widthPixels = 300;
    engine.setPanels({panel});
    QSignalSpy data(&engine, &TelemetryEngine::panelData);
    engine.start();

    // The first history query fails: the panel names the error.
    QTRY_VERIFY_WITH_TIMEOUT(countPath(server, kRangePath) >= 1, 10000);
    const auto lastPanel = [&] {
        data.clear();
        engine.refreshNow();
        return data.first().first().value<QList<PanelData>>().first();
    };
    QTRY_VERIFY_WITH_TIMEOUT(lastPanel().error.contains(QLatin1String("HTTP 503")), 10000);

    // Asked again on a later poll, after the backoff, not at once.
    QTRY_COMPARE_WITH_TIMEOUT(countPath(server, kRangePath), qsizetype(2), 10000);
    const QList<FixtureRequest> requests = server.requests();
    int first = -1;
    int second = -1;
    for (int i = 0; i < requests.size(); ++i) {
        if (requests[i].path == kRangePath)
            (first < 0 ? first : second) = i;
    }
    int pollsBetween = 0;
    for (int i = first + 1; i < second; ++i)
        pollsBetween += requests[i].path == kQueryPath ? 1 : 0;
    // 300 ms of backoff at a 50 ms poll interval.
    QVERIFY2(pollsBetween >= 2, qPrintable(QString::number(pollsBetween)));
    QVERIFY(requests[second].body.contains("step=2.000")); // 10 min over 300 px
    QVERIFY(requests[second].body.contains("query=x_total"));

    // The second answer fills the history and clears the error.
    QTRY_VERIFY_WITH_TIMEOUT(lastPanel().error.isEmpty(), 10000);
    const PanelData filled = lastPanel();
    QCOMPARE(filled.series.size(), std::size_t(1));
    const std::vector<Point>& points = filled.series.front().points;
    QVERIFY(points.size() >= 2);
    QCOMPARE(points[0].t, t1 * 1000);
    QCOMPARE(points[0].v, 6.0);
    QCOMPARE(points[1].t, t2 * 1000);
    QCOMPARE(points[1].v, 7.0);

    // A good answer is not asked again.
    const qsizetype polls = countPath(server, kQueryPath);
    QTRY_VERIFY_WITH_TIMEOUT(countPath(server, kQueryPath) >= polls + 30, 10000);
    QCOMPARE(countPath(server, kRangePath), qsizetype(2));
    engine.stop();
}

QTEST_GUILESS_MAIN(TstPanelHistoryRetry)
#include "tst_panelhistoryretry.moc"
