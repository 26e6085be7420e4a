#include "backend/logging/Logging.h"
#include "backend/metrics/ExpositionParser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>
#include <cmath>
#include <limits>
#include <spdlog/sinks/ringbuffer_sink.h>

using namespace querydeck;

namespace {

constexpr qint64 kNow = 1'763'800'000'000;
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

QByteArray readData(const QString& name)
{
    QFile file(QStringLiteral(QUERYDECK_TEST_DATA "/exposition/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

const Sample* find(const SourceResult& result, const QString& canonical)
{
    for (const Sample& sample : result.samples) {
        if (sample.key.toString() == canonical)
            return &sample;
    }
    return nullptr;
}

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

} // namespace

class TestExpositionParser : public QObject
{
    Q_OBJECT

private slots:
    void seriesKeyCanonical_data();
    void seriesKeyCanonical();
    void recordedFiles_data();
    void recordedFiles();
    void types();
    void singleLines_data();
    void singleLines();
    void instanceLabel();
    void emptyAndHostileInput();
    void malformedLoggedOnce();
    void throughput();
};

void TestExpositionParser::seriesKeyCanonical_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("labels"); // name, value, name, value...
    QTest::addColumn<QString>("expected");

    QTest::newRow("bare") << "up" << QStringList{} << "up";
    QTest::newRow("sorted") << "m" << QStringList{"b", "2", "a", "1"} << R"(m{a="1",b="2"})";
    QTest::newRow("escapes") << "m" << QStringList{"p", "a\\b\"c\nd"} << R"(m{p="a\\b\"c\nd"})";
    QTest::newRow("no name") << "" << QStringList{"route", "/x"} << R"({route="/x"})";
    QTest::newRow("nothing") << "" << QStringList{} << "{}";
}

void TestExpositionParser::seriesKeyCanonical()
{
    QFETCH(QString, name);
    QFETCH(QStringList, labels);
    QFETCH(QString, expected);
    QList<QPair<QString, QString>> pairs;
    for (qsizetype i = 0; i + 1 < labels.size(); i += 2)
        pairs.append({labels[i], labels[i + 1]});
    const SeriesKey key = SeriesKey::make(name, pairs);
    QCOMPARE(key.toString(), expected);
    for (qsizetype i = 0; i + 1 < labels.size(); i += 2)
        QCOMPARE(key.label(labels[i]), labels[i + 1]);
    QCOMPARE(key.label(QStringLiteral("absent")), QString());
}

