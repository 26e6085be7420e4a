// The GUI thread never waits on telemetry: with a scrape target that accepts
// connections and never answers, the main window keeps painting and its event
// loop keeps ticking while the engine polls on its own thread.
#include "FixtureHttpServer.h"
#include "MainWindow.h"
#include "Theme.h"
#include "telemetry/DashboardLoader.h"
#include "telemetry/ScrapeSource.h"
#include "telemetry/TelemetryEngine.h"
#include "telemetry/TelemetryThread.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace querydeck;

using namespace std::chrono_literals;

class UiResponsivenessTest : public QObject
{
    Q_OBJECT

private slots:
    void guiStaysResponsiveWhileAScrapeTargetHangs()
    {
        QStandardPaths::setTestModeEnabled(true);
        FixtureHttpServer hanging;
        QVERIFY2(hanging.start(), qPrintable(hanging.errorString()));
        // Accept, then say nothing for far longer than the test runs.
        hanging.setHandler("GET", "/metrics", [](const FixtureRequest&) {
            FixtureResponse response = FixtureResponse::text(200, "up 1\n");
            response.delay = 30s;
            return response;
        });

        TelemetryThread telemetry;
        TelemetryEngine* engine = telemetry.engine();
        auto* source = new ScrapeSource(hanging.url(QStringLiteral("/metrics")));
        source->setTimeoutMs(2000);
        engine->addSource(source, 250);
        QSignalSpy status(engine, &TelemetryEngine::sourceStatus);
        telemetry.start();
        QMetaObject::invokeMethod(engine, &TelemetryEngine::start, Qt::QueuedConnection);

        MainWindow window;
        connect(&window, &MainWindow::panelsChanged, engine, &TelemetryEngine::setPanels);
        connect(engine, &TelemetryEngine::panelData, &window, &MainWindow::showPanelData);
        connect(engine, &TelemetryEngine::sourceStatus, &window, &MainWindow::showSourceStatus);
        window.setDashboard(DashboardLoader::defaultDashboard());
        window.resize(1400, 900);
        window.show();
        QMetaObject::invokeMethod(engine, "setRefreshInterval", Qt::QueuedConnection,
                                  Q_ARG(int, 100));

        // Measure the longest gap between 10 ms timer ticks on the GUI thread
        // for 3 s, repainting the window on every tick.
        qint64 longestGapMs = 0;
        int ticks = 0;
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, &window, [&] {
            const qint64 now = clock.elapsed();
            longestGapMs = qMax(longestGapMs, now - last);
            last = now;
            ++ticks;
            window.repaint();
        });
        tick.start(10);
        QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() > 3000, 5000);
        tick.stop();

        qInfo("GUI ticks %d, longest gap %lld ms", ticks, longestGapMs);
        QVERIFY2(longestGapMs < 500, qPrintable(QString::number(longestGapMs)));
        QVERIFY(ticks > 30);
        // And the hang is visible to the operator, as an error or stale source.
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty(), 5000);
        const auto last_status = status.takeLast().first().value<QList<SourceStatus>>();
        QVERIFY(!last_status.isEmpty());
        QVERIFY(last_status.first().health != SourceHealth::Ok);
    }
};

QTEST_MAIN(UiResponsivenessTest)
#include "tst_ui_responsiveness.moc"
