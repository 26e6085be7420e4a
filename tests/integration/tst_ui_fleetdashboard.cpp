// The bundled Fleet dashboard over two real replicas: two `querydeck serve`
// processes under different load, each scraped into a TelemetryEngine by a
// ReplicaScrapeSources (as the console does for a local fleet), the
// dashboard's queries evaluated by the engine and drawn by a DashboardView.
// Every per-replica panel must get one series per replica, named by its
// address; the view is saved as a PNG to look at.
#include "QueryLoad.h"
#include "ScriptedReplicaSet.h"
#include "ServeProcess.h"
#include "Snapshot.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/fleet/ReplicaScrapeSources.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/dashboards/PanelWidget.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <limits>

using namespace querydeck;
using namespace querydeck::test;

class TestUiFleetDashboard : public QObject
{
    Q_OBJECT

private slots:
    void twoReplicas();
};

void TestUiFleetDashboard::twoReplicas()
{
    qputenv("XDG_CONFIG_HOME", "/nonexistent-querydeck-test");
    QTemporaryDir dir;
    // Misses with some generation time, so latency, in-flight and CPU show.
    const QString config = dir.filePath(QStringLiteral("service.json"));
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"rate_limit": {"enabled": false}, "cache": {"enabled": false},
        "generator": {"latency": {"enabled": true, "distribution": "fixed", "mean_ms": 40}}})");
    file.close();
    ServeProcess first;
    ServeProcess second;
    for (ServeProcess* replica : {&first, &second}) {
        const QString error =
            replica->start({QStringLiteral("--config"), config, QStringLiteral("--corpus"),
                            QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    const QString addresses[] = {QStringLiteral("127.0.0.1:%1").arg(first.port()),
                                 QStringLiteral("127.0.0.1:%1").arg(second.port())};
    ScriptedReplicaSet set;
    for (int i = 0; i < 2; ++i) {
        ReplicaInfo info;
        info.id = QString::number(i + 1);
        info.address = addresses[i];
        info.state = ReplicaState::Ready;
        set.list << info;
    }

    const DashboardLoadResult loaded =
        DashboardLoader::loadFile(QStringLiteral(":/dashboards/fleet.json"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join('\n')));
    Theme::apply(*qApp, Theme::Mode::Dark);
    DashboardView view;
    view.setDashboard(loaded.value);
    view.resize(1400, 900);

    TelemetryEngine engine;
    ReplicaScrapeSources sources(&set, &engine, 250);
    engine.setPanels(view.panelQueries());
    engine.setRange(30 * 1000, 0, 300); // about the span of the load below
    engine.setRefreshInterval(0);
    QList<PanelData> latest;
    connect(&engine, &TelemetryEngine::panelData, &view, &DashboardView::showPanelData);
    connect(&engine, &TelemetryEngine::panelData, this,
            [&latest](const QList<PanelData>& data) { latest = data; });
    engine.start();

    // One replica carries three times the other's load.
    QueryLoad light(first.port(), 1, 100000, "light ");
    QueryLoad heavy(second.port(), 3, 100000, "heavy ");
    light.start();
    heavy.start();
    // The load runs until both replicas' request rates cover 20 s of the 30 s
    // range drawn below: judged by the samples' own timestamps, not a clock.
    const auto coverMs = [&] {
        engine.refreshNow();
        qint64 covered = std::numeric_limits<qint64>::max();
        int seen = 0;
        for (const PanelData& panel : std::as_const(latest)) {
            if (panel.panelId != QLatin1String("fleet-requests"))
                continue;
            for (const EvaluatedSeries& series : panel.series)
                for (const QString& address : addresses)
                    if (series.legend == address && series.points.size() >= 2) {
                        covered =
                            std::min(covered, series.points.back().t - series.points.front().t);
                        ++seen;
                    }
        }
        return seen == 2 ? covered : qint64(0);
    };
    QTRY_VERIFY_WITH_TIMEOUT(coverMs() >= 20000, 60000);
    QVERIFY(light.counts().ok > 0 && heavy.counts().ok > light.counts().ok);
    light.stop();
    heavy.stop();

    const auto complete = [&] {
        engine.refreshNow();
        if (latest.size() != view.panels().size())
            return false;
        for (const PanelData& panel : std::as_const(latest)) {
            QSet<QString> replicas;
            for (const EvaluatedSeries& series : panel.series)
                for (const QString& address : addresses)
                    if (series.legend.startsWith(address) && !series.points.empty())
                        replicas.insert(address);
            if (replicas.size() != 2)
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(complete(), 10000);
    for (const PanelData& panel : std::as_const(latest)) {
        QVERIFY2(panel.error.isEmpty(), qPrintable(panel.error));
        QCOMPARE(panel.series.size() % 2, std::size_t(0)); // per replica, nothing else
    }
    // The heavier replica answered more queries per second.
    for (const PanelData& panel : std::as_const(latest)) {
        if (panel.panelId != QLatin1String("fleet-requests"))
            continue;
        double peak[2] = {0, 0};
        for (const EvaluatedSeries& series : panel.series)
            for (int i = 0; i < 2; ++i)
                if (series.legend == addresses[i])
                    for (const Point& p : series.points)
                        peak[i] = std::max(peak[i], p.v);
        QVERIFY2(peak[1] > peak[0],
                 qPrintable(QStringLiteral("%1 vs %2").arg(peak[0]).arg(peak[1])));
    }

    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    engine.refreshNow(); // drawn at the size it is shown at
    QCoreApplication::processEvents();
    QVERIFY(querydeck::test::saveSnapshot(&view, QStringLiteral("fleet-dashboard.png")));
    engine.stop();
    QCOMPARE(first.terminate(), 0);
    QCOMPARE(second.terminate(), 0);
}

QTEST_MAIN(TestUiFleetDashboard)
#include "tst_ui_fleetdashboard.moc"
