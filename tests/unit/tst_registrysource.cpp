// RegistrySource against a real prometheus-cpp registry holding one metric of
// each type: the samples must be exactly what the text exposition of the
// same registry would give.
#include "ManualClock.h"
#include "backend/metrics/ExpositionParser.h"
#include "backend/sources/RegistrySource.h"

#include <QSignalSpy>
#include <QTest>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>
#include <prometheus/text_serializer.h>

using namespace querydeck;

namespace {

SourceResult pollOnce(RegistrySource& source)
{
    QSignalSpy spy(&source, &MetricSource::finished);
    source.poll();
    if (spy.size() != 1)
        return SourceResult{{}, 0, {},
                            {}, 0, QStringLiteral("finished() emitted %1 times").arg(spy.size())};
    return spy.first().first().value<SourceResult>();
}

QMap<QString, double> byKey(const std::vector<Sample>& samples)
{
    QMap<QString, double> map;
    for (const Sample& sample : samples)
        map.insert(sample.key.toString(), sample.value);
    return map;
}

} // namespace

class RegistrySourceTest : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<prometheus::Registry> m_registry;
    prometheus::Gauge* m_gauge = nullptr;

private slots:
    void initTestCase()
    {
        qRegisterMetaType<SourceResult>();
        m_registry = std::make_shared<prometheus::Registry>();
        prometheus::BuildCounter()
            .Name("qd_requests_total")
            .Help("requests")
            .Register(*m_registry)
            .Add({{"route", "/v1/query"}, {"code", "200"}})
            .Increment(3);
        m_gauge = &prometheus::BuildGauge()
                       .Name("qd_queue_depth")
                       .Help("depth")
                       .Register(*m_registry)
                       .Add({{"instance", "overridden"}});
        m_gauge->Set(7);
        auto& histogram = prometheus::BuildHistogram()
                              .Name("qd_latency_seconds")
                              .Help("latency")
                              .Register(*m_registry)
                              .Add({}, prometheus::Histogram::BucketBoundaries{0.1, 0.5, 2.5});
        for (double v : {0.05, 0.2, 0.3, 1.0, 10.0})
            histogram.Observe(v);
        auto& summary = prometheus::BuildSummary()
                            .Name("qd_size_bytes")
                            .Help("size")
                            .Register(*m_registry)
                            .Add({}, prometheus::Summary::Quantiles{{0.5, 0.0}});
        // One repeated value: the CKMS estimate of any quantile is then exact.
        for (int i = 0; i < 3; ++i)
            summary.Observe(20.0);
    }

    void exactSamples()
    {
        ManualClock clock;
        RegistrySource source(m_registry);
        source.setClock(clock.clock());
        const SourceResult result = pollOnce(source);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.sourceId, QStringLiteral("service"));
        QCOMPARE(result.timestampMs, clock.now());

        const QMap<QString, double> expected{
            {R"(qd_requests_total{code="200",instance="local",route="/v1/query"})", 3},
            {R"(qd_queue_depth{instance="local"})", 7},
            {R"(qd_latency_seconds_bucket{instance="local",le="0.1"})", 1},
            {R"(qd_latency_seconds_bucket{instance="local",le="0.5"})", 3},
            {R"(qd_latency_seconds_bucket{instance="local",le="2.5"})", 4},
            {R"(qd_latency_seconds_bucket{instance="local",le="+Inf"})", 5},
            {R"(qd_latency_seconds_sum{instance="local"})", 11.55},
            {R"(qd_latency_seconds_count{instance="local"})", 5},
            {R"(qd_size_bytes{instance="local",quantile="0.5"})", 20},
            {R"(qd_size_bytes_sum{instance="local"})", 60},
            {R"(qd_size_bytes_count{instance="local"})", 3},
        };
        const QMap<QString, double> actual = byKey(result.samples);
        QCOMPARE(actual.keys(), expected.keys());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QVERIFY2(
                qFuzzyCompare(actual.value(it.key()), it.value()),
                qPrintable(QStringLiteral("%1 = %2").arg(it.key()).arg(actual.value(it.key()))));
        for (const Sample& sample : result.samples)
            QCOMPARE(sample.timestampMs, clock.now());

        QCOMPARE(result.types.value("qd_requests_total"), MetricType::Counter);
        QCOMPARE(result.types.value("qd_queue_depth"), MetricType::Gauge);
        QCOMPARE(result.types.value("qd_latency_seconds"), MetricType::Histogram);
        QCOMPARE(result.types.value("qd_size_bytes"), MetricType::Summary);
    }

    void sameKeysAsTheTextExposition()
    {
        // A scrape of the same registry (ExpositionParser over TextSerializer)
        // must land on the same series, so dashboards work for both sources.
        RegistrySource source(m_registry, QStringLiteral("replica-a"));
        const SourceResult inProcess = pollOnce(source);
        const std::string text = prometheus::TextSerializer().Serialize(m_registry->Collect());
        SourceResult scraped = ExpositionParser::parse(QByteArrayView(text.data(), text.size()), 0,
                                                       QStringLiteral("replica-a"));
        QCOMPARE(scraped.malformedLines, 0);
        // The scrape keeps the gauge's own instance label; in process it is replaced.
        QMap<QString, double> fromText = byKey(scraped.samples);
        fromText.remove(R"(qd_queue_depth{instance="overridden"})");
        QMap<QString, double> fromRegistry = byKey(inProcess.samples);
        fromRegistry.remove(R"(qd_queue_depth{instance="replica-a"})");
        QCOMPARE(fromRegistry.keys(), fromText.keys());
    }

    void beforeCollectRunsFirst()
    {
        int calls = 0;
        RegistrySource source(m_registry, QStringLiteral("local"), [&] {
            ++calls;
            m_gauge->Set(42);
        });
        const QMap<QString, double> values = byKey(pollOnce(source).samples);
        QCOMPARE(calls, 1);
        QCOMPARE(values.value(R"(qd_queue_depth{instance="local"})"), 42.0);
    }

    void noRegistryIsAnError()
    {
        RegistrySource source(nullptr);
        const SourceResult result = pollOnce(source);
        QVERIFY(result.samples.empty());
        QVERIFY(result.error.contains(QLatin1String("no registry")));
    }
};

QTEST_GUILESS_MAIN(RegistrySourceTest)
#include "tst_registrysource.moc"
