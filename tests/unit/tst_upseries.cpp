// TelemetryEngine records Prometheus-style up{job, instance} per poll: 1 when
// a source's poll worked, 0 when it failed (here a scrape target answering
// 500, then one nobody listens on), so ServiceDown/ReplicaDown can alert.
#include "FixtureHttpServer.h"
#include "telemetry/Expression.h"
#include "telemetry/ScrapeSource.h"
#include "telemetry/TelemetryEngine.h"

#include <QDateTime>
#include <QTest>
#include <atomic>

using namespace querydeck;

namespace {

// up's value for one instance now, or -1 when there is none.
double upOf(const TimeSeriesStore& store, const QString& instance)
{
    const Expression e = Expression::parse(QStringLiteral("up"));
    for (const auto& [key, value] : e.instant(store, QDateTime::currentMSecsSinceEpoch())) {
        if (key.label(QStringLiteral("instance")) == instance)
            return key.label(QStringLiteral("job")) == QLatin1String("scrape") ? value : -2;
    }
    return -1;
}

} // namespace

class TestUpSeries : public QObject
{
    Q_OBJECT

private slots:
    void upFollowsEachPoll()
    {
        FixtureHttpServer target;
        QVERIFY(target.start());
        std::atomic<bool> healthy = true;
        target.setHandler("GET", "/metrics", [&healthy](const FixtureRequest&) {
            return healthy ? FixtureResponse::text(200, "x_total 1\n")
                           : FixtureResponse::text(500, "down");
        });
        FixtureHttpServer gone;
        QVERIFY(gone.start());
        const QUrl goneUrl = gone.url("/metrics");
        gone.stop();

        TelemetryEngine engine;
        engine.setRefreshInterval(0);
        engine.addSource(new ScrapeSource(target.url("/metrics")), 100);
        engine.addSource(new ScrapeSource(goneUrl), 100);
        engine.start();
        const QString live = QStringLiteral("127.0.0.1:%1").arg(target.port());
        const QString dead = QStringLiteral("127.0.0.1:%1").arg(goneUrl.port());
        QTRY_COMPARE_WITH_TIMEOUT(upOf(engine.store(), live), 1.0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(upOf(engine.store(), dead), 0.0, 5000);
        healthy = false;
        QTRY_COMPARE_WITH_TIMEOUT(upOf(engine.store(), live), 0.0, 5000);
        engine.stop();
        target.stop();
    }
};

QTEST_GUILESS_MAIN(TestUpSeries)
#include "tst_upseries.moc"
