// The pre-flight checks that run real programs: nginx -t on the front-door
// config a scale would write, and a real Redis answering (or not).
#include "RedisTestServer.h"
#include "backend/redis/MasterLocator.h"
#include "backend/scaling/NginxConfigCheck.h"
#include "backend/scaling/RedisReachableCheck.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;
using querydeck::test::RedisTestServer;

namespace {

CheckResult runAndWait(PreflightCheck& check, const ScaleRequest& request, QObject* context)
{
    std::optional<CheckResult> result;
    check.run(request, context, [&result](const CheckResult& r) { result = r; });
    QTest::qWaitFor([&result] { return result.has_value(); }, 10000);
    return result.value_or(CheckResult{CheckResult::Level::Fail, QStringLiteral("no answer")});
}

ScaleRequest request(int from, int to)
{
    ScaleRequest r;
    r.currentReplicas = from;
    r.targetReplicas = to;
    return r;
}

} // namespace

class TestPreflightChecks : public QObject
{
    Q_OBJECT

private slots:
    void nginxAcceptsTheShippedTemplate()
    {
        LocalFleetOptions options;
        options.frontPort = 18100;
        NginxConfigCheck check(options);
        QObject context;
        const CheckResult result = runAndWait(check, request(1, 3), &context);
        QVERIFY2(result.level == CheckResult::Level::Pass, qPrintable(result.message));
        QVERIFY2(result.message.contains("3 replicas"), qPrintable(result.message));
    }

    void nginxRejectsABrokenTemplate()
    {
        QTemporaryDir dir;
        QFile original(QStringLiteral(":/nginx/querydeck-upstream.conf.in"));
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray text = original.readAll();
        // Valid for the renderer (every placeholder kept), invalid for nginx.
        text.replace("least_conn;", "least_conn; no_such_directive on;");
        QFile broken(dir.filePath("broken.conf.in"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(text);
        broken.close();
        LocalFleetOptions options;
        options.templatePath = broken.fileName();
        NginxConfigCheck check(options);
        QObject context;
        const CheckResult result = runAndWait(check, request(1, 2), &context);
        QCOMPARE(result.level, CheckResult::Level::Fail);
        QVERIFY2(result.message.contains("no_such_directive"), qPrintable(result.message));
    }

    void nginxMissingOrTemplateMissing()
    {
        LocalFleetOptions options;
        options.nginxBinary = QStringLiteral("/nonexistent/nginx");
        NginxConfigCheck missingBinary(options);
        QObject context;
        CheckResult result = runAndWait(missingBinary, request(1, 2), &context);
        QCOMPARE(result.level, CheckResult::Level::Fail);
        QVERIFY2(result.message.contains("/nonexistent/nginx"), qPrintable(result.message));

        LocalFleetOptions noTemplate;
        noTemplate.templatePath = QStringLiteral("/nonexistent/template.conf.in");
        NginxConfigCheck missingTemplate(noTemplate);
        result = runAndWait(missingTemplate, request(1, 2), &context);
        QCOMPARE(result.level, CheckResult::Level::Fail);
        QVERIFY2(result.message.contains("/nonexistent/template.conf.in"),
                 qPrintable(result.message));
    }

    void redisReachable()
    {
        RedisTestServer redis;
        const QString error = redis.start();
        QVERIFY2(error.isEmpty(), qPrintable(error)); // fail, never skip
        RedisEndpoint endpoint;
        RedisReachableCheck check(std::make_shared<FixedMasterLocator>(
                                      RedisAddress{QStringLiteral("127.0.0.1"), redis.port(), 0}),
                                  endpoint);
        QObject context;
        const CheckResult result = runAndWait(check, request(1, 2), &context);
        QVERIFY2(result.level == CheckResult::Level::Pass, qPrintable(result.message));
        QVERIFY2(result.message.contains(QString::number(redis.port())),
                 qPrintable(result.message));
    }

    void redisUnreachable()
    {
        // A port that was free a moment ago: nothing listens there.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        RedisReachableCheck check(std::make_shared<FixedMasterLocator>(
                                      RedisAddress{QStringLiteral("127.0.0.1"), port, 0}),
                                  RedisEndpoint{});
        QObject context;
        const CheckResult result = runAndWait(check, request(1, 2), &context);
        QCOMPARE(result.level, CheckResult::Level::Fail);
        QVERIFY2(result.message.contains(QStringLiteral("127.0.0.1:%1").arg(port)),
                 qPrintable(result.message));
    }
};

QTEST_GUILESS_MAIN(TestPreflightChecks)
#include "tst_preflightchecks.moc"
