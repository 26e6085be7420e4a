// `querydeck fleet` as a user runs it: help, bad options, a real fleet of
// two replicas behind nginx that SIGTERM drains and stops entirely (exit 0, no
// child process left, nginx included), and the fleet's auto-scaler: in apply
// mode a queue-depth load through nginx makes it add a replica; with mode off
// the same load never does.
#include "QueryLoad.h"
#include "RawHttp.h"
#include "ServeProcess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace querydeck::test;

namespace {

// Every process whose parent is `pid`, from /proc.
QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString& entry : entries) {
        bool ok = false;
        const qint64 candidate = entry.toLongLong(&ok);
        if (!ok)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(candidate));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        // pid (comm) state ppid …; comm may contain spaces, so read after the last ')'.
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == pid)
            children << candidate;
    }
    return children;
}

bool alive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    return text.mid(text.lastIndexOf(')') + 2, 1) != "Z";
}

QProcess* runFleet(QObject* parent, const QStringList& arguments)
{
    auto* process = new QProcess(parent);
    process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("/nonexistent-querydeck-test"));
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(QUERYDECK_BIN), QStringList{QStringLiteral("fleet")} + arguments);
    return process;
}

// A service config whose replicas queue: every query a miss with 250 ms of
// generation and one generation slot, so eight clients keep two replicas'
// queues above the auto-scaler's threshold of 3.
QString writeQueueingConfig(const QTemporaryDir& dir, const QByteArray& mode)
{
    const QString path = dir.filePath(QStringLiteral("fleet.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(R"({"rate_limit": {"enabled": false}, "cache": {"enabled": false},
        "generator": {"latency": {"enabled": true, "distribution": "fixed", "mean_ms": 250}},
        "queue": {"concurrency": 1, "capacity": 64},
        "fleet": {"scrape_interval_ms": 500, "autoscaler": {"mode": ")" +
               mode + R"(", "interval_ms": 500,
            "rules": {"queue_up_depth": 3, "queue_down_depth": 1, "cooldown_up_seconds": 2,
                      "cooldown_down_seconds": 600, "min_replicas": 2, "max_replicas": 3}}}})");
    return path;
}

// `querydeck fleet` with two replicas on front + 1 and + 2 and a config file,
// its output collected as it comes.
struct FleetRun
{
    FleetRun(QObject* parent, const QTemporaryDir& dir, const QString& config, quint16 front)
        : process(runFleet(parent, {QStringLiteral("--replicas"), QStringLiteral("2"),
                                    QStringLiteral("--port"), QString::number(front),
                                    QStringLiteral("--replica-base-port"), QString::number(front),
                                    QStringLiteral("--runtime-dir"), dir.path(),
                                    QStringLiteral("--config"), config, QStringLiteral("--corpus"),
                                    QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")}))
    {
    }
    // Everything printed so far.
    QByteArray read()
    {
        process->waitForReadyRead(50);
        output += process->readAll();
        return output;
    }
    QProcess* process;
    QByteArray output;
};

// SIGTERM, exit 0, and every child gone.
void stopFleet(QProcess* fleet, QByteArray& output)
{
    QList<qint64> children = childrenOf(fleet->processId());
    for (qint64 child : QList<qint64>(children))
        children += childrenOf(child);
    QCOMPARE(::kill(pid_t(fleet->processId()), SIGTERM), 0);
    QVERIFY(fleet->waitForFinished(60000));
    output += fleet->readAll();
    QCOMPARE(fleet->exitStatus(), QProcess::NormalExit);
    QVERIFY2(fleet->exitCode() == 0, output.constData());
    for (qint64 child : children)
        QTRY_VERIFY2_WITH_TIMEOUT(!alive(child), qPrintable(QString::number(child)), 10000);
}

} // namespace

class TestFleetCommand : public QObject
{
    Q_OBJECT

private slots:
    void help();
    void badOptions_data();
    void badOptions();
    void sigtermStopsEveryChild();
    void autoscalerAppliesUnderLoad();
    void autoscalerNeverScalesUnlessApplying_data();
    void autoscalerNeverScalesUnlessApplying();
    void serveAdminTokenFromEnvironment();

private:
    qint64 m_answersToScaleUp = 0; // measured by autoscalerAppliesUnderLoad
    QTemporaryDir m_badConfigs;    // written by badOptions_data, read by badOptions
};

void TestFleetCommand::help()
{
    QProcess* process = runFleet(this, {QStringLiteral("--help")});
    QVERIFY(process->waitForFinished(10000));
    QCOMPARE(process->exitCode(), 0);
    const QString text = QString::fromUtf8(process->readAll());
    for (const char* option : {"--replicas", "--port", "--config", "--replica-base-port", "--nginx",
                               "--runtime-dir", "--drain-timeout-ms", "SIGTERM", "fleet [options]"})
        QVERIFY2(text.contains(QLatin1String(option)), option);

    QProcess* usage = new QProcess(this);
    usage->start(QStringLiteral(QUERYDECK_BIN), {QStringLiteral("--help")});
    QVERIFY(usage->waitForFinished(10000));
    QVERIFY(usage->readAll().contains("  fleet "));
}

void TestFleetCommand::badOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("zero replicas") << QStringList{"--replicas", "0"} << "--replicas: \"0\"";
    QTest::newRow("too many") << QStringList{"--replicas", "33"} << "from 1 to 32";
    QTest::newRow("not a number") << QStringList{"--replicas", "two"} << "\"two\"";
    QTest::newRow("bad port") << QStringList{"--port", "70000"} << "--port: \"70000\"";
    QTest::newRow("no room") << QStringList{"--port", "65530", "--replicas", "8"}
                             << "no room for 8 replica ports";
    QTest::newRow("bad host") << QStringList{"--host", "example.com"} << "--host";
    QTest::newRow("missing config")
        << QStringList{"--config", "/nonexistent/q.json"} << "/nonexistent/q.json";
    QTest::newRow("bad corpus") << QStringList{"--corpus", "/nonexistent"} << "--corpus";
    QTest::newRow("bad level") << QStringList{"--log-level", "loud"} << "--log-level";
    QTest::newRow("bad drain") << QStringList{"--drain-timeout-ms", "-5"} << "--drain-timeout-ms";
    QTest::newRow("stray") << QStringList{"extra"} << "unexpected argument \"extra\"";
    const QString dir = m_badConfigs.path();
    const auto config = [&dir](const char* name, const QByteArray& json) {
        const QString path = QDir(dir).filePath(QString::fromLatin1(name));
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(json);
        return QStringList{QStringLiteral("--config"), path};
    };
    QTest::newRow("autoscaler mode")
        << config("mode.json", R"({"fleet": {"autoscaler": {"mode": "sometimes"}}})")
        << "fleet.autoscaler.mode";
    QTest::newRow("autoscaler section not an object")
        << config("section.json", R"({"fleet": {"autoscaler": 3}})") << "fleet.autoscaler";
    QTest::newRow("scrape interval")
        << config("scrape.json", R"({"fleet": {"scrape_interval_ms": 5}})")
        << "fleet.scrape_interval_ms";
    QTest::newRow("autoscaler max beyond a local fleet")
        << config("max.json", R"({"fleet": {"autoscaler": {"mode": "apply",
            "rules": {"max_replicas": 40}}}})")
        << "fleet.autoscaler.rules.max_replicas: 40 is more than the 32";
    QTest::newRow("autoscaler max beyond the ports")
        << config("ports.json", R"({"fleet": {"autoscaler": {"mode": "recommend",
            "policy": "hpa", "hpa": {"max_replicas": 10}}}})") +
               QStringList{"--port", "65530"}
        << "fleet.autoscaler.hpa.max_replicas: 10 replicas from port 65531";
}

