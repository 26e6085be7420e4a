// The local replica set against real `querydeck serve` processes and a real
// nginx on free loopback ports: the scale drill under load, a replica killed
// with SIGKILL under load, and the failures that must keep the previous state.
#include "QueryLoad.h"
#include "RawHttp.h"
#include "ServeProcess.h"
#include "backend/fleet/LocalReplicaSet.h"
#include "backend/fleet/NginxFrontDoor.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace querydeck;
using namespace querydeck::test;

namespace {

constexpr int kScaleTimeoutMs = 90000;

LocalFleetOptions fleetOptions(const QString& runtimeDir)
{
    LocalFleetOptions options;
    options.querydeckBinary = QStringLiteral(QUERYDECK_BIN);
    options.runtimeDir = runtimeDir;
    options.frontPort = ServeProcess::freePortRun(5); // nginx, replicas 1..4 above it
    options.extraArguments = {QStringLiteral("--corpus"),
                              QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small"),
                              QStringLiteral("--threads"), QStringLiteral("16")};
    options.drainTimeoutMs = 10000;
    options.backoffInitialMs = 200;
    // The load's clients all connect from 127.0.0.1, one address and so one
    // rate-limit bucket: the load here is one operator's drill, not abuse.
    options.configFile = QDir(runtimeDir).filePath(QStringLiteral("service.json"));
    QFile config(options.configFile);
    if (config.open(QIODevice::WriteOnly))
        config.write(R"({"rate_limit": {"enabled": false}})");
    return options;
}

// Waits for the next scaleFinished; returns its error ("" when ok).
QString waitScale(LocalReplicaSet& set, int count)
{
    QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
    set.scale(count);
    if (finished.isEmpty() && !finished.wait(kScaleTimeoutMs))
        return QStringLiteral("scale(%1) did not finish within %2 ms")
            .arg(count)
            .arg(kScaleTimeoutMs);
    const QList<QVariant> args = finished.takeFirst();
    return args.at(0).toBool() ? QString()
                               : QStringLiteral("scale failed: ") + args.at(1).toString();
}

void waitStopped(LocalReplicaSet& set)
{
    QSignalSpy done(&set, &LocalReplicaSet::shutdownFinished);
    set.shutdown();
    QVERIFY(done.count() > 0 || done.wait(60000));
}

} // namespace

class TestLocalReplicaSet : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void scaleDrillUnderLoad();
    void killedReplicaUnderLoad();
    void restartBackoffAndBudget();
    void badTemplateKeepsRunningConfig();
    void replicaPortTaken();
    void frontPortTaken();
    void nginxMissingRunsOneReplica();
    void drainAndRestartOneReplica();
};

void TestLocalReplicaSet::initTestCase()
{
    // Replicas inherit this: never the developer's own config.
    qputenv("XDG_CONFIG_HOME", "/nonexistent-querydeck-test");
    QVERIFY2(!NginxFrontDoor::findBinary(QStringLiteral("nginx")).isEmpty(),
             "nginx is required (packaging/debian-packages.txt) and was not found");
}

void TestLocalReplicaSet::scaleDrillUnderLoad()
{
    QTemporaryDir dir;
    LocalFleetOptions options = fleetOptions(dir.path());
    LocalReplicaSet set(options);
    QVERIFY2(set.hasFrontDoor(), "nginx is required for this test and was not found");
    const QString one = waitScale(set, 1);
    QVERIFY2(one.isEmpty(), qPrintable(one));
    QCOMPARE(set.serversInRotation().size(), 1);

    QueryLoad load(quint16(options.frontPort), 4);
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.counts().ok > 20, 20000);

    const QString three = waitScale(set, 3);
    QVERIFY2(three.isEmpty(), qPrintable(three));
    QCOMPARE(set.serversInRotation().size(), 3);
    const qint64 okAtThree = load.counts().ok;
    QTRY_VERIFY_WITH_TIMEOUT(
        load.counts().byReplica.size() == 3 && load.counts().ok > okAtThree + 200, 30000);
    const QueryLoad::Counts atThree = load.counts();

    const QString back = waitScale(set, 1);
    QVERIFY2(back.isEmpty(), qPrintable(back));
    QCOMPARE(set.replicas().size(), 1);
    QCOMPARE(set.serversInRotation().size(), 1);
    const qint64 okAtOne = load.counts().ok;
    QTRY_VERIFY_WITH_TIMEOUT(load.counts().ok > okAtOne + 50, 20000);
    load.stop();

    const QueryLoad::Counts counts = load.counts();
    const QString perReplica = QStringLiteral("1=%1 2=%2 3=%3")
                                   .arg(atThree.byReplica.value(QStringLiteral("1")))
                                   .arg(atThree.byReplica.value(QStringLiteral("2")))
                                   .arg(atThree.byReplica.value(QStringLiteral("3")));
    qInfo("scale drill: %lld answers, %lld non-2xx, %lld transport errors; answers per replica "
          "by the end of 3: %s",
          counts.total(), counts.non2xx, counts.transport, qPrintable(perReplica));
    QVERIFY2(counts.non2xx == 0 && counts.transport == 0, counts.lastFailure.constData());
    for (const char* id : {"1", "2", "3"})
        QVERIFY2(atThree.byReplica.value(QString::fromLatin1(id)) > 0, id);
    waitStopped(set);
    QVERIFY(set.replicas().isEmpty());
}

