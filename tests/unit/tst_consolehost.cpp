// The console's hosts without a window: ConsoleAlertsHost's rule set on first
// run and with a broken file (defaults run, the file is left alone and the
// wizard gets no file to save over), its webhook notifier, and ConsoleHost
// itself: the embedded service on a free port, telemetry polling its registry
// while the traffic generator queries it, the alert engine on the telemetry
// thread, no Redis and no fleet unless configured, and an orderly teardown.
#include "backend/alerting/AlertEngine.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/alerting/WebhookNotifier.h"
#include "backend/consolehost/ConsoleAlertsHost.h"
#include "backend/consolehost/ConsoleHost.h"
#include "backend/consolehost/ConsoleRedisHost.h"
#include "backend/fleethost/ConsoleFleetHost.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/telemetry/TelemetryThread.h"
#include "backend/traffic/TrafficGenerator.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

namespace {

QStringList namesOf(const std::vector<AlertRule>& rules)
{
    QStringList names;
    for (const AlertRule& rule : rules)
        names << rule.name;
    return names;
}

} // namespace

class TestConsoleHost : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void firstRunWritesDefaults()
    {
        QTemporaryDir dir;
        AlertsConfig config;
        config.rulesFile = dir.filePath(QStringLiteral("rules/alert-rules.json"));
        TelemetryThread telemetry;
        ConsoleAlertsHost host(config, &telemetry.engine()->store(), 1000, telemetry.thread(),
                               QStringLiteral("http://127.0.0.1:1"));
        QVERIFY(QFile::exists(config.rulesFile));
        QCOMPARE(host.rulesFile(), config.rulesFile);
        QCOMPARE(namesOf(host.startRules()), namesOf(AlertRuleJson::defaults()));
        QVERIFY(host.engine());
        QVERIFY(!host.webhook());
        QCOMPARE(host.engine()->thread(), telemetry.thread());
    }

    void brokenFileIsLeftAlone()
    {
        QTemporaryDir dir;
        AlertsConfig config;
        config.rulesFile = dir.filePath(QStringLiteral("alert-rules.json"));
        QFile file(config.rulesFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"version\": 1, \"rules\": [{\"name\": 3}]}");
        file.close();
        TelemetryThread telemetry;
        ConsoleAlertsHost host(config, &telemetry.engine()->store(), 1000, telemetry.thread(),
                               QStringLiteral("http://127.0.0.1:1"));
        QVERIFY(host.rulesFile().isEmpty());
        QCOMPARE(namesOf(host.startRules()), namesOf(AlertRuleJson::defaults()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{\"version\": 1, \"rules\": [{\"name\": 3}]}"));
    }

    void webhookWithRoutes()
    {
        QTemporaryDir dir;
        AlertsConfig config;
        config.rulesFile = dir.filePath(QStringLiteral("alert-rules.json"));
        config.routes.insert(QStringLiteral("pager"),
                             {QStringLiteral("http://127.0.0.1:9/hook"), SecretRef{}});
        TelemetryThread telemetry;
        ConsoleAlertsHost host(config, &telemetry.engine()->store(), 1000, telemetry.thread(),
                               QStringLiteral("http://127.0.0.1:1"));
        QVERIFY(host.webhook());
        QCOMPARE(host.webhook()->thread(), telemetry.thread());
    }

    void hostStartsAndTearsDown()
    {
        QTemporaryDir dir;
        ServiceConfig service;
        service.http.host = QStringLiteral("127.0.0.1");
        service.http.port = 0;
        service.corpus.path = QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small");
        service.corpus.indexDir = dir.filePath(QStringLiteral("index"));
        ConsoleConfig console;
        console.sampleIntervalMs = 200;
        console.alerts.rulesFile = dir.filePath(QStringLiteral("alert-rules.json"));
        auto host = std::make_unique<ConsoleHost>(service, console);
        QVERIFY(!host->engine());
        const QString error = host->start(true);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(host->serviceAddress().startsWith(QStringLiteral("http://127.0.0.1:")));
        QCOMPARE(host->serviceReplicas(), QStringList{host->serviceAddress()});
        QVERIFY(host->alertEngine());
        QCOMPARE(host->alertEngine()->thread(), host->telemetryThread());
        QVERIFY(host->traffic());
        QCOMPARE(host->traffic()->thread(), host->telemetryThread());
        QVERIFY(host->redis());
        QVERIFY(!host->redis()->monitor()); // no console.redis, no cache.redis
        QVERIFY(host->fleet());
        QVERIFY(!host->fleet()->mirror()); // console.fleet.kind "none"

        // The engine polls the service's registry on the telemetry thread, and
        // the traffic generator queries the service once its corpus is indexed.
        const TimeSeriesStore& store = host->engine()->store();
        QTRY_VERIFY_WITH_TIMEOUT(
            !store.seriesOf(QStringLiteral("querydeck_http_requests_total")).isEmpty(), 20000);
        host.reset(); // the thread stops before the service; nothing hangs
    }
};

QTEST_GUILESS_MAIN(TestConsoleHost)
#include "tst_consolehost.moc"
