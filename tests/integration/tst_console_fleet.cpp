// The console with console.fleet of kind "local": the real binary starts two
// replicas behind a real nginx, scrapes each replica (instance="host:port"),
// shows them in the replicas dock, takes a screenshot and leaves no process
// behind. A bad fleet section is refused with the field named.
#include "ConsoleRun.h"
#include "FixtureHttpServer.h"
#include "KubeFixture.h"
#include "ProgramRun.h"
#include "ServeProcess.h"
#include "Snapshot.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;
using namespace querydeck::test;

namespace {

bool processRunning(const QString& pattern)
{
    QProcess pgrep;
    pgrep.start(QStringLiteral("pgrep"), {QStringLiteral("-f"), pattern});
    pgrep.waitForFinished(5000);
    return pgrep.exitCode() == 0;
}

} // namespace

class TestConsoleFleet : public QObject
{
    Q_OBJECT

private slots:
    void localFleetInTheConsole()
    {
        QTemporaryDir dir;
        const int port = ServeProcess::freePortRun(3);
        const QString config = dir.filePath(QStringLiteral("config.json"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"({"version": 1, "console": {"scrape_interval_ms": 500,
            "fleet": {"kind": "local", "local": {"replicas": 2, "port": %1,
            "runtime_dir": "%2", "corpus": "%3"}},
            "autoscaler": {"mode": "recommend", "interval_ms": 1000}}})")
                       .arg(port)
                       .arg(dir.filePath(QStringLiteral("run")),
                            QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small"))
                       .toUtf8());
        file.close();
        const QString png = dir.filePath(QStringLiteral("fleet.png"));
        const ProgramRun run = runConsoleScreenshot(config, png, 5);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QString output = QString::fromUtf8(run.out + run.err);
        QVERIFY2(output.contains(QStringLiteral("2 replica(s) ready and in rotation")),
                 qPrintable(output));
        for (int id : {1, 2})
            QVERIFY2(output.contains(
                         QStringLiteral("replica %1 ready on 127.0.0.1:%2").arg(id).arg(port + id)),
                     qPrintable(output));
        QVERIFY2(!output.contains(QStringLiteral("Timers cannot")), qPrintable(output));
        QCOMPARE(QImage(png).size(), QSize(1600, 1000));
        QVERIFY(keepSnapshotFile(png, QStringLiteral("console-fleet.png")));
        QTRY_VERIFY_WITH_TIMEOUT(
            !processRunning(QStringLiteral("serve --host 127.0.0.1 --port %1").arg(port + 1)),
            10000);
        QTRY_VERIFY_WITH_TIMEOUT(!processRunning(dir.filePath(QStringLiteral("run"))), 10000);
    }

    // kind "kubernetes": the console reads the Deployment's scale and pods
    // through the documented API (a fixture speaking it), with the token from
    // the environment, and shows the pods in the replicas dock.
    void kubernetesFleetInTheConsole()
    {
        FixtureHttpServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        querydeck::KubeFixture kube(server);
        kube.install();
        kube.setReplicas(3);
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config.json"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"({"version": 1, "console": {"fleet": {"kind": "kubernetes",
            "kubernetes": {"api_url": "%1", "namespace": "prod", "deployment": "querydeck",
            "token": {"env": "QD_TEST_KUBE_TOKEN"}}}}})")
                       .arg(server.url().toString())
                       .toUtf8());
        file.close();
        const QString png = dir.filePath(QStringLiteral("kube.png"));
        const ProgramRun run =
            runConsoleScreenshot(config, png, 3,
                                 {QStringLiteral("QD_TEST_KUBE_TOKEN=") +
                                  QString::fromLatin1(querydeck::KubeFixture::kToken)},
                                 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        bool readScale = false;
        bool listedPods = false;
        for (const FixtureRequest& request : server.requests()) {
            readScale = readScale || (request.method == "GET" && request.path == kube.scalePath());
            listedPods = listedPods || request.path.startsWith(kube.podsPath());
        }
        QVERIFY2(readScale && listedPods, "the console did not read the scale and the pods");
        QCOMPARE(kube.replicas(), 3); // reading never scales
        // Pod addresses are not scraped from the console (nor contacted here).
        QVERIFY2(!QString::fromUtf8(run.out + run.err).contains(QStringLiteral("scrape:10.")),
                 run.err.constData());
        QCOMPARE(QImage(png).size(), QSize(1600, 1000));
        QVERIFY(keepSnapshotFile(png, QStringLiteral("console-kube.png")));
        server.stop();
    }

    void badFleetSectionIsRefused()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config.json"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"version": 1, "console": {"fleet": {"kind": "swarm"}}})");
        file.close();
        const ProgramRun run =
            runProgram(QStringLiteral(QUERYDECK_BIN), {QStringLiteral("--config"), config},
                       {QStringLiteral("QT_QPA_PLATFORM=offscreen")}, 30000);
        QVERIFY2(run.exitCode != 0, qPrintable(run.describe()));
        const QString output = QString::fromUtf8(run.out + run.err);
        QVERIFY2(output.contains(QStringLiteral("console.fleet.kind")), qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(TestConsoleFleet)
#include "tst_console_fleet.moc"