void TestFleetCommand::badOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QProcess* process = runFleet(this, arguments);
    QVERIFY(process->waitForFinished(10000));
    const QString output = QString::fromUtf8(process->readAll());
    QCOMPARE(process->exitCode(), 2);
    QVERIFY2(output.contains(message), qPrintable(output));
}

void TestFleetCommand::sigtermStopsEveryChild()
{
    QTemporaryDir dir;
    const quint16 front = ServeProcess::freePortRun(3);
    QVERIFY(front > 0);
    const int base = front; // replicas on front + 1 and front + 2
    QProcess* fleet = runFleet(
        this, {QStringLiteral("--replicas"), QStringLiteral("2"), QStringLiteral("--port"),
               QString::number(front), QStringLiteral("--replica-base-port"), QString::number(base),
               QStringLiteral("--runtime-dir"), dir.path(), QStringLiteral("--corpus"),
               QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")});
    QVERIFY(fleet->waitForStarted(5000));

    // Up when both replicas answer through nginx, each naming itself in the
    // answer's "replica" field (an answer naming neither fails the test).
    QSet<QString> seen;
    QDeadlineTimer deadline(90000);
    while (seen.size() < 2 && !deadline.hasExpired() && fleet->state() == QProcess::Running) {
        const RawResponse response = RawHttp::postJson(front, "/v1/query", R"({"query":"drain"})");
        if (response.status == 200) {
            const QString replica = QueryLoad::replicaOf(response.body);
            QVERIFY2(replica == QLatin1String("1") || replica == QLatin1String("2"),
                     response.body.constData());
            seen.insert(replica);
        } else {
            fleet->waitForReadyRead(100);
        }
    }
    QCOMPARE(seen, (QSet<QString>{QStringLiteral("1"), QStringLiteral("2")}));
    QList<qint64> children = childrenOf(fleet->processId());
    QCOMPARE(children.size(), 3); // two replicas and the nginx master
    for (qint64 child : QList<qint64>(children))
        children += childrenOf(child); // nginx's workers
    QVERIFY(children.size() > 3);

    QCOMPARE(::kill(pid_t(fleet->processId()), SIGTERM), 0);
    QVERIFY(fleet->waitForFinished(60000));
    const QByteArray output = fleet->readAll();
    QCOMPARE(fleet->exitStatus(), QProcess::NormalExit);
    QVERIFY2(fleet->exitCode() == 0, output.constData());
    QVERIFY2(output.contains("draining") && output.contains("nginx stopped"), output.constData());
    for (qint64 child : children)
        QTRY_VERIFY2_WITH_TIMEOUT(!alive(child), qPrintable(QString::number(child)), 10000);
    // And nothing listens any more.
    QCOMPARE(RawHttp::get(front, "/nginx-health").status, 0);
    QCOMPARE(RawHttp::get(quint16(base + 1), "/health").status, 0);
}

void TestFleetCommand::autoscalerAppliesUnderLoad()
{
    QTemporaryDir dir;
    const QString config = writeQueueingConfig(dir, "apply");
    QVERIFY(!config.isEmpty());
    const quint16 front = ServeProcess::freePortRun(4); // nginx, replicas 1..3
    QVERIFY(front > 0);
    FleetRun run(this, dir, config, front);
    QProcess* fleet = run.process;
    QByteArray& output = run.output;
    const auto read = [&run] { return run.read(); };
    QTRY_VERIFY2_WITH_TIMEOUT(read().contains("2 replica(s) serving"), output.constData(), 60000);
    QVERIFY2(output.contains("[autoscaler] apply mode, rules policy"), output.constData());

    QueryLoad load(front, 8, 100000);
    QElapsedTimer clock;
    clock.start();
    load.start();
    QTRY_VERIFY2_WITH_TIMEOUT(read().contains("2 -> 3: queue depth"), output.constData(), 60000);
    const qint64 decidedMs = clock.elapsed();
    m_answersToScaleUp = load.counts().ok;
    // The third replica starts, joins nginx's upstream and answers.
    QTRY_VERIFY_WITH_TIMEOUT(load.counts().byReplica.value(QStringLiteral("3")) > 0, 60000);
    const qint64 answeringMs = clock.elapsed();
    load.stop();
    read();
    QVERIFY2(output.contains("[apply]") && output.contains("replica 3 ready"), output.constData());
    // Every decision is logged with its inputs, holds included.
    QVERIFY2(output.contains("hold:") && output.contains("(cpu "), output.constData());
    const QueryLoad::Counts counts = load.counts();
    qInfo("fleet auto-scaler: 2 -> 3 decided %.1f s into the load (%lld answers), replica 3 "
          "answering after %.1f s; %lld answers, %lld non-2xx, %lld transport errors",
          decidedMs / 1000.0, m_answersToScaleUp, answeringMs / 1000.0, counts.total(),
          counts.non2xx, counts.transport);
    QVERIFY2(counts.non2xx == 0 && counts.transport == 0, counts.lastFailure.constData());
    stopFleet(fleet, output);
}

void TestFleetCommand::autoscalerNeverScalesUnlessApplying_data()
{
    QTest::addColumn<QByteArray>("mode");
    QTest::addColumn<QByteArray>("announced");
    QTest::newRow("off") << QByteArray("off")
                         << QByteArray("[autoscaler] off (fleet.autoscaler.mode)");
    QTest::newRow("recommend") << QByteArray("recommend")
                               << QByteArray("[autoscaler] recommend mode, rules policy");
}

void TestFleetCommand::autoscalerNeverScalesUnlessApplying()
{
    QFETCH(QByteArray, mode);
    QFETCH(QByteArray, announced);
    QVERIFY2(m_answersToScaleUp > 0, "needs the figure of autoscalerAppliesUnderLoad");
    QTemporaryDir dir;
    const QString config = writeQueueingConfig(dir, mode);
    const quint16 front = ServeProcess::freePortRun(4);
    QVERIFY(front > 0);
    FleetRun run(this, dir, config, front);
    QProcess* fleet = run.process;
    QByteArray& output = run.output;
    const auto read = [&run] { return run.read(); };
    QTRY_VERIFY2_WITH_TIMEOUT(read().contains("2 replica(s) serving"), output.constData(), 60000);
    QVERIFY2(output.contains(announced), output.constData());

    // Twice the load that made the apply-mode fleet scale up: still two replicas.
    QueryLoad load(front, 8, 100000);
    load.start();
    const qint64 bar = std::max<qint64>(2 * m_answersToScaleUp, 40);
    QTRY_VERIFY_WITH_TIMEOUT(load.counts().ok >= bar, 120000);
    load.stop();
    read();
    const QueryLoad::Counts counts = load.counts();
    QCOMPARE(counts.byReplica.value(QStringLiteral("3")), 0);
    QVERIFY2(counts.byReplica.value(QStringLiteral("1")) > 0 &&
                 counts.byReplica.value(QStringLiteral("2")) > 0,
             "both replicas answer");
    QVERIFY2(!output.contains("replica 3"), output.constData());
    if (mode == "off") {
        QVERIFY2(!output.contains(" -> "), output.constData()); // nothing evaluated
    } else {
        // The same load is recommended a third replica, with its inputs, and no more.
        QVERIFY2(output.contains("2 -> 3: queue depth") && output.contains("[recommend]"),
                 output.constData());
    }
    stopFleet(fleet, output);
}

// The fleet drains a replica through `serve --admin-token-env VAR`.
void TestFleetCommand::serveAdminTokenFromEnvironment()
{
    ServeProcess replica;
    const QString error = replica.start(
        {QStringLiteral("--admin-token-env"), QStringLiteral("QD_TEST_ADMIN"),
         QStringLiteral("--corpus"), QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")},
        {QStringLiteral("QD_TEST_ADMIN=s3cret-token")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const RawResponse wrong =
        RawHttp::exchange(replica.port(), RawHttp::build("POST", "/admin/drain", {},
                                                         {{"Authorization", "Bearer no"}}));
    QCOMPARE(wrong.status, 401);
    QCOMPARE(RawHttp::get(replica.port(), "/ready").status, 200);
    const RawResponse right = RawHttp::exchange(
        replica.port(),
        RawHttp::build("POST", "/admin/drain", {}, {{"Authorization", "Bearer s3cret-token"}}));
    QCOMPARE(right.status, 202);
    QCOMPARE(RawHttp::get(replica.port(), "/ready").status, 503);
    QVERIFY(!replica.output().contains("s3cret-token"));
    QCOMPARE(replica.terminate(), 0);

    // A name that is not a variable name: refused, the option named.
    QProcess bad;
    bad.setProcessChannelMode(QProcess::MergedChannels);
    bad.start(QStringLiteral(QUERYDECK_BIN),
              {QStringLiteral("serve"), QStringLiteral("--admin-token-env"),
               QStringLiteral("NOT A NAME")});
    QVERIFY(bad.waitForFinished(10000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(bad.readAll().contains("--admin-token-env: \"NOT A NAME\""));
}

QTEST_GUILESS_MAIN(TestFleetCommand)
#include "tst_fleetcommand.moc"
