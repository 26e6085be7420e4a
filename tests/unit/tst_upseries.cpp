// TelemetryEngine records Prometheus-style up{job, instance} per poll: 1 when
// a source's poll worked, 0 when it failed (here a scrape target answering
// 500, then one nobody listens on), so ServiceDown/ReplicaDown can alert. A
// scrape target with a configured job is recorded under that job, so
// up{job="service"} counts the replicas and not every other target.
#include "FixtureHttpServer.h"
#include "backend/metrics/Expression.h"
#include "backend/sources/ScrapeSource.h"
#include "backend/telemetry/TelemetryEngine.h"

#include <QDateTime>
#include <QMap>
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

    void scrapeTargetsCarryTheirJob()
    {
        FixtureHttpServer replica;
        QVERIFY(replica.start());
        replica.setHandler("GET", "/metrics", [](const FixtureRequest&) {
            return FixtureResponse::text(200, "x_total 1\n");
        });
        FixtureHttpServer node;
        QVERIFY(node.start());
        node.setHandler("GET", "/metrics",
                        [](const FixtureRequest&) { return FixtureResponse::text(500, "down"); });

        TelemetryEngine engine;
        engine.setRefreshInterval(0);
        auto* service = new ScrapeSource(replica.url("/metrics"));
        service->setJob(QStringLiteral("service"));
        QCOMPARE(service->job(), QStringLiteral("service"));
        auto* other = new ScrapeSource(node.url("/metrics"));
        QCOMPARE(other->job(), QStringLiteral("scrape")); // the default is unchanged
        engine.addSource(service, 100);
        engine.addSource(other, 100);
        engine.start();

        const auto values = [&](const QString& expr) {
            QMap<QString, double> out;
            const Expression e = Expression::parse(expr);
            for (const auto& [key, value] :
                 e.instant(engine.store(), QDateTime::currentMSecsSinceEpoch()))
                out.insert(key.label(QStringLiteral("instance")), value);
            return out;
        };
        const QString replicaInstance = QStringLiteral("127.0.0.1:%1").arg(replica.port());
        const QString nodeInstance = QStringLiteral("127.0.0.1:%1").arg(node.port());
        // ReplicaDown's expression sees the replica only; the failing node
        // target is up 0 under job "scrape" and does not count.
        QTRY_COMPARE_WITH_TIMEOUT(values(QStringLiteral("up{job=\"service\"}")),
                                  (QMap<QString, double>{{replicaInstance, 1.0}}), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(values(QStringLiteral("up{job=\"scrape\"}")),
                                  (QMap<QString, double>{{nodeInstance, 0.0}}), 5000);
        QCOMPARE(values(QStringLiteral("sum(up{job=\"service\"})")).value(QString()), 1.0);
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestUpSeries)
#include "tst_upseries.moc"
