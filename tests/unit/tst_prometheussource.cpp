// PrometheusSource without a server: step sizing, the API's JSON (vector,
// matrix, scalar, errors, malformed), and the console.prometheus config.
// Replies a real Prometheus does not give (5xx, malformed or huge bodies)
// come from a fixture server: range errors name the server and the query;
// and which dashboard expressions the source answers with query_range.
#include "FixtureHttpServer.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/metrics/Expression.h"
#include "backend/sources/PrometheusConfig.h"
#include "backend/sources/PrometheusSource.h"

#include <QSignalSpy>
#include <QTest>
#include <cmath>

using namespace querydeck;

class TestPrometheusSource : public QObject
{
    Q_OBJECT

private slots:
    void step_data();
    void step();
    void parseVector();
    void parseMatrix();
    void parseScalarAndSpecialValues();
    void parseErrors_data();
    void parseErrors();
    void config();
    void configErrors_data();
    void configErrors();
    void consoleConfigCarriesIt();
    void rangeReplyErrors_data();
    void rangeReplyErrors();
    void rangeQueryFollowsWhatPollsReturned();
};

void TestPrometheusSource::step_data()
{
    QTest::addColumn<qint64>("rangeMs");
    QTest::addColumn<int>("width");
    QTest::addColumn<qint64>("step");
    QTest::newRow("1h over 600 px") << qint64(3600000) << 600 << qint64(6000);
    QTest::newRow("rounds up") << qint64(1000) << 3 << qint64(334);
    QTest::newRow("tiny range") << qint64(10) << 1000 << qint64(1);
    QTest::newRow("zero width is one pixel") << qint64(60000) << 0 << qint64(60000);
    // 30 days at 20,000 px would be 20,001 points: widened to 11,000.
    QTest::newRow("capped at 11000 points") << qint64(30LL * 86400000) << 20000 << qint64(235658);
    QTest::newRow("exactly at the cap") << qint64(10999000) << 20000 << qint64(1000);
}

void TestPrometheusSource::step()
{
    QFETCH(qint64, rangeMs);
    QFETCH(int, width);
    QFETCH(qint64, step);
    const qint64 got = PrometheusSource::stepFor(rangeMs, width);
    QCOMPARE(got, step);
    QVERIFY(rangeMs / got + 1 <= PrometheusSource::kMaxPointsPerSeries);
}

void TestPrometheusSource::parseVector()
{
    const auto parsed = PrometheusSource::parse(R"({"status":"success","data":{
        "resultType":"vector","result":[
          {"metric":{"__name__":"up","job":"service","instance":"127.0.0.1:8000"},
           "value":[1700000000.5,"1"]},
          {"metric":{"job":"x"},"value":[1700000001,"2.5"]}]}})");
    QCOMPARE(parsed.error, QString());
    QCOMPARE(parsed.samples.size(), size_t(2));
    QCOMPARE(parsed.samples[0].key.toString(),
             QStringLiteral(R"(up{instance="127.0.0.1:8000",job="service"})"));
    QCOMPARE(parsed.samples[0].value, 1.0);
    QCOMPARE(parsed.samples[0].timestampMs, qint64(1700000000500));
    QCOMPARE(parsed.samples[1].key.name, QString());
    QCOMPARE(parsed.samples[1].value, 2.5);
}

void TestPrometheusSource::parseMatrix()
{
    const auto parsed = PrometheusSource::parse(R"({"status":"success","data":{
        "resultType":"matrix","result":[
          {"metric":{"__name__":"up","job":"service"},
           "values":[[1700000000,"1"],[1700000002,"0"],[1700000004,"1"]]}]}})");
    QCOMPARE(parsed.error, QString());
    QCOMPARE(parsed.series.size(), size_t(1));
    QCOMPARE(parsed.series[0].legend, QStringLiteral(R"(up{job="service"})"));
    QCOMPARE(parsed.series[0].points.size(), size_t(3));
    QCOMPARE(parsed.series[0].points[1].t, qint64(1700000002000));
    QCOMPARE(parsed.series[0].points[1].v, 0.0);
    QCOMPARE(parsed.seriesKeys[0].label(QStringLiteral("job")), QStringLiteral("service"));
}

