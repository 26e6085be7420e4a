// ConsoleShell over a real ConsoleHost (embedded service on a free port, no
// Redis, no fleet): the main window shows the service's address, offers the
// bundled dashboards, and gets panel data for its dashboard from the engine;
// the wall gets its playlist at the asked size. The screenshot mode is run by
// tst_console_screenshots through the binary.
#include "backend/consolehost/ConsoleHost.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "ui/shell/ConsoleShell.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/StatusBarWidget.h"
#include "ui/wall/WallWindow.h"

#include <QMenu>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

class TestUiConsoleShell : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void mainWindow()
    {
        QTemporaryDir dir;
        ConsoleHost host(serviceIn(dir), consoleIn(dir));
        const QString error = host.start(true);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        ConsoleShell shell(&host);
        shell.build({});
        MainWindow* main = shell.mainWindow();
        QVERIFY(main);
        QVERIFY(!shell.wall());
        QCOMPARE(shell.window(), main);
        QCOMPARE(main->size(), QSize(1600, 1000));
        QCOMPARE(main->statusWidget()->serviceAddress(), host.serviceAddress());
        // The configured (here: default) dashboard, then the bundled others.
        QVERIFY(main->dashboardMenu()->actions().size() >= 2);
        // The window's panels reach the engine; their data comes back queued.
        int batches = 0;
        connect(host.engine(), &TelemetryEngine::panelData, this,
                [&batches](const QList<PanelData>& data) { batches += data.isEmpty() ? 0 : 1; });
        QTRY_VERIFY_WITH_TIMEOUT(batches > 0, 20000);
    }

    void wall()
    {
        QTemporaryDir dir;
        ConsoleHost host(serviceIn(dir), consoleIn(dir));
        const QString error = host.start(true);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        ConsoleShell shell(&host);
        ConsoleShell::Options options;
        options.wall = true;
        options.fullScreen = false;
        options.size = QSize(1280, 720);
        shell.build(options);
        WallWindow* wall = shell.wall();
        QVERIFY(wall);
        QVERIFY(!shell.mainWindow());
        QCOMPARE(wall->size(), QSize(1280, 720));
        QCOMPARE(wall->currentIndex(), 0);
        QVERIFY(!wall->isFullScreen());
    }

private:
    static ServiceConfig serviceIn(const QTemporaryDir& dir)
    {
        ServiceConfig service;
        service.http.host = QStringLiteral("127.0.0.1");
        service.http.port = 0;
        service.corpus.path = QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small");
        service.corpus.indexDir = dir.filePath(QStringLiteral("index"));
        return service;
    }

    static ConsoleConfig consoleIn(const QTemporaryDir& dir)
    {
        ConsoleConfig console;
        console.sampleIntervalMs = 200;
        console.alerts.rulesFile = dir.filePath(QStringLiteral("alert-rules.json"));
        return console;
    }
};

QTEST_MAIN(TestUiConsoleShell)
#include "tst_ui_consoleshell.moc"