void TestExpositionParser::recordedFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("malformed");
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("value");
    QTest::addColumn<qint64>("timestamp");

    QTest::newRow("node exporter cpu")
        << "node_exporter.prom" << 18 << 0 << R"(node_cpu_seconds_total{cpu="1",mode="user"})"
        << 5302.91 << kNow;
    QTest::newRow("node exporter exponent")
        << "node_exporter.prom" << 18 << 0
        << R"(node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"})"
        << 4.2949672e+10 << kNow;
    QTest::newRow("histogram bucket")
        << "histogram.prom" << 11 << 0
        << R"(querydeck_http_request_duration_seconds_bucket{le="+Inf",route="/v1/query"})" << 100.0
        << kNow;
    QTest::newRow("histogram sum")
        << "histogram.prom" << 11 << 0
        << R"(querydeck_http_request_duration_seconds_sum{route="/v1/query"})" << 3.217 << kNow;
    QTest::newRow("summary quantile")
        << "histogram.prom" << 11 << 0 << R"(rpc_duration_seconds{quantile="0.99"})" << 0.087
        << kNow;
    QTest::newRow("summary count")
        << "histogram.prom" << 11 << 0 << "rpc_duration_seconds_count" << 2693.0 << kNow;
    QTest::newRow("escaped values")
        << "escapes.prom" << 7 << 0
        << R"(msg_total{nl="line1\nline2",path="C:\\dir\\file",quote="say \"hi\""})" << 3.0 << kNow;
    QTest::newRow("empty label set") << "escapes.prom" << 7 << 0 << "empty_labels" << 7.0 << kNow;
    QTest::newRow("trailing comma")
        << "escapes.prom" << 7 << 0 << R"(trailing_comma{a="1",b="2"})" << 8.0 << kNow;
    QTest::newRow("spacing") << "escapes.prom" << 7 << 0 << R"(spaced_metric{a="x",b="y"})" << 9.0
                             << kNow;
    QTest::newRow("utf8") << "escapes.prom" << 7 << 0
                          << QString::fromUtf8(R"(unicode_label{city="Zürich"})") << 1.0 << kNow;
    QTest::newRow("colons") << "escapes.prom" << 7 << 0 << R"(colon:recorded:rule{job="api"})"
                            << 0.25 << kNow;
    QTest::newRow("crlf") << "escapes.prom" << 7 << 0 << "crlf_metric" << 5.0 << kNow;
    QTest::newRow("NaN") << "special_values.prom" << 7 << 0 << R"(special{v="nan"})" << kNaN
                         << kNow;
    QTest::newRow("+Inf") << "special_values.prom" << 7 << 0 << R"(special{v="pinf"})" << kInf
                          << kNow;
    QTest::newRow("-Inf") << "special_values.prom" << 7 << 0 << R"(special{v="ninf"})" << -kInf
                          << kNow;
    QTest::newRow("exponent") << "special_values.prom" << 7 << 0 << R"(special{v="exp"})" << -1.5e-3
                              << kNow;
    QTest::newRow("timestamp") << "special_values.prom" << 7 << 0 << R"(special{v="ts"})" << 3.5
                               << qint64(1700000000123);
    QTest::newRow("negative timestamp")
        << "special_values.prom" << 7 << 0 << R"(special{v="negts"})" << 1.0 << qint64(-5000);
    QTest::newRow("malformed: good before")
        << "malformed.prom" << 4 << 11 << R"(good_total{a="1"})" << 1.0 << kNow;
    QTest::newRow("malformed: good between")
        << "malformed.prom" << 4 << 11 << R"(good_total{a="3"})" << 3.0 << kNow;
    QTest::newRow("malformed: good after")
        << "malformed.prom" << 4 << 11 << R"(good_total{a="11"})" << 11.0 << kNow;
    QTest::newRow("service") << "querydeck_service.prom" << 10 << 0
                             << R"(querydeck_cache_lookups_total{result="miss"})" << 681.0 << kNow;
}

void TestExpositionParser::recordedFiles()
{
    QFETCH(QString, file);
    QFETCH(int, samples);
    QFETCH(int, malformed);
    QFETCH(QString, key);
    QFETCH(double, value);
    QFETCH(qint64, timestamp);

    const SourceResult result = ExpositionParser::parse(readData(file), kNow);
    QCOMPARE(result.malformedLines, malformed);
    QCOMPARE(int(result.samples.size()), samples);
    QCOMPARE(result.timestampMs, kNow);
    const Sample* sample = find(result, key);
    QVERIFY2(sample, qPrintable(QStringLiteral("no sample %1").arg(key)));
    QVERIFY2(
        sameValue(sample->value, value),
        qPrintable(QStringLiteral("%1 = %2, expected %3").arg(key).arg(sample->value).arg(value)));
    QCOMPARE(sample->timestampMs, timestamp);
}

void TestExpositionParser::types()
{
    const SourceResult result = ExpositionParser::parse(readData("histogram.prom"), kNow);
    QCOMPARE(result.types.value("querydeck_http_request_duration_seconds"), MetricType::Histogram);
    QCOMPARE(result.types.value("rpc_duration_seconds"), MetricType::Summary);
    QCOMPARE(result.types.size(), 2);

    const SourceResult node = ExpositionParser::parse(readData("node_exporter.prom"), kNow);
    QCOMPARE(node.types.value("node_cpu_seconds_total"), MetricType::Counter);
    QCOMPARE(node.types.value("node_load1"), MetricType::Gauge);

    // An unknown type is a malformed line and registers nothing.
    const SourceResult bad = ExpositionParser::parse(readData("malformed.prom"), kNow);
    QCOMPARE(bad.types.value("good_total"), MetricType::Counter);
}