void TestPrometheusSource::parseScalarAndSpecialValues()
{
    auto parsed = PrometheusSource::parse(
        R"({"status":"success","data":{"resultType":"scalar","result":[1700000000,"42"]}})");
    QCOMPARE(parsed.samples.size(), size_t(1));
    QCOMPARE(parsed.samples[0].value, 42.0);
    parsed = PrometheusSource::parse(R"({"status":"success","data":{"resultType":"vector",
        "result":[{"metric":{"__name__":"a"},"value":[1,"NaN"]},
                  {"metric":{"__name__":"b"},"value":[1,"+Inf"]},
                  {"metric":{"__name__":"c"},"value":[1,"-Inf"]}]}})");
    QCOMPARE(parsed.error, QString());
    QVERIFY(std::isnan(parsed.samples[0].value));
    QVERIFY(std::isinf(parsed.samples[1].value) && parsed.samples[1].value > 0);
    QVERIFY(std::isinf(parsed.samples[2].value) && parsed.samples[2].value < 0);
}

void TestPrometheusSource::parseErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("prometheus error")
        << QByteArray(
               R"({"status":"error","errorType":"bad_data","error":"parse error at char 4"})")
        << "Prometheus error (bad_data): parse error at char 4";
    QTest::newRow("not json") << QByteArray("<html>502</html>")
                              << "malformed JSON at byte 1: illegal value";
    QTest::newRow("truncated") << QByteArray(R"({"status":"success","data":{)")
                               << "malformed JSON at byte";
    QTest::newRow("array") << QByteArray("[]") << "malformed JSON: expected an object";
    QTest::newRow("no status") << QByteArray("{}") << "malformed response: \"status\"";
    QTest::newRow("string result")
        << QByteArray(R"({"status":"success","data":{"resultType":"string","result":[1,"x"]}})")
        << "unsupported or malformed result type \"string\"";
    QTest::newRow("bad values")
        << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[
             {"metric":{},"value":[1,"abc"]},{"metric":{},"value":"x"}]}})")
        << "2 malformed values skipped";
    QTest::newRow("oversized") << QByteArray(PrometheusSource::kMaxBodyBytes + 1, ' ')
                               << "response larger than";
}

void TestPrometheusSource::parseErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    const auto parsed = PrometheusSource::parse(body);
    QVERIFY2(parsed.error.startsWith(error), qPrintable(parsed.error));
}

void TestPrometheusSource::config()
{
    const auto result = PrometheusConfigLoader::loadJson(R"j({"console": {"prometheus": {
        "url": "http://127.0.0.1:9090", "auth": {"env": "PROM_TOKEN"}, "interval_ms": 5000,
        "queries": [{"expr": "up"}, {"expr": "sum(rate(x[5m]))", "name": "fleet:x:rate5m"}]}}})j");
    QCOMPARE(result.errors, QStringList());
    QCOMPARE(result.warnings, QStringList());
    QVERIFY(result.value.enabled());
    QCOMPARE(result.value.url, QStringLiteral("http://127.0.0.1:9090"));
    QCOMPARE(result.value.auth.envVar, QStringLiteral("PROM_TOKEN"));
    QCOMPARE(result.value.intervalMs, 5000);
    QCOMPARE(result.value.queries.size(), size_t(2));
    QCOMPARE(result.value.queries[1].name, QStringLiteral("fleet:x:rate5m"));
    // No section: no source, no error.
    const auto none = PrometheusConfigLoader::loadJson(R"({"console": {}})");
    QCOMPARE(none.errors, QStringList());
    QVERIFY(!none.value.enabled());
}