void TestLocalReplicaSet::killedReplicaUnderLoad()
{
    QTemporaryDir dir;
    LocalFleetOptions options = fleetOptions(dir.path());
    LocalReplicaSet set(options);
    const QString three = waitScale(set, 3);
    QVERIFY2(three.isEmpty(), qPrintable(three));

    QueryLoad load(quint16(options.frontPort), 4);
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.counts().byReplica.size() == 3, 20000);

    qint64 pid = 0;
    for (const ReplicaInfo& info : set.replicas())
        pid = info.id == QLatin1String("2") ? info.pid : pid;
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);

    // Out of rotation, restarted with backoff, back in rotation.
    const auto restarted = [&set] {
        for (const ReplicaInfo& info : set.replicas())
            if (info.id == QLatin1String("2"))
                return info.restarts == 1 && info.state == ReplicaState::Ready;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(restarted(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(set.serversInRotation().size(), 3, 10000);
    const qint64 secondBefore = load.counts().byReplica.value(QStringLiteral("2"));
    QTRY_VERIFY_WITH_TIMEOUT(load.counts().byReplica.value(QStringLiteral("2")) > secondBefore,
                             20000);
    load.stop();

    // The budget: nginx retries a refused or reset connection on another
    // replica (proxy_next_upstream error ... non_idempotent), so a SIGKILL
    // costs at most the few requests caught mid-response: 5 at most.
    const QueryLoad::Counts counts = load.counts();
    qInfo("kill -9 under load: %lld answers, %lld non-2xx, %lld transport errors (budget 5)",
          counts.total(), counts.non2xx, counts.transport);
    QVERIFY2(counts.non2xx + counts.transport <= 5, counts.lastFailure.constData());
    waitStopped(set);
}

void TestLocalReplicaSet::restartBackoffAndBudget()
{
    QTemporaryDir dir;
    LocalFleetOptions options = fleetOptions(dir.path());
    options.restartBudget = 2;
    LocalReplicaSet set(options);
    const QString one = waitScale(set, 1);
    QVERIFY2(one.isEmpty(), qPrintable(one));
    QSignalSpy events(&set, &ReplicaSet::event);

    const auto replica = [&set] { return set.replicas().value(0); };
    // Two crashes inside the budget: restarted after 200 ms, then 400 ms.
    for (int crash = 1; crash <= 2; ++crash) {
        const ReplicaInfo before = replica();
        QCOMPARE(before.state, ReplicaState::Ready);
        QCOMPARE(::kill(pid_t(before.pid), SIGKILL), 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            replica().restarts == crash && replica().state == ReplicaState::Ready, 30000);
        QVERIFY(replica().pid != before.pid);
    }
    const auto restartDelays = [&events] {
        QStringList delays;
        for (const QList<QVariant>& args : events) {
            const QString message = args.value(0).toString();
            const qsizetype at = message.indexOf(QLatin1String("restarting in "));
            if (at >= 0)
                delays << message.mid(at + 14).section(QLatin1Char(' '), 0, 1);
        }
        return delays;
    };
    const QStringList twoDelays{QStringLiteral("200 ms"), QStringLiteral("400 ms")};
    QCOMPARE(restartDelays(), twoDelays);

    // The third crash spends the budget: failed, not restarted, and it says why.
    QCOMPARE(::kill(pid_t(replica().pid), SIGKILL), 0);
    QTRY_COMPARE_WITH_TIMEOUT(replica().state, ReplicaState::Failed, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.begin(), events.end(),
                                         [](const QList<QVariant>& args) {
                                             return args.value(0).toString().contains(
                                                 QLatin1String("restart budget (2) spent"));
                                         }),
                             5000);
    // No restart is pending: a crash is answered either by scheduling one
    // ("restarting in", the only way a restart starts) or by spending the
    // budget, in the same handling; the budget answer is in, so no third
    // "restarting in" can follow. The earlier two restarts have completed.
    QCOMPARE(restartDelays(), twoDelays);
    QCOMPARE(replica().state, ReplicaState::Failed);
    QCOMPARE(replica().restarts, 2);
    waitStopped(set);
}

void TestLocalReplicaSet::badTemplateKeepsRunningConfig()
{
    QTemporaryDir dir;
    LocalFleetOptions options = fleetOptions(dir.path());
    options.templatePath = dir.filePath(QStringLiteral("template.conf.in"));
    QVERIFY(
        QFile::copy(QStringLiteral(":/nginx/querydeck-upstream.conf.in"), options.templatePath));
    QFile::setPermissions(options.templatePath, QFile::ReadOwner | QFile::WriteOwner);
    LocalReplicaSet set(options);
    const QString one = waitScale(set, 1);
    QVERIFY2(one.isEmpty(), qPrintable(one));
    const QStringList before = set.serversInRotation();

    // A directive nginx does not know: nginx -t must reject it.
    QFile file(options.templatePath);
    QVERIFY(file.open(QIODevice::Append));
    file.write("\nbogus_directive on;\n");
    file.close();
    const QString two = waitScale(set, 2);
    QVERIFY2(two.contains(QLatin1String("nginx -t rejected")) &&
                 two.contains(QLatin1String("bogus_directive")),
             qPrintable(two));
    QCOMPARE(set.serversInRotation(), before);
    // The old config still serves.
    const RawResponse response =
        RawHttp::postJson(quint16(options.frontPort), "/v1/query", R"({"query":"drain"})");
    QCOMPARE(response.status, 200);

    // A template without a placeholder: the error names it.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("events {}\nhttp { server { listen @LISTEN@; } }\n");
    file.close();
    const QString three = waitScale(set, 3);
    QVERIFY2(three.contains(QLatin1String("@PREFIX@")), qPrintable(three));
    QCOMPARE(set.serversInRotation(), before);
    waitStopped(set);
}

void TestLocalReplicaSet::replicaPortTaken()
{
    QTemporaryDir dir;
    LocalFleetOptions options = fleetOptions(dir.path());
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, quint16(options.replicaPort(1))));
    LocalReplicaSet set(options);
    const QString error = waitScale(set, 1);
    QVERIFY2(error.contains(
                 QStringLiteral("port %1 for replica 1 is in use").arg(options.replicaPort(1))),
             qPrintable(error));
    QVERIFY(set.replicas().isEmpty());
    QCOMPARE(set.desiredCount(), 0);
    waitStopped(set);
}