void TestExpositionParser::singleLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("value");

    QTest::newRow("plain") << QByteArray("a 1") << true << "a" << 1.0;
    QTest::newRow("tab separated") << QByteArray("a\t2") << true << "a" << 2.0;
    QTest::newRow("Inf without sign") << QByteArray("a Inf") << true << "a" << kInf;
    QTest::newRow("empty value string") << QByteArray("a{l=\"\"} 1") << true << "a{l=\"\"}" << 1.0;
    QTest::newRow("brace in value")
        << QByteArray("a{l=\"}{,\"} 1") << true << "a{l=\"}{,\"}" << 1.0;
    QTest::newRow("no value") << QByteArray("a") << false << "" << 0.0;
    QTest::newRow("no value after labels") << QByteArray("a{b=\"c\"}") << false << "" << 0.0;
    QTest::newRow("double plus") << QByteArray("a ++1") << false << "" << 0.0;
    QTest::newRow("hex junk") << QByteArray("a 1x") << false << "" << 0.0;
    QTest::newRow("label without value") << QByteArray("a{b} 1") << false << "" << 0.0;
    QTest::newRow("label comma only") << QByteArray("a{,} 1") << false << "" << 0.0;
    QTest::newRow("trailing backslash") << QByteArray("a{b=\"x\\\"} 1") << false << "" << 0.0;
    QTest::newRow("nul byte") << QByteArray("a\0 1", 4) << false << "" << 0.0;
}

void TestExpositionParser::singleLines()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, ok);
    QFETCH(QString, key);
    QFETCH(double, value);

    const SourceResult result = ExpositionParser::parse(line, kNow);
    QCOMPARE(result.malformedLines, ok ? 0 : 1);
    QCOMPARE(int(result.samples.size()), ok ? 1 : 0);
    if (ok) {
        QCOMPARE(result.samples[0].key.toString(), key);
        QVERIFY(sameValue(result.samples[0].value, value));
    }
}

void TestExpositionParser::instanceLabel()
{
    const SourceResult result =
        ExpositionParser::parse(readData("querydeck_service.prom"), kNow, "127.0.0.1:8000");
    QVERIFY(find(result, R"(querydeck_cache_entries{instance="127.0.0.1:8000"})"));
    QVERIFY(find(
        result,
        R"(querydeck_http_requests_total{code="500",instance="127.0.0.1:8000",route="/v1/query"})"));
    // A sample that names its own instance keeps it.
    QVERIFY(find(result, R"(querydeck_ready{instance="replica-1"})"));
    for (const Sample& sample : result.samples)
        QVERIFY(!sample.key.label("instance").isEmpty());
}