void TestPrometheusSource::configErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("no url") << QByteArray(R"({"queries": [{"expr": "up"}]})")
                            << "console.prometheus.url: is required";
    QTest::newRow("bad url") << QByteArray(R"({"url": "ftp://x", "queries": [{"expr": "up"}]})")
                             << "console.prometheus.url:";
    QTest::newRow("password in url")
        << QByteArray(R"({"url": "http://u:secret@x:9090", "queries": [{"expr": "up"}]})")
        << "console.prometheus.url: must not contain a user name or password";
    QTest::newRow("plaintext auth")
        << QByteArray(R"({"url": "http://x:9090", "auth": "token", "queries": [{"expr": "up"}]})")
        << "console.prometheus.auth:";
    QTest::newRow("interval too short")
        << QByteArray(R"({"url": "http://x:9090", "interval_ms": 10, "queries": [{"expr": "up"}]})")
        << "console.prometheus.interval_ms:";
    QTest::newRow("no queries") << QByteArray(R"({"url": "http://x:9090"})")
                                << "console.prometheus.queries: needs at least one query";
    QTest::newRow("queries not an array")
        << QByteArray(R"({"url": "http://x:9090", "queries": "up"})")
        << "console.prometheus.queries: must be an array";
    QTest::newRow("empty expr") << QByteArray(
                                       R"({"url": "http://x:9090", "queries": [{"expr": " "}]})")
                                << "console.prometheus.queries[0].expr: must be a non-empty";
    QTest::newRow("bad name")
        << QByteArray(R"({"url": "http://x:9090", "queries": [{"expr": "up", "name": "a b"}]})")
        << "console.prometheus.queries[0].name: must be a metric name";
    QTest::newRow("query not an object")
        << QByteArray(R"({"url": "http://x:9090", "queries": ["up"]})")
        << "console.prometheus.queries[0]: must be an object";
}

void TestPrometheusSource::configErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto result =
        PrometheusConfigLoader::loadJson("{\"console\": {\"prometheus\": " + json + "}}");
    QVERIFY(!result.errors.isEmpty());
    QVERIFY2(result.errors.first().startsWith(error), qPrintable(result.errors.join('\n')));
    QVERIFY(!result.errors.join(' ').contains(QLatin1String("secret@")));
    QVERIFY(!result.value.enabled());
}

// The console's own loader reads the section too: no unknown-key warning,
// the same field-named errors.
void TestPrometheusSource::consoleConfigCarriesIt()
{
    auto loaded = ConsoleConfigLoader::loadJson(
        R"({"console": {"prometheus": {"url": "http://127.0.0.1:9090", "queries": [{"expr": "up"}]}}})");
    QCOMPARE(loaded.errors, QStringList());
    QCOMPARE(loaded.warnings, QStringList());
    QCOMPARE(loaded.value.prometheus.url, QStringLiteral("http://127.0.0.1:9090"));
    loaded = ConsoleConfigLoader::loadJson(R"({"console": {"prometheus": {"url": 5}}})");
    QVERIFY2(loaded.errors.join(' ').contains(QLatin1String("console.prometheus.url:")),
             qPrintable(loaded.errors.join('\n')));
    QVERIFY(!loaded.value.prometheus.enabled());
}

namespace {

PrometheusConfig fixtureConfig(const FixtureHttpServer& server,
                               std::vector<PrometheusConfig::Query> queries = {})
{
    PrometheusConfig config;
    config.url = server.url().toString();
    config.timeoutMs = 5000;
    config.queries = std::move(queries);
    return config;
}

RangeResult rangeOnce(PrometheusSource& source, const QString& expr)
{
    QSignalSpy spy(&source, &MetricSource::rangeFinished);
    source.queryRange(expr, 1'700'000'000'000, 1'700'000'060'000, 60);
    if (!spy.wait(20000))
        return RangeResult{{}, {}, QStringLiteral("no reply within 20 s")};
    return spy.first().at(1).value<RangeResult>();
}

} // namespace

void TestPrometheusSource::rangeReplyErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("503 prometheus json")
        << 503
        << QByteArray(R"({"status":"error","errorType":"unavailable","error":"too many queries"})")
        << "HTTP 503: Prometheus error (unavailable): too many queries";
    QTest::newRow("422 prometheus json")
        << 422
        << QByteArray(
               R"({"status":"error","errorType":"execution","error":"query timed out in expression evaluation"})")
        << "HTTP 422: Prometheus error (execution): query timed out";
    QTest::newRow("502 html") << 502 << QByteArray("<html>bad gateway</html>") << "HTTP 502";
    QTest::newRow("200 not json") << 200 << QByteArray("<html>ok?</html>")
                                  << "malformed JSON at byte 1";
    QTest::newRow("200 truncated")
        << 200 << QByteArray(R"({"status":"success","data":{"resultType":"matrix","result":[)")
        << "malformed JSON at byte";
    QTest::newRow("200 bad points")
        << 200
        << QByteArray(
               R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1700000000,"1"],[1700000015,"x"]]}]}})")
        << "1 malformed value skipped";
    QTest::newRow("200 huge") << 200 << QByteArray(PrometheusSource::kMaxBodyBytes + 1024, ' ')
                              << "response larger than 33554432 bytes";
}

void TestPrometheusSource::rangeReplyErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    FixtureHttpServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    server.enqueue("POST", "/api/v1/query_range",
                   FixtureResponse::text(status, body, "application/json"));
    PrometheusSource source(fixtureConfig(server), nullptr);
    const RangeResult result = rangeOnce(source, QStringLiteral("rate(x_total[5m])"));
    const QString prefix = QStringLiteral("prometheus %1: query_range \"rate(x_total[5m])\": ")
                               .arg(server.url().toString());
    QVERIFY2(result.error.startsWith(prefix + error), qPrintable(result.error));
    QCOMPARE(server.requestCount(), qsizetype(1));
    // The step for 60 s at 60 pixels: 1 s.
    QVERIFY(server.requests().first().body.contains("step=1.000"));
}

