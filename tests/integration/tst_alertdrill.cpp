// The alert drill, end to end in one process: a real QueryService whose
// generator is slowed by the LatencyGenerator (fixed 400 ms), the real
// RegistrySource + TelemetryEngine + AlertEngine, a copy of the default
// HighP95Latency rule with its threshold lowered to 0.3 s (and short window,
// for, keep_firing_for and interval), the traffic generator driving queries,
// and a local webhook receiver. The rule must go Pending -> Firing ->
// Recovering -> Normal and the receiver must get both firing and resolved.
#include "FixtureHttpServer.h"
#include "backend/alerting/AlertEngine.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/alerting/WebhookNotifier.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryService.h"
#include "backend/service/ServiceMetrics.h"
#include "backend/sources/ProcSource.h"
#include "backend/sources/RegistrySource.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/traffic/TrafficGenerator.h"

#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace querydeck;
using namespace std::chrono_literals;

class TestAlertDrill : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QueryService> m_service;
    FixtureHttpServer m_receiver;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_receiver.start(), qPrintable(m_receiver.errorString()));
        m_receiver.setHandler("POST", "/pager", [](const FixtureRequest&) {
            return FixtureResponse::text(200, "ok");
        });
        ServiceConfig config;
        config.http.host = QStringLiteral("127.0.0.1");
        config.http.port = 0;
        config.http.replicaId = QStringLiteral("drill");
        config.rateLimit.enabled = false;
        config.cache.enabled = false; // every query generates, so every one is slow
        config.generator.latency.enabled = true;
        config.generator.latency.distribution = QStringLiteral("fixed");
        config.generator.latency.meanMs = 400;
        config.corpus.path = QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small");
        config.corpus.indexDir = m_dir.filePath(QStringLiteral("index"));
        m_service = std::make_unique<QueryService>(config, std::make_shared<KeychainSecretStore>());
        const QString error = m_service->start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(m_service->waitUntilReady(60s), "service not ready");
    }

    void cleanupTestCase()
    {
        if (m_service)
            m_service->stop();
        m_receiver.stop();
    }

    void drill()
    {
        QueryService* service = m_service.get();
        TelemetryEngine telemetry;
        telemetry.addSource(new RegistrySource(service->metrics().registry(), "local",
                                               [service] { service->refreshMetrics(); }),
                            250);
        telemetry.setRefreshInterval(0);

        AlertRule rule;
        for (const AlertRule& r : AlertRuleJson::defaults()) {
            if (r.name == QLatin1String("HighP95Latency"))
                rule = r;
        }
        QCOMPARE(rule.name, QStringLiteral("HighP95Latency"));
        QCOMPARE(rule.severity, AlertSeverity::Critical);
        rule.threshold = 0.3;
        rule.expression.replace(QStringLiteral("[5m]"), QStringLiteral("[3s]"));
        QVERIFY(rule.expression.contains("[3s]"));
        rule.forMs = 2000;
        rule.keepFiringForMs = 2000;
        rule.intervalMs = 1000;

        AlertEngine alerts(&telemetry.store());
        alerts.setTickInterval(100);
        alerts.setHistoryFile(m_dir.filePath("history.jsonl"));
        const QStringList errors = alerts.setRules({rule});
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));

        WebhookOptions options;
        options.routes = {{"pager", m_receiver.url("/pager"), {}}};
        options.severityRoutes = {{"critical", "pager"}};
        options.backoffMs = 100;
        WebhookNotifier webhook(options);
        // As the console wires it: one payload per route per evaluation.
        connect(&alerts, &AlertEngine::notifications, &webhook, &WebhookNotifier::sendBatch);
        QSignalSpy delivered(&webhook, &WebhookNotifier::delivered);

        QList<AlertState> states;
        connect(&alerts, &AlertEngine::transition, this, [&](const AlertHistoryEntry& entry) {
            if (entry.ruleName == rule.name && !entry.note.isEmpty())
                return;
            states << entry.transition.to;
        });

        TrafficGenerator traffic;
        traffic.setTarget(QUrl(service->address()));
        traffic.setRate(8);
        telemetry.start();
        alerts.start();
        traffic.start();
        QTRY_VERIFY_WITH_TIMEOUT(states.contains(AlertState::Firing), 25000);
        traffic.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty() && states.last() == AlertState::Normal, 20000);
        alerts.stop();
        telemetry.stop();

        // In order (a flap while traffic ran may add Firing/Recovering pairs).
        QCOMPARE(states.first(), AlertState::Pending);
        const qsizetype firing = states.indexOf(AlertState::Firing);
        const qsizetype recovering = states.indexOf(AlertState::Recovering, firing);
        QVERIFY2(firing > 0 && recovering > firing, qPrintable(QString::number(states.size())));
        QCOMPARE(states.last(), AlertState::Normal);
        QCOMPARE(states.count(AlertState::Pending), 1);

        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 10000);
        const QList<FixtureRequest> requests = m_receiver.requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0].json()["status"].toString(), QStringLiteral("firing"));
        QCOMPARE(requests[1].json()["status"].toString(), QStringLiteral("resolved"));
        const QJsonObject alert = requests[1].json()["alerts"].toArray()[0].toObject();
        QCOMPARE(alert["labels"].toObject()["alertname"].toString(), rule.name);
        QCOMPARE(alert["labels"].toObject()["severity"].toString(), QStringLiteral("critical"));
        QVERIFY(alert["endsAt"].toString() > alert["startsAt"].toString());
        // Every transition was recorded.
        QCOMPARE(alerts.history().entries().size(), std::size_t(states.size()));
    }

    // Every default rule evaluates to a value on the live data of local dev
    // mode (the embedded service's registry and /proc), none to an error.
    void defaultRulesEvaluateOnLiveData()
    {
        QueryService* service = m_service.get();
        TelemetryEngine telemetry;
        telemetry.addSource(new RegistrySource(service->metrics().registry(), "local",
                                               [service] { service->refreshMetrics(); }),
                            250);
        telemetry.addSource(new ProcSource(), 250);
        telemetry.setRefreshInterval(0);
        AlertEngine alerts(&telemetry.store());
        alerts.setTickInterval(0);
        QVERIFY(alerts.setRules(AlertRuleJson::defaults()).isEmpty());
        TrafficGenerator traffic;
        traffic.setTarget(QUrl(service->address()));
        traffic.setRate(8);
        telemetry.start();
        alerts.start();
        traffic.start();
        // Until every rule has a value (rates need two samples, ratios answered
        // requests): a condition, not a fixed few seconds of polls.
        const auto everyRuleHasAValue = [&alerts] {
            alerts.evaluateAll();
            const auto instances = alerts.instances();
            return !instances.isEmpty() &&
                   std::all_of(instances.begin(), instances.end(), [](const AlertInstance& i) {
                       return i.status.value && !std::isnan(*i.status.value);
                   });
        };
        QTRY_VERIFY_WITH_TIMEOUT(everyRuleHasAValue(), 30000);
        traffic.stop();
        QTRY_COMPARE_WITH_TIMEOUT(traffic.inFlight(), 0, 10000); // requests have finished
        alerts.evaluateAll();
        telemetry.stop();
        QStringList withoutValue;
        for (const AlertInstance& instance : alerts.instances()) {
            QVERIFY2(instance.status.state != AlertState::Error,
                     qPrintable(instance.key() + ": " + instance.status.error));
            if (!instance.status.value || std::isnan(*instance.status.value))
                withoutValue << instance.key();
        }
        QVERIFY2(withoutValue.isEmpty(), qPrintable(withoutValue.join(", ")));
        QSet<QString> rules;
        for (const AlertInstance& instance : alerts.instances())
            rules.insert(instance.ruleName);
        QCOMPARE(rules.size(), 10);
    }
};

QTEST_GUILESS_MAIN(TestAlertDrill)
#include "tst_alertdrill.moc"
