// `querydeck fleet` as a user runs it: help, bad options, and a real fleet of
// two replicas behind nginx that SIGTERM drains and stops entirely (exit 0, no
// child process left, nginx included).
#include "RawHttp.h"
#include "ServeProcess.h"

#include <QDeadlineTimer>
#include <QDir>
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

} // namespace

class TestFleetCommand : public QObject
{
    Q_OBJECT

private slots:
    void help();
    void badOptions_data();
    void badOptions();
    void sigtermStopsEveryChild();
    void serveAdminTokenFromEnvironment();
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

    // Up when both replicas answer through nginx.
    QSet<QByteArray> seen;
    QDeadlineTimer deadline(90000);
    while (seen.size() < 2 && !deadline.hasExpired() && fleet->state() == QProcess::Running) {
        const RawResponse response = RawHttp::postJson(front, "/v1/query", R"({"query":"drain"})");
        if (response.status == 200)
            seen.insert(response.body.contains(R"("replica":"1")") ? "1" : "2");
        else
            fleet->waitForReadyRead(100);
    }
    QVERIFY2(seen.size() == 2, fleet->readAll().constData());
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
