// Backoff: the one doubling-with-a-cap wait every retrying part uses. Growth,
// the cap (and no overflow past it), reset, the equal-jitter range, and that
// a seeded random source gives the same sequence for the same seed and
// different sequences for different seeds.
#include "backend/common/Backoff.h"

#include <QTest>
#include <limits>
#include <vector>

using namespace querydeck;

namespace {

Backoff::Options plain(qint64 initialMs, qint64 maxMs)
{
    return {initialMs, maxMs, 2.0, Backoff::Jitter::None};
}

std::vector<qint64> sequence(Backoff backoff, int n)
{
    std::vector<qint64> waits;
    for (int i = 0; i < n; ++i)
        waits.push_back(backoff.next());
    return waits;
}

} // namespace

class TstBackoff : public QObject
{
    Q_OBJECT

private slots:
    void growsByTheFactor()
    {
        Backoff backoff(plain(100, 100000));
        QCOMPARE(backoff.failures(), 0);
        QCOMPARE(sequence(backoff, 5), (std::vector<qint64>{100, 200, 400, 800, 1600}));

        Backoff tripling({10, 100000, 3.0, Backoff::Jitter::None});
        QCOMPARE(sequence(tripling, 4), (std::vector<qint64>{10, 30, 90, 270}));
    }

    void stopsAtTheCap()
    {
        Backoff backoff(plain(100, 500));
        QCOMPARE(sequence(backoff, 6), (std::vector<qint64>{100, 200, 400, 500, 500, 500}));
        QCOMPARE(backoff.delayMs(64), qint64(500)); // no overflow past the cap
        QCOMPARE(backoff.delayMs(std::numeric_limits<int>::max()), qint64(500));
        QCOMPARE(backoff.delayMs(0), qint64(100)); // counts below 1 are the first retry
        QCOMPARE(backoff.delayMs(-3), qint64(100));
    }

    void resetStartsOver()
    {
        Backoff backoff(plain(100, 5000));
        backoff.next();
        backoff.next();
        QCOMPARE(backoff.failures(), 2);
        QCOMPARE(backoff.next(), qint64(400));
        backoff.reset();
        QCOMPARE(backoff.failures(), 0);
        QCOMPARE(backoff.next(), qint64(100));
        QCOMPARE(backoff.failures(), 1);
    }

    void jitterStaysInTheUpperHalf()
    {
        const Backoff backoff({1000, 60000}, Backoff::seededRandom(7));
        QCOMPARE(backoff.delayMs(1, 0.0), qint64(1000)); // the whole wait ...
        QCOMPARE(backoff.delayMs(1, 1.0), qint64(500));  // ... down to half of it
        QCOMPARE(backoff.delayMs(3, 0.5), qint64(3000));
        QCOMPARE(backoff.delayMs(10, 0.0), qint64(60000)); // capped before the jitter
        QCOMPARE(backoff.delayMs(10, 1.0), qint64(30000));
        for (int retry = 1; retry <= 10; ++retry) {
            const double base = backoff.baseMs(retry);
            for (int i = 0; i < 200; ++i) {
                const qint64 wait = backoff.delayMs(retry);
                QVERIFY2(wait >= qint64(base / 2) && wait <= qint64(base),
                         qPrintable(QStringLiteral("retry %1: %2 outside [%3, %4]")
                                        .arg(retry)
                                        .arg(wait)
                                        .arg(base / 2)
                                        .arg(base)));
            }
        }
    }

    void jitterSpreadsRetries()
    {
        // Two clients that failed at the same moment do not wait alike.
        const std::vector<qint64> a = sequence(Backoff({100, 5000}, Backoff::seededRandom(1)), 8);
        const std::vector<qint64> b = sequence(Backoff({100, 5000}, Backoff::seededRandom(2)), 8);
        QVERIFY(a != b);
        // And one client's waits are not all the unjittered ones.
        QVERIFY(a != sequence(Backoff(plain(100, 5000)), 8));
    }

    void fixedSeedIsDeterministic()
    {
        const std::vector<qint64> a = sequence(Backoff({100, 5000}, Backoff::seededRandom(42)), 8);
        const std::vector<qint64> b = sequence(Backoff({100, 5000}, Backoff::seededRandom(42)), 8);
        QCOMPARE(a, b);

        int calls = 0;
        Backoff injected({100, 5000}, [&calls] {
            ++calls;
            return 0.5;
        });
        QCOMPARE(sequence(injected, 3), (std::vector<qint64>{75, 150, 300}));
        QCOMPARE(calls, 3);
    }

    void noJitterNeverDrawsRandom()
    {
        int calls = 0;
        Backoff backoff(plain(100, 5000), [&calls] {
            ++calls;
            return 0.9;
        });
        QCOMPARE(sequence(backoff, 3), (std::vector<qint64>{100, 200, 400}));
        QCOMPARE(calls, 0);
    }
};

QTEST_GUILESS_MAIN(TstBackoff)
#include "tst_backoff.moc"