// Native names are answered with the expression as PromQL once a poll has
// returned them; a renamed query's name with that query's own expr (and
// the reply renamed); anything else is left to the console's store.
void TestPrometheusSource::rangeQueryFollowsWhatPollsReturned()
{
    FixtureHttpServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    server.setHandler("POST", "/api/v1/query", [](const FixtureRequest&) {
        return FixtureResponse::text(
            200,
            R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"x_total","job":"a"},"value":[1700000000,"5"]}]}})",
            "application/json");
    });
    PrometheusSource source(
        fixtureConfig(server, {{QStringLiteral("x_total"), QString()},
                               {QStringLiteral("sum(x_total)"), QStringLiteral("fleet_x")}}),
        nullptr);
    const Expression rate = Expression::parse(QStringLiteral("sum(rate(x_total[5m]))"));
    QCOMPARE(source.rangeQuery(rate), QString()); // nothing polled yet
    QSignalSpy polled(&source, &MetricSource::finished);
    source.poll();
    QVERIFY(polled.wait(10000));
    QCOMPARE(polled.first().first().value<SourceResult>().error, QString());

    QCOMPARE(source.rangeQuery(rate), QStringLiteral("sum(rate(x_total[5m]))"));
    QCOMPARE(source.rangeQuery(Expression::parse(QStringLiteral("fleet_x"))),
             QStringLiteral("sum(x_total)"));
    QCOMPARE(source.rangeQuery(Expression::parse(QStringLiteral("fleet_x{job=\"a\"}"))), QString());
    QCOMPARE(source.rangeQuery(Expression::parse(QStringLiteral("x_total / other_total"))),
             QString());
    QCOMPARE(source.rangeQuery(Expression::parse(QStringLiteral("1 + 2"))), QString());
    QCOMPARE(source.rangeQuery(Expression::parse(QStringLiteral("sum(x_total"))), QString());

    server.enqueue(
        "POST", "/api/v1/query_range",
        FixtureResponse::text(
            200,
            R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"5"],[1700000001,"6"]]}]}})",
            "application/json"));
    const RangeResult renamed = rangeOnce(source, QStringLiteral("sum(x_total)"));
    QCOMPARE(renamed.error, QString());
    QCOMPARE(renamed.keys.size(), size_t(1));
    QCOMPARE(renamed.keys[0].name, QStringLiteral("fleet_x"));
    QCOMPARE(renamed.series[0].points.size(), size_t(2));
    QCOMPARE(renamed.series[0].points[1].t, qint64(1700000001000));
    QCOMPARE(renamed.series[0].points[1].v, 6.0);
}

QTEST_GUILESS_MAIN(TestPrometheusSource)
#include "tst_prometheussource.moc"
