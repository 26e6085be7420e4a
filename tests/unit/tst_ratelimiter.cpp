#include "backend/service/RateLimiter.h"

#include <QRandomGenerator>
#include <QTest>
#include <atomic>
#include <cmath>
#include <memory>
#include <thread>
#include <vector>

using namespace querydeck;

namespace {

// A clock the test moves by hand; shared so the limiter sees every step.
struct FakeClock
{
    std::shared_ptr<std::atomic<qint64>> now = std::make_shared<std::atomic<qint64>>(1'000'000);
    Clock clock() const
    {
        return [now = now] { return now->load(); };
    }
    void advance(qint64 ms) { *now += ms; }
};

RateLimitConfig limits(double rate, double burst, int maxClients = 1000)
{
    RateLimitConfig config;
    config.ratePerSecond = rate;
    config.burst = burst;
    config.maxClients = maxClients;
    return config;
}

// Acquires until refused; returns how many were allowed and the refusal.
std::pair<int, RateDecision> drain(RateLimiter& limiter, const QString& client, int cap = 100000)
{
    for (int allowed = 0; allowed < cap; ++allowed) {
        const RateDecision decision = limiter.acquire(client);
        if (!decision.allowed)
            return {allowed, decision};
    }
    return {cap, RateDecision{}};
}

} // namespace

class TestRateLimiter : public QObject
{
    Q_OBJECT

private slots:
    void bucket_data();
    void bucket();
    void disabledAlwaysAllows();
    void clientsAreIndependent();
    void outOfRangeSettingsAreClamped();
    void clientsBoundedByMaxClients();
    void fullBucketsAreDroppedBeforeRecentOnes();
    void floodDoesNotEvictActiveThrottledClient();
    void clockSteppingBackDoesNotRefill();
    void concurrentAcquireNeverExceedsBudget();
};

void TestRateLimiter::bucket_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("burst");
    QTest::addColumn<int>("elapsedMs");
    QTest::addColumn<int>("initialAllowed");
    QTest::addColumn<double>("initialRetryAfter");
    QTest::addColumn<int>("laterAllowed");
    QTest::addColumn<double>("laterRetryAfter");

    // Expectations worked out by hand: after draining, tokens = burst - floor(burst);
    // after elapsed, min(burst, leftover + rate * elapsed); Retry-After = (1 - tokens) / rate.
    QTest::newRow("defaults, no time") << 20.0 << 40.0 << 0 << 40 << 0.05 << 0 << 0.05;
    QTest::newRow("defaults, half second") << 20.0 << 40.0 << 500 << 40 << 0.05 << 10 << 0.05;
    QTest::newRow("refill capped at burst") << 20.0 << 40.0 << 10000 << 40 << 0.05 << 40 << 0.05;
    QTest::newRow("half token per second") << 0.5 << 1.0 << 1000 << 1 << 2.0 << 0 << 1.0;
    QTest::newRow("half token, 4.5 s") << 0.5 << 3.0 << 4500 << 3 << 2.0 << 2 << 1.5;
    QTest::newRow("one third per second") << 1.0 / 3.0 << 1.0 << 1000 << 1 << 3.0 << 0 << 2.0;
    QTest::newRow("fractional burst") << 2.5 << 2.5 << 0 << 2 << 0.2 << 0 << 0.2;
    QTest::newRow("fractional burst refilled") << 2.5 << 2.5 << 1000 << 2 << 0.2 << 2 << 0.2;
    QTest::newRow("fast rate, 1 ms") << 1000.0 << 1.0 << 1 << 1 << 0.001 << 1 << 0.001;
    QTest::newRow("tenth of a second steps") << 10.0 << 1.0 << 100 << 1 << 0.1 << 1 << 0.1;
}

void TestRateLimiter::bucket()
{
    QFETCH(double, rate);
    QFETCH(double, burst);
    QFETCH(int, elapsedMs);
    QFETCH(int, initialAllowed);
    QFETCH(double, initialRetryAfter);
    QFETCH(int, laterAllowed);
    QFETCH(double, laterRetryAfter);

    FakeClock time;
    RateLimiter limiter(limits(rate, burst), time.clock());

    const auto [allowed, refusal] = drain(limiter, QStringLiteral("client"));
    QCOMPARE(allowed, initialAllowed);
    QVERIFY(!refusal.allowed);
    QVERIFY2(std::abs(refusal.retryAfterSeconds - initialRetryAfter) < 1e-6,
             qPrintable(QString::number(refusal.retryAfterSeconds)));

    time.advance(elapsedMs);
    const auto [later, laterRefusal] = drain(limiter, QStringLiteral("client"));
    QCOMPARE(later, laterAllowed);
    QVERIFY(!laterRefusal.allowed);
    QVERIFY2(std::abs(laterRefusal.retryAfterSeconds - laterRetryAfter) < 1e-6,
             qPrintable(QString::number(laterRefusal.retryAfterSeconds)));

    // Waiting exactly Retry-After is enough for one more request.
    time.advance(qint64(std::ceil(laterRefusal.retryAfterSeconds * 1000)));
    QVERIFY(limiter.acquire(QStringLiteral("client")).allowed);
}

void TestRateLimiter::disabledAlwaysAllows()
{
    FakeClock time;
    RateLimitConfig config = limits(1, 1, 10);
    config.enabled = false;
    RateLimiter limiter(config, time.clock());
    for (int i = 0; i < 1000; ++i) {
        const RateDecision decision = limiter.acquire(QStringLiteral("c%1").arg(i % 50));
        QVERIFY(decision.allowed);
        QCOMPARE(decision.retryAfterSeconds, 0.0);
    }
    QCOMPARE(limiter.trackedClients(), 0);
}

