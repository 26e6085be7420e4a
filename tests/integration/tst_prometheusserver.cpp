// A real `prometheus` (Debian package) on a free loopback port, scraping a
// real `querydeck serve` every second and evaluating the exported default
// rules: PrometheusSource reads the scraped series back with the right values
// (instant and range queries), reports the server's errors, sends the auth
// header from the secret store, and the exported rules load with health ok.
#include "RawHttp.h"
#include "ServeProcess.h"
#include "config/KeychainSecretStore.h"
#include "telemetry/AlertRuleJson.h"
#include "telemetry/PrometheusRuleExporter.h"
#include "telemetry/PrometheusSource.h"

#include <QDateTime>
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
using querydeck::test::RawHttp;
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
SourceResult pollOnce(PrometheusSource& source)
{
    QSignalSpy spy(&source, &MetricSource::finished);
    source.poll();
    if (spy.isEmpty() && !spy.wait(10000))
        return SourceResult{{}, 0, {}, {}, 0, QStringLiteral("no result within 10 s")};
    return spy.first().first().value<SourceResult>();
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
        QSignalSpy spy(&source, &PrometheusSource::rangeFinished);
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
        QCOMPARE(spy.first().at(2).toString(), QString());
        const auto series = spy.first().at(1).value<std::vector<EvaluatedSeries>>();
        QCOMPARE(series.size(), size_t(1));
        QCOMPARE(series[0].points.size(), size_t(4)); // from, +2 s, +4 s, +6 s
        for (size_t i = 0; i < series[0].points.size(); ++i) {
            QCOMPARE(series[0].points[i].t, from + qint64(i) * 2000);
            QCOMPARE(series[0].points[i].v, 1.0);
        }
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

QTEST_GUILESS_MAIN(TestPrometheusServer)
#include "tst_prometheusserver.moc"
