#include "ManualClock.h"
#include "backend/retrieval/LatencyGenerator.h"
#include "backend/retrieval/LatencySampler.h"

#include <QtTest>
#include <atomic>
#include <cmath>
#include <thread>

using namespace querydeck;
using namespace std::chrono_literals;

namespace {

LatencyConfig latency(const QString& distribution, double mean, double spread)
{
    LatencyConfig config;
    config.enabled = true;
    config.distribution = distribution;
    config.meanMs = mean;
    config.spreadMs = spread;
    return config;
}

// Answers at once and remembers the timeout it was given.
class RecordingGenerator final : public Generator
{
public:
    QString name() const override { return QStringLiteral("extractive"); }
    GenerationResult generate(const GenerationRequest& request) override
    {
        lastTimeoutMs = request.timeout.count();
        ++calls;
        return {QStringLiteral("answer to ") + request.query, {}, QStringLiteral("extractive")};
    }
    std::atomic<qint64> lastTimeoutMs{-1};
    std::atomic<int> calls{0};
};

// Stands in for the generator's sleep: records each wait and moves a manual
// clock by it, so what the wait "took" is exactly what was asked.
struct FakeSleep
{
    ManualClock clock;
    std::shared_ptr<QList<qint64>> waits = std::make_shared<QList<qint64>>();

    void install(LatencyGenerator& generator)
    {
        generator.setSleep(
            [clock = clock, waits = waits](std::chrono::milliseconds ms) mutable {
                waits->append(ms.count());
                clock.advance(ms.count());
            },
            clock.clock());
    }
};

} // namespace

class TestLatencyGenerator : public QObject
{
    Q_OBJECT

private slots:
    void distributionsHaveConfiguredMoments_data()
    {
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("spread");
        QTest::addColumn<double>("expectedSd");
        QTest::newRow("fixed") << "fixed" << 120.0 << 50.0 << 0.0;
        QTest::newRow("uniform") << "uniform" << 200.0 << 100.0 << 100.0 / std::sqrt(3.0);
        QTest::newRow("lognormal") << "lognormal" << 300.0 << 150.0 << 150.0;
        QTest::newRow("lognormal heavy tail") << "lognormal" << 100.0 << 300.0 << 300.0;
        QTest::newRow("unknown is fixed") << "gaussian" << 80.0 << 40.0 << 0.0;
    }
    void distributionsHaveConfiguredMoments()
    {
        QFETCH(QString, distribution);
        QFETCH(double, mean);
        QFETCH(double, spread);
        QFETCH(double, expectedSd);
        LatencySampler sampler(latency(distribution, mean, spread), 12345);
        constexpr int kDraws = 200000;
        double sum = 0, squares = 0, minimum = 1e300;
        for (int i = 0; i < kDraws; ++i) {
            const double x = sampler.sampleMs();
            sum += x;
            squares += x * x;
            minimum = std::min(minimum, x);
        }
        const double measuredMean = sum / kDraws;
        const double measuredSd =
            std::sqrt(std::max(0.0, squares / kDraws - measuredMean * measuredMean));
        QVERIFY(minimum >= 0.0);
        // Heavy tails converge slowly; 3% of the mean and 10% of the sd are
        // many standard errors wide at 200k draws yet catch a wrong formula.
        QVERIFY2(std::abs(measuredMean - mean) <= 0.03 * mean,
                 qPrintable(QString("mean %1, wanted %2").arg(measuredMean).arg(mean)));
        QVERIFY2(std::abs(measuredSd - expectedSd) <= 0.10 * expectedSd + 1e-9,
                 qPrintable(QString("sd %1, wanted %2").arg(measuredSd).arg(expectedSd)));
    }

    void uniformIsBoundedAndClampedAtZero()
    {
        LatencySampler sampler(latency("uniform", 10.0, 30.0), 7);
        int zeros = 0;
        for (int i = 0; i < 10000; ++i) {
            const double x = sampler.sampleMs();
            QVERIFY(x >= 0.0 && x <= 40.0);
            zeros += x == 0.0;
        }
        // P(draw < 0) = 20/60: about a third are clamped.
        QVERIFY2(zeros > 3000 && zeros < 3700, qPrintable(QString::number(zeros)));
    }