void TestRateLimiter::clientsAreIndependent()
{
    FakeClock time;
    RateLimiter limiter(limits(1, 3), time.clock());
    QCOMPARE(drain(limiter, QStringLiteral("a")).first, 3);
    QCOMPARE(drain(limiter, QStringLiteral("b")).first, 3);
    QCOMPARE(drain(limiter, QString()).first, 3); // an empty id is just another client
    QCOMPARE(limiter.trackedClients(), 3);
}

void TestRateLimiter::outOfRangeSettingsAreClamped()
{
    FakeClock time;
    RateLimiter limiter(limits(0, 0, 0), time.clock());
    QVERIFY(limiter.acquire(QStringLiteral("a")).allowed); // burst clamped to 1
    const RateDecision refused = limiter.acquire(QStringLiteral("a"));
    QVERIFY(!refused.allowed);
    QVERIFY(refused.retryAfterSeconds > 0);
    QVERIFY(std::isfinite(refused.retryAfterSeconds));
    limiter.acquire(QStringLiteral("b"));
    QCOMPARE(limiter.trackedClients(), 1); // maxClients clamped to 1
}

void TestRateLimiter::clientsBoundedByMaxClients()
{
    FakeClock time;
    const int maxClients = 3000; // several shards
    RateLimiter limiter(limits(20, 40, maxClients), time.clock());
    auto* random = QRandomGenerator::global();
    for (int i = 0; i < 50000; ++i) {
        limiter.acquire(QString::number(random->generate64(), 36));
        if (i % 1000 == 0) {
            time.advance(7);
            QVERIFY(limiter.trackedClients() <= maxClients);
        }
    }
    QCOMPARE(limiter.trackedClients(), maxClients);
}

void TestRateLimiter::fullBucketsAreDroppedBeforeRecentOnes()
{
    FakeClock time;
    RateLimiter limiter(limits(1, 10, 4), time.clock());
    for (const char* id : {"b", "c", "d"}) {
        for (int i = 0; i < 5; ++i)
            QVERIFY(limiter.acquire(QString::fromLatin1(id)).allowed);
    }
    time.advance(1000);
    QVERIFY(limiter.acquire(QStringLiteral("a")).allowed); // most recent, full again at +1 s
    time.advance(2000);
    QVERIFY(limiter.acquire(QStringLiteral("e")).allowed);
    QCOMPARE(limiter.trackedClients(), 4);

    // "b" is the least recently used but not full (5 + 3 = 8 tokens): it was
    // kept, so it has 8 tokens, not a fresh 10.
    QCOMPARE(drain(limiter, QStringLiteral("b")).first, 8);
}

void TestRateLimiter::floodDoesNotEvictActiveThrottledClient()
{
    FakeClock time;
    RateLimiter limiter(limits(1, 5, 100), time.clock());
    QCOMPARE(drain(limiter, QStringLiteral("hot")).first, 5);
    for (int i = 0; i < 2000; ++i) {
        limiter.acquire(QStringLiteral("flood-%1").arg(i));
        if (i % 10 == 0)
            QVERIFY(!limiter.acquire(QStringLiteral("hot")).allowed);
    }
    QVERIFY(limiter.trackedClients() <= 100);
    QVERIFY(!limiter.acquire(QStringLiteral("hot")).allowed);
}

void TestRateLimiter::clockSteppingBackDoesNotRefill()
{
    FakeClock time;
    RateLimiter limiter(limits(10, 2), time.clock());
    QCOMPARE(drain(limiter, QStringLiteral("a")).first, 2);
    time.advance(-500); // a peer thread read the clock a little earlier
    QVERIFY(!limiter.acquire(QStringLiteral("a")).allowed);
    time.advance(500); // back where the bucket was drained: still nothing earned
    QVERIFY(!limiter.acquire(QStringLiteral("a")).allowed);
    time.advance(100);
    QVERIFY(limiter.acquire(QStringLiteral("a")).allowed);
}

void TestRateLimiter::concurrentAcquireNeverExceedsBudget()
{
    FakeClock time;
    const double rate = 1000, burst = 50;
    RateLimiter limiter(limits(rate, burst), time.clock());
    const qint64 start = time.now->load();
    const qint64 durationMs = 200; // simulated
    std::atomic<long> allowed{0};
    std::atomic<bool> stop{false};

    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            long mine = 0;
            for (int i = 0; !stop.load(); ++i) {
                if (limiter.acquire(QStringLiteral("shared")).allowed)
                    ++mine;
                // Thread 0 moves time; every thread also hits other clients.
                if (t == 0 && i % 64 == 0) {
                    if (time.now->load() - start >= durationMs)
                        stop = true;
                    else
                        time.advance(1);
                }
                if (i % 8 == 0)
                    limiter.acquire(QStringLiteral("other-%1").arg(t));
            }
            allowed += mine;
        });
    }
    for (auto& thread : threads)
        thread.join();

    const double elapsedSeconds = double(time.now->load() - start) / 1000.0;
    const long budget = long(std::floor(burst + rate * elapsedSeconds + 1e-6));
    QVERIFY2(allowed.load() <= budget,
             qPrintable(QStringLiteral("%1 allowed > budget %2").arg(allowed.load()).arg(budget)));
    // Nothing was lost either: what the threads left is still in the bucket.
    const long leftover = drain(limiter, QStringLiteral("shared")).first;
    QVERIFY2(
        allowed.load() + leftover >= budget - 1,
        qPrintable(
            QStringLiteral("%1 + %2 < budget %3").arg(allowed.load()).arg(leftover).arg(budget)));
}

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
