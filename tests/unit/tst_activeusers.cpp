#include "backend/service/ActiveUsers.h"

#include <QTest>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace querydeck;
using namespace std::chrono_literals;

namespace {

struct FakeClock
{
    std::shared_ptr<std::atomic<qint64>> now = std::make_shared<std::atomic<qint64>>(5'000'000);
    Clock clock() const
    {
        return [now = now] { return now->load(); };
    }
    void advance(std::chrono::milliseconds step) { *now += step.count(); }
};

} // namespace

class TestActiveUsers : public QObject
{
    Q_OBJECT

private slots:
    void windowSlides_data();
    void windowSlides();
    void touchRenewsClient();
    void emptyIdIsIgnored();
    void boundedByMaxTracked();
    void saturationEndsWhenEvictedClientsWouldHaveExpired();
    void clockSteppingBackKeepsCounting();
    void concurrentTouches();
};

void TestActiveUsers::windowSlides_data()
{
    QTest::addColumn<int>("windowMs");
    QTest::addColumn<QList<int>>("touchAtMs"); // one distinct client per entry
    QTest::addColumn<int>("countAtMs");
    QTest::addColumn<int>("expected");

    QTest::newRow("none") << 300000 << QList<int>{} << 0 << 0;
    QTest::newRow("all inside") << 300000 << QList<int>{0, 1000, 299000} << 299999 << 3;
    QTest::newRow("oldest just expired") << 300000 << QList<int>{0, 1000, 2000} << 300000 << 2;
    QTest::newRow("all expired") << 300000 << QList<int>{0, 1000, 2000} << 302000 << 0;
    QTest::newRow("short window") << 100 << QList<int>{0, 50, 99, 150} << 199 << 1;
}

void TestActiveUsers::windowSlides()
{
    QFETCH(int, windowMs);
    QFETCH(QList<int>, touchAtMs);
    QFETCH(int, countAtMs);
    QFETCH(int, expected);

    FakeClock time;
    const qint64 start = time.now->load();
    ActiveUsers users(std::chrono::milliseconds(windowMs), 1000, time.clock());
    for (int i = 0; i < touchAtMs.size(); ++i) {
        *time.now = start + touchAtMs[i];
        users.touch(QStringLiteral("client-%1").arg(i));
    }
    *time.now = start + countAtMs;
    QCOMPARE(users.count(), expected);
    QVERIFY(!users.isSaturated());
}

void TestActiveUsers::touchRenewsClient()
{
    FakeClock time;
    ActiveUsers users(5min, 1000, time.clock());
    users.touch(QStringLiteral("a"));
    users.touch(QStringLiteral("b"));
    time.advance(4min);
    users.touch(QStringLiteral("a"));
    users.touch(QStringLiteral("a"));
    QCOMPARE(users.count(), 2);
    time.advance(2min); // b last seen 6 min ago, a 2 min ago
    QCOMPARE(users.count(), 1);
    time.advance(3min);
    QCOMPARE(users.count(), 0);
}

void TestActiveUsers::emptyIdIsIgnored()
{
    FakeClock time;
    ActiveUsers users(5min, 10, time.clock());
    users.touch(QString());
    users.touch(QStringLiteral(""));
    QCOMPARE(users.count(), 0);
}

void TestActiveUsers::boundedByMaxTracked()
{
    FakeClock time;
    ActiveUsers users(5min, 100, time.clock());
    for (int i = 0; i < 10000; ++i) {
        users.touch(QStringLiteral("flood-%1").arg(i));
        if (i % 100 == 0)
            time.advance(1ms);
    }
    QCOMPARE(users.count(), 100); // a floor of the 10000 real ones
    QVERIFY(users.isSaturated());

    // The most recently seen clients are the ones kept.
    users.touch(QStringLiteral("flood-9999"));
    QCOMPARE(users.count(), 100);
}

void TestActiveUsers::saturationEndsWhenEvictedClientsWouldHaveExpired()
{
    FakeClock time;
    ActiveUsers users(1min, 2, time.clock());
    users.touch(QStringLiteral("a"));
    time.advance(10s);
    users.touch(QStringLiteral("b"));
    users.touch(QStringLiteral("c")); // evicts a, still inside the window
    QVERIFY(users.isSaturated());
    QCOMPARE(users.count(), 2);
    time.advance(49s); // a would have expired at +60 s
    QVERIFY(users.isSaturated());
    time.advance(1s);
    QVERIFY(!users.isSaturated());
    QCOMPARE(users.count(), 2);
    time.advance(10s);
    QCOMPARE(users.count(), 0);
}

void TestActiveUsers::clockSteppingBackKeepsCounting()
{
    FakeClock time;
    ActiveUsers users(1min, 100, time.clock());
    users.touch(QStringLiteral("a"));
    time.advance(-30s);
    users.touch(QStringLiteral("b"));
    QCOMPARE(users.count(), 2);
    time.advance(30s + 1min); // one window after the latest time seen
    QCOMPARE(users.count(), 0);
}

void TestActiveUsers::concurrentTouches()
{
    FakeClock time;
    ActiveUsers users(5min, 100000, time.clock());
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5000; ++i) {
                users.touch(QStringLiteral("c%1").arg((t * 5000 + i) % 3000));
                if (i % 500 == 0)
                    (void)users.count();
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    QCOMPARE(users.count(), 3000);
}

QTEST_GUILESS_MAIN(TestActiveUsers)
#include "tst_activeusers.moc"