void TestExpositionParser::emptyAndHostileInput()
{
    const SourceResult empty = ExpositionParser::parse(QByteArrayView(), kNow);
    QCOMPARE(empty.samples.size(), std::size_t(0));
    QCOMPARE(empty.malformedLines, 0);

    const SourceResult blanks = ExpositionParser::parse("\n\n   \n# just a comment\n#\n", kNow);
    QCOMPARE(blanks.samples.size(), std::size_t(0));
    QCOMPARE(blanks.malformedLines, 0);

    // No trailing newline on the last line.
    QCOMPARE(ExpositionParser::parse("a 1\nb 2", kNow).samples.size(), std::size_t(2));

    // Binary garbage: every line malformed, nothing crashes.
    QByteArray garbage;
    for (int i = 0; i < 4096; ++i)
        garbage.append(char((i * 7919) % 256));
    const SourceResult junk = ExpositionParser::parse(garbage, kNow);
    QVERIFY(junk.malformedLines > 0);

    // A very long label value survives intact.
    const QByteArray longValue(1 << 20, 'x');
    const SourceResult big = ExpositionParser::parse("big{v=\"" + longValue + "\"} 1\n", kNow);
    QCOMPARE(big.samples.size(), std::size_t(1));
    QCOMPARE(big.samples[0].key.label("v").size(), qsizetype(1 << 20));

    // Labels per sample are bounded: 256 pass, 257 (and 100,000, whose
    // duplicate check would be quadratic) are one malformed line.
    const auto withLabels = [](int count) {
        QByteArray line = "many{";
        for (int i = 0; i < count; ++i)
            line += (i ? ",l" : "l") + QByteArray::number(i) + "=\"v\"";
        return line + "} 1\n";
    };
    QCOMPARE(ExpositionParser::parse(withLabels(256), kNow).samples.size(), std::size_t(1));
    const SourceResult tooMany = ExpositionParser::parse(withLabels(257) + "ok 1\n", kNow);
    QCOMPARE(tooMany.malformedLines, 1);
    QCOMPARE(tooMany.samples.size(), std::size_t(1));
    const SourceResult hostile = ExpositionParser::parse(withLabels(100000), kNow);
    QCOMPARE(hostile.malformedLines, 1);
    QCOMPARE(hostile.samples.size(), std::size_t(0));

    // Oversized text is refused whole, naming the limit.
    QByteArray huge(ExpositionParser::kMaxTextBytes + 1, '\n');
    huge.replace(0, 4, "a 1\n");
    const SourceResult oversized = ExpositionParser::parse(huge, kNow);
    QCOMPARE(oversized.samples.size(), std::size_t(0));
    QVERIFY2(oversized.error.contains("the limit is 67108864 bytes"), qPrintable(oversized.error));
}

void TestExpositionParser::malformedLoggedOnce()
{
    const auto logger = log::get("telemetry");
    const auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(16);
    sink->set_pattern("%v");
    logger->sinks().push_back(sink);
    const auto previousLevel = logger->level();
    logger->set_level(spdlog::level::debug);

    const SourceResult result =
        ExpositionParser::parse(readData("malformed.prom"), kNow, "10.0.0.1:9100");
    ExpositionParser::parse(readData("node_exporter.prom"), kNow); // clean: logs nothing

    logger->sinks().pop_back();
    logger->set_level(previousLevel);
    const std::vector<std::string> lines = sink->last_formatted();
    QCOMPARE(int(lines.size()), 1);
    const QString line = QString::fromStdString(lines[0]);
    QVERIFY2(line.contains("11 malformed line(s)"), qPrintable(line));
    QVERIFY2(line.contains("first at line 4"), qPrintable(line));
    QVERIFY2(line.contains("expected ',' or '}' after a label"), qPrintable(line));
    QVERIFY2(line.contains("10.0.0.1:9100"), qPrintable(line));
    QCOMPARE(result.malformedLines, 11);
}

void TestExpositionParser::throughput()
{
    QByteArray text;
    const int series = 10000;
    text.append("# TYPE bench_requests_total counter\n");
    for (int i = 0; i < series; ++i)
        text.append(QStringLiteral(
                        "bench_requests_total{route=\"/r%1\",code=\"%2\",instance=\"h:%3\"} %4\n")
                        .arg(i % 100)
                        .arg(200 + i % 5)
                        .arg(i / 500)
                        .arg(i * 1.5)
                        .toUtf8());
    QElapsedTimer timer;
    timer.start();
    const SourceResult result = ExpositionParser::parse(text, kNow);
    const qint64 ns = std::max<qint64>(1, timer.nsecsElapsed());
    QCOMPARE(int(result.samples.size()), series);
    QCOMPARE(result.malformedLines, 0);
    qInfo("exposition parse: %.0f samples/s", series * 1e9 / double(ns));
}

QTEST_GUILESS_MAIN(TestExpositionParser)
#include "tst_expositionparser.moc"