    void sameSeedSameSequence()
    {
        LatencySampler a(latency("lognormal", 50, 20), 99);
        LatencySampler b(latency("lognormal", 50, 20), 99);
        LatencySampler c(latency("lognormal", 50, 20), 100);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            const double x = a.sampleMs();
            QCOMPARE(b.sampleMs(), x);
            differs |= c.sampleMs() != x;
        }
        QVERIFY(differs);
    }

    void degenerateConfigs_data()
    {
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("spread");
        QTest::addColumn<double>("expected");
        QTest::newRow("negative mean") << "fixed" << -5.0 << 0.0 << 0.0;
        QTest::newRow("lognormal zero sd") << "lognormal" << 40.0 << 0.0 << 40.0;
        QTest::newRow("lognormal zero mean") << "lognormal" << 0.0 << 10.0 << 0.0;
        QTest::newRow("uniform zero spread") << "uniform" << 25.0 << 0.0 << 25.0;
    }
    void degenerateConfigs()
    {
        QFETCH(QString, distribution);
        QFETCH(double, mean);
        QFETCH(double, spread);
        QFETCH(double, expected);
        LatencySampler sampler(latency(distribution, mean, spread), 1);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(sampler.sampleMs(), expected);
    }

    void validateNamesTheField_data()
    {
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("spread");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ok") << "lognormal" << 10.0 << 5.0 << QString();
        QTest::newRow("bad kind") << "normal" << 10.0 << 5.0 << "latency.distribution: 'normal'";
        QTest::newRow("empty kind") << "" << 10.0 << 5.0 << "latency.distribution";
        QTest::newRow("negative mean") << "fixed" << -1.0 << 0.0 << "latency.meanMs";
        QTest::newRow("nan mean") << "fixed" << std::nan("") << 0.0 << "latency.meanMs";
        QTest::newRow("negative spread") << "uniform" << 1.0 << -2.0 << "latency.spreadMs";
        QTest::newRow("infinite spread") << "uniform" << 1.0 << HUGE_VAL << "latency.spreadMs";
    }
    void validateNamesTheField()
    {
        QFETCH(QString, distribution);
        QFETCH(double, mean);
        QFETCH(double, spread);
        QFETCH(QString, expected);
        const QString error = LatencySampler::validate(latency(distribution, mean, spread));
        if (expected.isEmpty())
            QVERIFY2(error.isEmpty(), qPrintable(error));
        else
            QVERIFY2(error.startsWith(expected), qPrintable(error));
    }

    void samplerIsThreadSafe()
    {
        LatencySampler sampler(latency("uniform", 100, 50), 3);
        std::atomic<int> outOfRange{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 20000; ++i) {
                    const double x = sampler.sampleMs();
                    if (x < 50.0 || x > 150.0)
                        ++outOfRange;
                }
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(outOfRange.load(), 0);
    }

    void wrapsAndLabelsTheInnerGenerator()
    {
        auto inner = std::make_shared<RecordingGenerator>();
        LatencyGenerator generator(inner, latency("fixed", 60, 0), 1);
        FakeSleep sleep;
        sleep.install(generator);
        QCOMPARE(generator.name(), QString("extractive+latency"));
        GenerationRequest request;
        request.query = "q";
        request.timeout = 5000ms;
        const GenerationResult result = generator.generate(request);
        QVERIFY(result.ok());
        QCOMPARE(result.answer, QString("answer to q"));
        QCOMPARE(result.model, QString("extractive+latency"));
        // The 60 ms were spent first, then the inner generator got what was
        // left of the caller's timeout, by the generator's own clock.
        QCOMPARE(*sleep.waits, QList<qint64>{60});
        QCOMPARE(inner->lastTimeoutMs.load(), 5000 - 60);
    }

    void addedLatencyIsCappedAtTimeout()
    {
        auto inner = std::make_shared<RecordingGenerator>();
        LatencyGenerator generator(inner, latency("fixed", 60000, 0), 1);
        FakeSleep sleep;
        sleep.install(generator);
        GenerationRequest request;
        request.timeout = 80ms;
        // Uncapped, the wait would be a minute; capped, it is the 80 ms timeout.
        generator.generate(request);
        QCOMPARE(*sleep.waits, QList<qint64>{80});
        QCOMPARE(inner->calls.load(), 1);
        QCOMPARE(inner->lastTimeoutMs.load(), 0);
    }

    void disabledAddsNothing()
    {
        auto inner = std::make_shared<RecordingGenerator>();
        LatencyConfig config = latency("fixed", 60000, 0);
        config.enabled = false;
        LatencyGenerator generator(inner, config, 1);
        FakeSleep sleep;
        sleep.install(generator);
        GenerationRequest request;
        request.timeout = 5000ms;
        QVERIFY(generator.generate(request).ok());
        QVERIFY(sleep.waits->isEmpty());
        // The whole 5000 ms reached the inner generator: no time went to a wait
        // (the generator passes on what is left after it).
        QCOMPARE(inner->lastTimeoutMs.load(), 5000);
    }
};

QTEST_GUILESS_MAIN(TestLatencyGenerator)
#include "tst_latencygenerator.moc"
