// A real `prometheus` (Debian package) on a free loopback port, scraping a
// real `querydeck serve` every second and evaluating the exported default
// rules: PrometheusSource reads the scraped series back with the right values
// (instant and range queries), reports the server's errors, sends the auth
// header from the secret store, and the exported rules load with health ok.
// A TelemetryEngine with the source fills a dashboard panel's range from
// before it started with query_range at a step from the panel's width (the
// dashboard rendered to a PNG), capped at Prometheus's 11,000 points.
#include "RawHttp.h"
#include "ServeProcess.h"
#include "Snapshot.h"
#include "SourcePoll.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/promrules/PrometheusRuleExporter.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/sources/PrometheusSource.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "ui/dashboards/DashboardView.h"
#include "ui/dashboards/PanelWidget.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;
using querydeck::test::pollOnce;
using querydeck::test::RawHttp;
using querydeck::test::sampleValue;
using querydeck::test::ServeProcess;

namespace {

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

PrometheusConfig configFor(quint16 port, std::vector<PrometheusConfig::Query> queries)
{
    PrometheusConfig config;
    config.url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    config.timeoutMs = 5000;
    config.queries = std::move(queries);
    return config;
}

// One poll, waited for (bounded).

PanelDefinition panelDefinition(const QString& id, const QString& title, const PanelTarget& target,
                                int span)
{
    PanelDefinition p;
    p.id = id;
    p.title = title;
    p.targets = {target};
    p.span = span;
    return p;
}

// GET over QNetworkAccessManager: the rules API answers chunked.
QByteArray httpGet(const QString& url)
{
    QNetworkAccessManager network;
    QNetworkReply* reply = network.get(QNetworkRequest(QUrl(url)));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !done.wait(10000))
        return {};
    reply->deleteLater();
    return reply->readAll();
}

const Sample* find(const SourceResult& result, const QString& name)
{
    for (const Sample& sample : result.samples) {
        if (sample.key.name == name)
            return &sample;
    }
    return nullptr;
}

} // namespace

