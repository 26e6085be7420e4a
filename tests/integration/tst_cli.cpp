// The querydeck command line: --version, help texts, `query`, and bad usage.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runQueryDeck(const QStringList& args, const QString& cacheHome = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("/nonexistent-querydeck-test"));
    if (!cacheHome.isEmpty())
        env.insert(QStringLiteral("XDG_CACHE_HOME"), cacheHome);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(QUERYDECK_BIN), args);
    process.waitForFinished(60000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class CliTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_cache;

private slots:
    void version()
    {
        const Run run = runQueryDeck({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith("querydeck "));
        QVERIFY(run.out.trimmed().split(' ').value(1).count('.') == 2);
    }

    void topLevelHelp()
    {
        const Run run = runQueryDeck({QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("serve"));
        QVERIFY(run.out.contains("query"));
    }

    void serveHelpDocumentsEveryOption_data()
    {
        QTest::addColumn<QByteArray>("option");
        for (const char* o : {"--host", "--port", "--config", "--corpus", "--replica-id",
                              "--threads", "--log-level", "--log-format", "--help"})
            QTest::newRow(o) << QByteArray(o);
    }

    void serveHelpDocumentsEveryOption()
    {
        QFETCH(QByteArray, option);
        const Run run = runQueryDeck({QStringLiteral("serve"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(option), option.constData());
    }

    void queryPrintsJson()
    {
        const Run run = runQueryDeck(
            {QStringLiteral("query"), QStringLiteral("how do I drain a replica?"),
             QStringLiteral("--corpus"), QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")},
            m_cache.path());
        QCOMPARE(run.exitCode, 0);
        QJsonParseError error;
        const QJsonObject answer = QJsonDocument::fromJson(run.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(answer.value(QLatin1String("cache")).toString(), QStringLiteral("miss"));
        QVERIFY(answer.value(QLatin1String("answer"))
                    .toString()
                    .contains(QLatin1String("drain"), Qt::CaseInsensitive));
        QVERIFY(answer.value(QLatin1String("sources")).isArray());
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("frobnicate")} << QByteArray("unknown command");
        QTest::newRow("port not a number")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("80a")}
            << QByteArray("--port");
        QTest::newRow("port too big")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--port"),
                           QStringLiteral("70000")}
            << QByteArray("--port");
        QTest::newRow("threads zero")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--threads"),
                           QStringLiteral("0")}
            << QByteArray("--threads");
        QTest::newRow("bad host") << QStringList{QStringLiteral("serve"), QStringLiteral("--host"),
                                                 QStringLiteral("not-an-ip")}
                                  << QByteArray("--host");
        QTest::newRow("bad log format")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--log-format"),
                           QStringLiteral("xml")}
            << QByteArray("--log-format");
        QTest::newRow("bad log level")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--log-level"),
                           QStringLiteral("loud")}
            << QByteArray("--log-level");
        QTest::newRow("missing corpus")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--corpus"),
                           QStringLiteral("/nonexistent/corpus")}
            << QByteArray("--corpus");
        QTest::newRow("missing config")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--config"),
                           QStringLiteral("/nonexistent/qd.json")}
            << QByteArray("/nonexistent/qd.json");
        QTest::newRow("bad trusted proxy")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--trusted-proxy"),
                           QStringLiteral("10.0.0.1/8")}
            << QByteArray("--trusted-proxy: \"10.0.0.1/8\" has bits set below its /8 prefix");
        QTest::newRow("trusted proxy everyone")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--trusted-proxy"),
                           QStringLiteral("0.0.0.0/0")}
            << QByteArray("--trusted-proxy: \"0.0.0.0/0\" matches every address");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--frob")} << QByteArray("frob");
        QTest::newRow("query without text")
            << QStringList{QStringLiteral("query")} << QByteArray("exactly one question");
    }

    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        const Run run = runQueryDeck(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), run.err.constData());
    }

    void queryRefusesWhatTheApiRefuses()
    {
        const Run run = runQueryDeck({QStringLiteral("query"), QStringLiteral("   ")});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(QJsonDocument::fromJson(run.out)
                     .object()
                     .value(QLatin1String("error"))
                     .toObject()
                     .value(QLatin1String("code"))
                     .toString(),
                 QStringLiteral("invalid_request"));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
