// The real console binary with console.redis as an object against a real
// redis-server with requirepass: the password comes from the secret
// reference (an environment variable here, the keychain on a desktop) and
// reaches the INFO source and the Redis dock's monitor (both read the
// server's CONFIG, which logs the recommended-settings differences); a wrong
// one is reported naming the reference, never the value. Screenshots of the
// whole window go to $QUERYDECK_SNAPSHOT_DIR/console-redis-*.png when it is set.
#include "ConsoleRun.h"
#include "RedisTestServer.h"
#include "Snapshot.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;
using namespace querydeck::test;

class TestConsoleRedis : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString error = m_server.start({QStringLiteral("requirepass console-pw-7")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void cleanupTestCase() { m_server.stop(); }

    void password_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("right");
        QTest::newRow("right") << QStringLiteral("console-pw-7") << true;
        QTest::newRow("wrong") << QStringLiteral("guess-that-fails") << false;
    }

    void password()
    {
        QFETCH(QString, password);
        QFETCH(bool, right);
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config.json"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"({"version": 1, "console": {"redis": {
            "address": "127.0.0.1:%1", "password": {"env": "QD_TEST_CONSOLE_REDIS_PW"},
            "refresh_ms": 1000}}})")
                       .arg(m_server.port())
                       .toUtf8());
        file.close();
        const QString png = dir.filePath(QStringLiteral("console.png"));
        const ProgramRun run = runConsoleScreenshot(
            config, png, 3, {QStringLiteral("QD_TEST_CONSOLE_REDIS_PW=") + password});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QString output = QString::fromUtf8(run.out + run.err);
        const QString instance = QStringLiteral("127.0.0.1:%1").arg(m_server.port());
        // The INFO source's settings check ran: CONFIG GET was answered after AUTH.
        const bool checked = output.contains(
            QStringLiteral("[redis] %1: appendonly is no; recommended: yes").arg(instance));
        const bool refused = output.contains(
            QStringLiteral("the server refused the password from environment variable "
                           "\"QD_TEST_CONSOLE_REDIS_PW\" (console.redis.password)"));
        QCOMPARE(checked, right);
        QCOMPARE(refused, !right);
        QVERIFY2(!output.contains(password), "the password leaked into the log");
        QCOMPARE(QImage(png).size(), QSize(1600, 1000));
        QVERIFY(keepSnapshotFile(
            png, QStringLiteral("console-redis-%1.png")
                     .arg(right ? QStringLiteral("right") : QStringLiteral("wrong"))));
    }

private:
    RedisTestServer m_server;
};

QTEST_GUILESS_MAIN(TestConsoleRedis)
#include "tst_console_redis.moc"
