// LocalFleetHost's checks before a `querydeck fleet` starts: whether the
// auto-scaler's maximum fits a local fleet (named by its config field), and
// the runtime folder it prepares. No process is started here; the host's run
// is covered by tst_fleetcommand and tst_autoscale_closedloop.
#include "backend/fleethost/LocalFleetHost.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

class TestLocalFleetHost : public QObject
{
    Q_OBJECT

private slots:
    void autoscalerFit_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("maxReplicas");
        QTest::addColumn<int>("frontPort");
        QTest::addColumn<QString>("error");

        QTest::newRow("off: never checked") << "off"
                                            << "rules" << 1000 << 8000 << "";
        QTest::newRow("rules fit") << "apply"
                                   << "rules" << 32 << 8000 << "";
        QTest::newRow("hpa fit") << "recommend"
                                 << "hpa" << 10 << 8000 << "";
        QTest::newRow("rules above the local maximum")
            << "apply"
            << "rules" << 33 << 8000
            << "fleet.autoscaler.rules.max_replicas: 33 is more than the 32 replicas a local "
               "fleet runs";
        QTest::newRow("hpa above the local maximum")
            << "recommend"
            << "hpa" << 40 << 8000
            << "fleet.autoscaler.hpa.max_replicas: 40 is more than the 32 replicas a local fleet "
               "runs";
        QTest::newRow("ports run out")
            << "apply"
            << "rules" << 10 << 65530
            << "fleet.autoscaler.rules.max_replicas: 10 replicas from port 65531 would run past "
               "65535";
    }

    void autoscalerFit()
    {
        QFETCH(QString, mode);
        QFETCH(QString, policy);
        QFETCH(int, maxReplicas);
        QFETCH(int, frontPort);
        QFETCH(QString, error);
        FleetCommandConfig config;
        config.autoscaler.mode = *parseAutoscaleMode(mode);
        config.autoscaler.policy = policy;
        config.autoscaler.rules.maxReplicas = maxReplicas;
        config.autoscaler.hpa.maxReplicas = maxReplicas;
        LocalFleetOptions options;
        options.frontPort = frontPort;
        QCOMPARE(LocalFleetHost::autoscalerFitError(options, config), error);
    }

    void runtimeDirGiven()
    {
        QTemporaryDir temp;
        QVERIFY(temp.isValid());
        QDir::setCurrent(temp.path());
        QString dir = QStringLiteral("nested/run");
        QVERIFY(LocalFleetHost::prepareRuntimeDir(dir, 8000));
        QCOMPARE(dir, QDir(temp.path()).absoluteFilePath(QStringLiteral("nested/run")));
        QVERIFY(QFileInfo(dir).isDir());
    }

    void runtimeDirDefault()
    {
        QTemporaryDir temp;
        QVERIFY(temp.isValid());
        qputenv("XDG_RUNTIME_DIR", temp.path().toUtf8());
        QString dir;
        QVERIFY(LocalFleetHost::prepareRuntimeDir(dir, 8123));
        QCOMPARE(QFileInfo(dir).fileName(), QStringLiteral("querydeck-fleet-8123"));
        QVERIFY(QFileInfo(dir).isDir());
        QVERIFY(QFileInfo(dir).isAbsolute());
    }

    void runtimeDirCannotBeMade()
    {
        QTemporaryDir temp;
        QVERIFY(temp.isValid());
        QFile file(temp.filePath(QStringLiteral("a-file")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QString dir = temp.filePath(QStringLiteral("a-file/run"));
        QVERIFY(!LocalFleetHost::prepareRuntimeDir(dir, 8000));
        QCOMPARE(dir, temp.filePath(QStringLiteral("a-file/run"))); // names what was tried
    }
};

QTEST_GUILESS_MAIN(TestLocalFleetHost)
#include "tst_localfleethost.moc"