void TestLocalReplicaSet::frontPortTaken()
{
    QTemporaryDir dir;
    LocalFleetOptions options = fleetOptions(dir.path());
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, quint16(options.frontPort)));
    LocalReplicaSet set(options);
    const QString error = waitScale(set, 1);
    QVERIFY2(error.contains(QLatin1String("Address already in use")), qPrintable(error));
    QVERIFY(set.replicas().isEmpty());
    QCOMPARE(set.desiredCount(), 0);
    waitStopped(set);
}

void TestLocalReplicaSet::nginxMissingRunsOneReplica()
{
    QTemporaryDir dir;
    LocalFleetOptions options = fleetOptions(dir.path());
    options.nginxBinary = dir.filePath(QStringLiteral("no-such/nginx"));
    LocalReplicaSet set(options);
    QVERIFY(!set.hasFrontDoor());
    const QString two = waitScale(set, 2);
    QVERIFY2(two.contains(QLatin1String("nginx not found")) &&
                 two.contains(QLatin1String("no-such/nginx")),
             qPrintable(two));
    QVERIFY(set.replicas().isEmpty());

    const QString one = waitScale(set, 1);
    QVERIFY2(one.isEmpty(), qPrintable(one));
    const RawResponse response =
        RawHttp::postJson(quint16(options.frontPort), "/v1/query", R"({"query":"drain"})");
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.contains(R"("replica":"1")"));
    waitStopped(set);
}

void TestLocalReplicaSet::drainAndRestartOneReplica()
{
    QTemporaryDir dir;
    LocalFleetOptions options = fleetOptions(dir.path());
    LocalReplicaSet set(options);
    const QString two = waitScale(set, 2);
    QVERIFY2(two.isEmpty(), qPrintable(two));

    qint64 pidBefore = 0;
    for (const ReplicaInfo& info : set.replicas())
        pidBefore = info.id == QLatin1String("1") ? info.pid : pidBefore;
    set.restart(QStringLiteral("1"));
    const auto restarted = [&] {
        for (const ReplicaInfo& info : set.replicas())
            if (info.id == QLatin1String("1"))
                return info.pid != pidBefore && info.state == ReplicaState::Ready;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(restarted(), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(set.serversInRotation().size(), 2, 10000);

    set.drain(QStringLiteral("2"));
    QTRY_COMPARE_WITH_TIMEOUT(set.replicas().size(), 1, 60000);
    QCOMPARE(set.desiredCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(
        set.serversInRotation(),
        QStringList{QStringLiteral("127.0.0.1:%1").arg(options.replicaPort(1))}, 10000);
    QVERIFY(QFile::exists(set.logPath(QStringLiteral("1"))));
    set.drain(QStringLiteral("7"));
    waitStopped(set);
}

QTEST_GUILESS_MAIN(TestLocalReplicaSet)
#include "tst_localreplicaset.moc"