class TestPrometheusServer : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    ServeProcess m_serve;
    QProcess m_prometheus;
    quint16 m_port = 0;

    QString instance() const { return QStringLiteral("127.0.0.1:%1").arg(m_serve.port()); }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<SourceResult>();
        const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        QVERIFY2(!prometheus.isEmpty(), "prometheus not found: install the Debian prometheus "
                                        "package (packaging/debian-packages.txt)");
        QVERIFY(m_dir.isValid());
        const QString serveError = m_serve.start();
        QVERIFY2(serveError.isEmpty(), qPrintable(serveError));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(RawHttp::get(m_serve.port(), "/health").status, 200);

        // The default rules, evaluated every second so their health is known at once.
        std::vector<AlertRule> rules = AlertRuleJson::defaults();
        for (AlertRule& rule : rules)
            rule.intervalMs = 1000;
        const auto exported = PrometheusRuleExporter::exportRules(rules);
        QCOMPARE(exported.refused, QStringList());
        QVERIFY(writeFile(m_dir.filePath("rules.yml"), exported.yaml));
        QVERIFY(
            writeFile(m_dir.filePath("prometheus.yml"), QStringLiteral("global:\n"
                                                                       "  scrape_interval: 1s\n"
                                                                       "  evaluation_interval: 1s\n"
                                                                       "rule_files:\n"
                                                                       "  - rules.yml\n"
                                                                       "scrape_configs:\n"
                                                                       "  - job_name: service\n"
                                                                       "    static_configs:\n"
                                                                       "      - targets: ['%1']\n")
                                                            .arg(instance())
                                                            .toUtf8()));
        m_port = ServeProcess::freePort();
        m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
        m_prometheus.setWorkingDirectory(m_dir.path());
        m_prometheus.start(prometheus,
                           {QStringLiteral("--config.file=") + m_dir.filePath("prometheus.yml"),
                            QStringLiteral("--storage.tsdb.path=") + m_dir.filePath("data"),
                            QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port)});
        QVERIFY2(m_prometheus.waitForStarted(10000), qPrintable(m_prometheus.errorString()));
        QTRY_VERIFY2_WITH_TIMEOUT(m_prometheus.state() == QProcess::Running &&
                                      RawHttp::get(m_port, "/-/ready").status == 200,
                                  m_prometheus.readAll().constData(), 30000);
    }

    void cleanupTestCase()
    {
        if (m_prometheus.state() != QProcess::NotRunning) {
            m_prometheus.terminate();
            if (!m_prometheus.waitForFinished(10000)) {
                m_prometheus.kill();
                m_prometheus.waitForFinished(5000);
            }
        }
        m_serve.terminate();
    }

    void instantQueriesReturnTheScrapedValues()
    {
        PrometheusSource source(
            configFor(
                m_port,
                {{QStringLiteral("up{job=\"service\"}"), QString()},
                 {QStringLiteral("querydeck_http_requests_total{route=\"/health\"}"), QString()},
                 {QStringLiteral("sum(querydeck_http_requests_total{route=\"/health\"})"),
                  QStringLiteral("health_requests_total")}}),
            nullptr);
        QCOMPARE(source.id(), QStringLiteral("prometheus:127.0.0.1:%1").arg(m_port));
        SourceResult result;
        // Until the first scrapes are in.
        QTRY_VERIFY_WITH_TIMEOUT((result = pollOnce(source),
                                  find(result, "up") && find(result, "health_requests_total")),
                                 30000);
        QCOMPARE(result.error, QString());
        QCOMPARE(result.sourceId, source.id());
        const Sample* up = find(result, QStringLiteral("up"));
        QCOMPARE(up->value, 1.0);
        QCOMPARE(up->key.label(QStringLiteral("instance")), instance());
        QCOMPARE(up->key.label(QStringLiteral("job")), QStringLiteral("service"));
        QVERIFY(qAbs(up->timestampMs - QDateTime::currentMSecsSinceEpoch()) < 60000);
        // Exactly the three GET /health of initTestCase.
        QCOMPARE(find(result, QStringLiteral("health_requests_total"))->value, 3.0);
        const Sample* raw = find(result, QStringLiteral("querydeck_http_requests_total"));
        QVERIFY(raw);
        QCOMPARE(raw->key.label(QStringLiteral("code")), QStringLiteral("200"));
        QCOMPARE(raw->key.label(QStringLiteral("route")), QStringLiteral("/health"));
        QCOMPARE(raw->value, 3.0);
    }

    void rangeQueryStepFollowsTheWidth()
    {
        PrometheusSource source(configFor(m_port, {}), nullptr);
        QSignalSpy spy(&source, &MetricSource::rangeFinished);
        // `up` exists since before this test started (the previous one saw it):
        // wait until a 6 s window lies wholly after that, then ask for it at 3
        // pixels: a 2 s step.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() - now > 8000, 12000);
        const qint64 to = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
        const qint64 from = to - 6000;
        const int id = source.queryRange(QStringLiteral("up{job=\"service\"}"), from, to, 3);
        QVERIFY(spy.wait(10000));
        QCOMPARE(spy.first().at(0).toInt(), id);
        const auto result = spy.first().at(1).value<RangeResult>();
        QCOMPARE(result.error, QString());
        const std::vector<EvaluatedSeries>& series = result.series;
        QCOMPARE(series.size(), size_t(1));
        QCOMPARE(series[0].points.size(), size_t(4)); // from, +2 s, +4 s, +6 s
        for (size_t i = 0; i < series[0].points.size(); ++i) {
            QCOMPARE(series[0].points[i].t, from + qint64(i) * 2000);
            QCOMPARE(series[0].points[i].v, 1.0);
        }
    }

    // 24 h at 100,000 pixels would be 100,001 points at 864 ms: Prometheus
    // refuses that; the source widens the step to stay within 11,000.
    void rangeQueryIsCappedAt11000Points()
    {
        const qint64 to = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
        const qint64 from = to - 24LL * 3600 * 1000;
        const QByteArray refused = httpGet(
            QStringLiteral(
                "http://127.0.0.1:%1/api/v1/query_range?query=up&start=%2&end=%3&step=0.864")
                .arg(m_port)
                .arg(from / 1000)
                .arg(to / 1000));
        QVERIFY2(refused.contains("exceeded maximum resolution of 11,000 points"),
                 refused.constData());

        // At a 7.856 s step `up` needs some 16 s of history for two points.
        PrometheusSource source(configFor(m_port, {}), nullptr);
        RangeResult result;
        qint64 asked = from;
        const auto twoPoints = [&] {
            QSignalSpy spy(&source, &MetricSource::rangeFinished);
            asked = QDateTime::currentMSecsSinceEpoch() - 24LL * 3600 * 1000;
            source.queryRange(QStringLiteral("up{job=\"service\"}"), asked,
                              asked + 24LL * 3600 * 1000, 100000);
            result = spy.wait(10000) ? spy.first().at(1).value<RangeResult>() : RangeResult{};
            return result.error.isEmpty() && result.series.size() == 1 &&
                   result.series[0].points.size() >= 2;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(twoPoints(), qPrintable(result.error), 40000);
        const std::vector<Point>& points = result.series[0].points;
        QVERIFY(points.size() <= size_t(PrometheusSource::kMaxPointsPerSeries));
        const qint64 step = PrometheusSource::stepFor(to - from, 100000);
        QCOMPARE(step, qint64(7856)); // ceil(86,400,000 / 10,999)
        for (size_t i = 1; i < points.size(); ++i)
            QCOMPARE((points[i].t - asked) % step, qint64(0));
    }

    // A console started now shows, for a range reaching back before its start,
    // what Prometheus scraped then: native series (written as PromQL) and a
    // renamed query's series (its own expr), at the step of the panel width.
    void panelsGetHistoryFromBeforeTheConsoleStarted()
    {
        PrometheusSource* source = new PrometheusSource(
            configFor(m_port,
                      {{QStringLiteral("querydeck_http_requests_total"), QString()},
                       {QStringLiteral("sum(querydeck_http_requests_total{route=\"/health\"})"),
                        QStringLiteral("health_requests_total")}}),
            nullptr);
        TelemetryEngine engine;
        engine.addSource(source, 1000);
        const int width = 120;
        const qint64 rangeMs = 2 * 60 * 1000;
        const qint64 step = PrometheusSource::stepFor(rangeMs, width);
        QCOMPARE(step, qint64(1000));

        DashboardDefinition dashboard;
        dashboard.uid = QStringLiteral("history");
        dashboard.title = QStringLiteral("History");
        const PanelDefinition raw = panelDefinition(
            QStringLiteral("raw"), QStringLiteral("GET /health (Prometheus history, then live)"),
            {QStringLiteral("querydeck_http_requests_total{route=\"/health\"}"),
             QStringLiteral("{{route}} {{code}}")},
            2);
        const PanelDefinition renamed = panelDefinition(
            QStringLiteral("renamed"), QStringLiteral("health_requests_total (renamed query)"),
            {QStringLiteral("health_requests_total"), QString()}, 2);
        const PanelDefinition all =
            panelDefinition(QStringLiteral("all"),
                            QStringLiteral("All requests by route (Prometheus scrapes /metrics)"),
                            {QStringLiteral("sum by (route) (querydeck_http_requests_total)"),
                             QStringLiteral("{{route}}")},
                            4);
        dashboard.rows.push_back({QStringLiteral("Prometheus"), false, {raw, renamed, all}});
        DashboardView view;
        view.resize(1000, 700);
        view.setDashboard(dashboard);
        connect(&engine, &TelemetryEngine::panelData, &view, &DashboardView::showPanelData);

        // Some scrapes in Prometheus before the console starts (this test may run alone).
        QTRY_VERIFY_WITH_TIMEOUT(
            httpGet(QStringLiteral("http://127.0.0.1:%1/api/v1/query?query=count_over_time(up%7B"
                                   "job%3D%22service%22%7D%5B1m%5D)%20%3E%3D%205")
                        .arg(m_port))
                .contains("\"result\":[{"),
            30000);
        QList<PanelQuery> queries = view.panelQueries();
        for (PanelQuery& query : queries)
            query.widthPixels = width;
        // The store keeps one point per second, so the console's first own
        // poll may sit at the start of the second it started in: only points
        // before that second are certainly history from Prometheus.
        const qint64 started = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
        engine.setRange(rangeMs, 0, 600);
        engine.setPanels(queries);
        engine.start();

        // Until both panels show points from before the engine started.
        QList<PanelData> last;
        const auto historyShown = [&] {
            int withHistory = 0;
            for (const PanelData& panel : std::as_const(last)) {
                for (const EvaluatedSeries& series : panel.series)
                    withHistory += !series.points.empty() && series.points.front().t < started &&
                                   panel.panelId != QLatin1String("all");
            }
            return withHistory == 2;
        };
        connect(&engine, &TelemetryEngine::panelData, this,
                [&](const QList<PanelData>& data) { last = data; });
        QTRY_VERIFY_WITH_TIMEOUT(historyShown(), 20000);
        for (const PanelData& panel : std::as_const(last)) {
            QCOMPARE(panel.error, QString());
            if (panel.panelId == QLatin1String("all")) {
                QVERIFY(!panel.series.empty());
                continue;
            }
            QCOMPARE(panel.series.size(), size_t(1));
            const EvaluatedSeries& series = panel.series.front();
            QCOMPARE(series.legend, panel.panelId == QLatin1String("raw")
                                        ? QStringLiteral("/health 200")
                                        : QStringLiteral("health_requests_total"));
            std::vector<Point> before;
            for (const Point& p : series.points) {
                if (p.t < started)
                    before.push_back(p);
            }
            QVERIFY2(before.size() >= 2, qPrintable(panel.panelId));
            for (size_t i = 0; i < before.size(); ++i) {
                QCOMPARE(before[i].v, 3.0); // the three GET /health of initTestCase
                if (i > 0) {
                    QVERIFY(before[i].t > before[i - 1].t);
                    QCOMPARE((before[i].t - before[0].t) % step, qint64(0));
                }
            }
            // History stops where the console's own polls take over: no instant twice.
            for (size_t i = 1; i < series.points.size(); ++i)
                QVERIFY(series.points[i].t > series.points[i - 1].t);
        }

        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.panel(QStringLiteral("raw"))->width() > 0);
        QVERIFY(querydeck::test::saveSnapshot(&view, QStringLiteral("prometheus-history.png")));
        engine.stop();
    }

    void serverErrorsAreNamed()
    {
        PrometheusSource bad(configFor(m_port, {{QStringLiteral("sum(up"), QString()}}), nullptr);
        SourceResult result = pollOnce(bad);
        QVERIFY2(result.error.contains(QLatin1String("query 0 (sum(up): HTTP 400: Prometheus "
                                                     "error (bad_data):")),
                 qPrintable(result.error));

        PrometheusSource refused(configFor(ServeProcess::freePort(), {{"up", {}}}), nullptr);
        result = pollOnce(refused);
        QVERIFY2(result.error.contains(QLatin1String("connection refused")),
                 qPrintable(result.error));

        // A path prefix the server does not have: 404 with no Prometheus body.
        PrometheusConfig config = configFor(m_port, {{"up", {}}});
        config.url += QStringLiteral("/no/such/prefix");
        PrometheusSource wrongPrefix(config, nullptr);
        result = pollOnce(wrongPrefix);
        QVERIFY2(result.error.contains(QLatin1String("HTTP 404")), qPrintable(result.error));

        // A range query's error names the server and the query.
        QSignalSpy spy(&bad, &MetricSource::rangeFinished);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        bad.queryRange(QStringLiteral("sum(up"), now - 60000, now, 100);
        QVERIFY(spy.wait(10000));
        const QString error = spy.first().at(1).value<RangeResult>().error;
        QVERIFY2(error.startsWith(QStringLiteral("prometheus http://127.0.0.1:%1: query_range "
                                                 "\"sum(up\": HTTP 400: Prometheus error "
                                                 "(bad_data):")
                                      .arg(m_port)),
                 qPrintable(error));
    }

    // A server that accepts and never answers: the poll ends with a timeout,
    // and the Authorization header it received came from the secret store.
    void timeoutAndAuthHeader()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QByteArray received;
        QList<QTcpSocket*> sockets;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket* socket = silent.nextPendingConnection()) {
                sockets << socket;
                connect(socket, &QTcpSocket::readyRead, this,
                        [&received, socket] { received += socket->readAll(); });
            }
        });
        qputenv("QUERYDECK_TEST_PROM_TOKEN", "s3cret-token");
        PrometheusConfig config = configFor(silent.serverPort(), {{"up", {}}});
        config.timeoutMs = 300;
        config.auth.envVar = QStringLiteral("QUERYDECK_TEST_PROM_TOKEN");
        PrometheusSource source(config, std::make_shared<KeychainSecretStore>());
        const SourceResult result = pollOnce(source);
        QVERIFY2(result.error.contains(QLatin1String("timeout after 300 ms")),
                 qPrintable(result.error));
        QVERIFY2(received.contains("Authorization: Bearer s3cret-token\r\n"), received.constData());
        QVERIFY(received.startsWith("POST /api/v1/query HTTP/1.1"));
        QVERIFY(received.contains("query=up"));
        QVERIFY(!result.error.contains(QLatin1String("s3cret")));

        // An unset secret: a clear error naming the variable, and no request.
        qunsetenv("QUERYDECK_TEST_PROM_TOKEN");
        received.clear();
        const SourceResult unset = pollOnce(source);
        QVERIFY2(unset.error.contains(QLatin1String("auth:")) &&
                     unset.error.contains(QLatin1String("QUERYDECK_TEST_PROM_TOKEN")),
                 qPrintable(unset.error));
        qDeleteAll(sockets);
    }

    void exportedRulesLoadWithHealthOk()
    {
        QJsonArray loaded;
        const auto allHealthy = [&] {
            const QJsonObject root =
                QJsonDocument::fromJson(
                    httpGet(QStringLiteral("http://127.0.0.1:%1/api/v1/rules").arg(m_port)))
                    .object();
            loaded = QJsonArray();
            for (const QJsonValue& group :
                 root.value("data").toObject().value("groups").toArray()) {
                for (const QJsonValue& rule : group.toObject().value("rules").toArray())
                    loaded.append(rule);
            }
            if (loaded.size() != 10)
                return false;
            for (const QJsonValue& rule : loaded) {
                if (rule.toObject().value("health").toString() != QLatin1String("ok"))
                    return false;
            }
            return true;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(allHealthy(), QJsonDocument(loaded).toJson().constData(), 30000);
        QStringList names;
        for (const QJsonValue& rule : loaded) {
            QCOMPARE(rule.toObject().value("type").toString(), QStringLiteral("alerting"));
            names << rule.toObject().value("name").toString();
        }
        QStringList expected;
        for (const AlertRule& rule : AlertRuleJson::defaults())
            expected << rule.name;
        names.sort();
        expected.sort();
        QCOMPARE(names, expected);
    }
};

QTEST_MAIN(TestPrometheusServer)
#include "tst_prometheusserver.moc"
