#include "ManualClock.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/StaleMarker.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QTest>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

using namespace querydeck;

namespace {

// A synthetic time base: well after the epoch, aligned to a minute.
constexpr qint64 kT0 = 1'700'000'040'000;

SeriesKey key(const QString& name, const QString& instance = QStringLiteral("a"))
{
    return SeriesKey::make(name, {{QStringLiteral("instance"), instance}});
}

// Small rings so wrap-around happens in a few hundred appends:
// fine 1 s for 10 s, coarse 10 s averages for 60 s.
StoreOptions smallOptions()
{
    StoreOptions options;
    options.fineResolutionMs = 1000;
    options.fineRetentionMs = 10'000;
    options.coarseResolutionMs = 10'000;
    options.coarseRetentionMs = 60'000;
    options.maxSeries = 100;
    return options;
}

QString timesOf(const std::vector<Point>& points)
{
    QStringList out;
    for (const Point& p : points)
        out.append(QString::number((p.t - kT0) / 1000));
    return out.join(u',');
}

} // namespace

class TestTimeSeriesStore : public QObject
{
    Q_OBJECT

private slots:
    void appendBucketsAndReplaces();
    void outOfOrderIgnored();
    void retentionAndWrap();
    void coarseAveraging();
    void windowSelection_data();
    void windowSelection();
    void index();
    void maxSeriesBound();
    void memoryBounded();
    void downsample_data();
    void downsample();
    void downsampleEdges();
    void concurrentAppendAndRead();
    void staleMarkerEndsInstantValues();
    void appendPollMarksMissingSeries();
    void markStaleInTheSameSecond();
    void staleMarkersStayOutOfCoarseAverages();
};

void TestTimeSeriesStore::appendBucketsAndReplaces()
{
    TimeSeriesStore store(smallOptions());
    const SeriesKey k = key("m");
    store.append(k, kT0 + 250, 1.0);
    store.append(k, kT0 + 900, 2.0); // same second: replaces
    store.append(k, kT0 + 1999, 3.0);
    const auto points = store.window(k.toString(), kT0, kT0 + 5000);
    QCOMPARE(points.size(), std::size_t(2));
    QCOMPARE(points[0].t, kT0);
    QCOMPARE(points[0].v, 2.0);
    QCOMPARE(points[1].t, kT0 + 1000);
    QCOMPARE(points[1].v, 3.0);
    QVERIFY(store.window(k.toString(), kT0 + 5000, kT0).empty());
    QVERIFY(store.window("absent", kT0, kT0 + 5000).empty());
}

void TestTimeSeriesStore::outOfOrderIgnored()
{
    TimeSeriesStore store(smallOptions());
    const SeriesKey k = key("m");
    store.append(k, kT0 + 5000, 5.0);
    store.append(k, kT0 + 2000, 2.0);
    const auto points = store.window(k.toString(), kT0, kT0 + 9000);
    QCOMPARE(points.size(), std::size_t(1));
    QCOMPARE(points[0].v, 5.0);
}

void TestTimeSeriesStore::retentionAndWrap()
{
    TimeSeriesStore store(smallOptions());
    const SeriesKey k = key("m");
    for (int i = 0; i < 95; ++i) // wraps the 10-point fine ring many times
        store.append(k, kT0 + i * 1000, i);
    // The fine ring holds exactly the last 10 s.
    const auto fine = store.window(k.toString(), kT0 + 85'000, kT0 + 200'000);
    QCOMPARE(timesOf(fine), QStringLiteral("85,86,87,88,89,90,91,92,93,94"));
    QCOMPARE(fine.back().v, 94.0);
    // Coarse keeps 60 s of 10 s buckets (40..80 done, 90 filling); 80 overlaps
    // the fine data so the window leaves it out.
    const auto all = store.window(k.toString(), kT0, kT0 + 200'000);
    QCOMPARE(timesOf(all), QStringLiteral("40,50,60,70,85,86,87,88,89,90,91,92,93,94"));
    // With a gap longer than the retention everything old is dropped.
    store.append(k, kT0 + 1'000'000, 7.0);
    const auto afterGap = store.window(k.toString(), kT0, kT0 + 2'000'000);
    QCOMPARE(afterGap.size(), std::size_t(1));
    QCOMPARE(afterGap[0].v, 7.0);
}

void TestTimeSeriesStore::coarseAveraging()
{
    TimeSeriesStore store(smallOptions());
    const SeriesKey k = key("m");
    for (int i = 0; i < 20; ++i)
        store.append(k, kT0 + i * 1000, i);
    store.append(k, kT0 + 19'500, 100.0); // replaces 19 within the second
    for (int i = 20; i < 40; ++i)
        store.append(k, kT0 + i * 1000, i);
    const auto all = store.window(k.toString(), kT0 - 1, kT0 + 40'000);
    QVERIFY(all.size() >= 2);
    QCOMPARE(all[0].t, kT0);
    QCOMPARE(all[0].v, 4.5); // mean of 0..9
    QCOMPARE(all[1].t, kT0 + 10'000);
    QCOMPARE(all[1].v, (10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 100) / 10.0);
}

void TestTimeSeriesStore::windowSelection_data()
{
    QTest::addColumn<qint64>("from");
    QTest::addColumn<qint64>("to");
    QTest::addColumn<QString>("times");

    // Data at 0..59 s; fine holds 50..59, coarse holds buckets 0..40.
    QTest::newRow("fine covers from") << qint64(52'000) << qint64(55'000) << "52,53,54,55";
    QTest::newRow("fine exactly at start") << qint64(50'000) << qint64(51'000) << "50,51";
    QTest::newRow("older: coarse then fine")
        << qint64(15'000) << qint64(60'000) << "20,30,40,50,51,52,53,54,55,56,57,58,59";
    QTest::newRow("only coarse part") << qint64(0) << qint64(25'000) << "0,10,20";
    QTest::newRow("future") << qint64(70'000) << qint64(80'000) << "";
}

void TestTimeSeriesStore::windowSelection()
{
    QFETCH(qint64, from);
    QFETCH(qint64, to);
    QFETCH(QString, times);
    TimeSeriesStore store(smallOptions());
    const SeriesKey k = key("m");
    for (int i = 0; i < 60; ++i)
        store.append(k, kT0 + i * 1000, i);
    QCOMPARE(timesOf(store.window(k.toString(), kT0 + from, kT0 + to)), times);
}

void TestTimeSeriesStore::index()
{
    TimeSeriesStore store(smallOptions());
    store.append(key("b", "x"), kT0, 1);
    store.append(key("a", "x"), kT0, 1);
    store.append(key("a", "y"), kT0, 1);
    QCOMPARE(store.metricNames(), (QStringList{"a", "b"}));
    QCOMPARE(store.seriesOf("a"), (QStringList{R"(a{instance="x"})", R"(a{instance="y"})"}));
    const auto keys = store.keysOf("a");
    QCOMPARE(keys.size(), std::size_t(2));
    QCOMPARE(keys[1].label("instance"), QStringLiteral("y"));
    QVERIFY(store.seriesOf("c").isEmpty());
    QCOMPARE(store.seriesCount(), std::size_t(3));
}

void TestTimeSeriesStore::maxSeriesBound()
{
    StoreOptions options = smallOptions();
    options.maxSeries = 5;
    TimeSeriesStore store(options);
    for (int i = 0; i < 8; ++i)
        store.append(key("m", QString::number(i)), kT0, i);
    store.append(key("m", "7"), kT0 + 1000, 1); // same dropped key: counted once
    store.append(key("m", "0"), kT0 + 1000, 1); // existing series still accepted
    QCOMPARE(store.seriesCount(), std::size_t(5));
    QCOMPARE(store.droppedSeries(), std::size_t(3));
    QCOMPARE(store.window(key("m", "0").toString(), kT0, kT0 + 1000).size(), std::size_t(2));
    QVERIFY(store.window(key("m", "7").toString(), kT0, kT0 + 1000).empty());
}

void TestTimeSeriesStore::memoryBounded()
{
    TimeSeriesStore store(smallOptions());
    const SeriesKey k = key("m");
    const std::size_t empty = store.memoryBytes();
    for (int i = 0; i < 200; ++i)
        store.append(k, kT0 + i * 1000, i);
    const std::size_t full = store.memoryBytes();
    QVERIFY(full > empty);
    for (int i = 200; i < 5000; ++i)
        store.append(k, kT0 + i * 1000, i);
    QCOMPARE(store.memoryBytes(), full);
}

void TestTimeSeriesStore::downsample_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("maxPoints");
    QTest::addColumn<int>("spikeAt");

    QTest::newRow("3600 to 600") << 3600 << 600 << 1234;
    QTest::newRow("3600 to 601 (odd)") << 3600 << 601 << 7;
    QTest::newRow("1000 to 3") << 1000 << 3 << 999;
    QTest::newRow("10 to 4") << 10 << 4 << 0;
    QTest::newRow("fits") << 100 << 100 << 50;
    QTest::newRow("21600 to 300") << 21600 << 300 << 20000;
}

void TestTimeSeriesStore::downsample()
{
    QFETCH(int, count);
    QFETCH(int, maxPoints);
    QFETCH(int, spikeAt);
    std::vector<Point> points;
    for (int i = 0; i < count; ++i)
        points.push_back({kT0 + i * 1000, 50 + 10 * std::sin(i / 30.0)});
    points[std::size_t(spikeAt)].v = 1000;       // a one-sample spike
    points[std::size_t(count / 2 + 1)].v = -500; // and a dip
    const auto out = TimeSeriesStore::downsample(points, maxPoints);
    QVERIFY2(out.size() <= std::size_t(maxPoints), qPrintable(QString::number(out.size())));
    QVERIFY(out.size() >= std::size_t(maxPoints) - 2);
    bool spike = false;
    bool dip = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        spike = spike || out[i].v == 1000;
        dip = dip || out[i].v == -500;
        if (i > 0)
            QVERIFY(out[i].t > out[i - 1].t);
    }
    QVERIFY(spike);
    QVERIFY(dip);
}

void TestTimeSeriesStore::downsampleEdges()
{
    const std::vector<Point> points{{1, 1}, {2, 5}, {3, 2}};
    QVERIFY(TimeSeriesStore::downsample(points, 0).empty());
    QVERIFY(TimeSeriesStore::downsample(points, -3).empty());
    QVERIFY(TimeSeriesStore::downsample({}, 10).empty());
    QCOMPARE(TimeSeriesStore::downsample(points, 1).size(), std::size_t(1));
    const auto two = TimeSeriesStore::downsample(points, 2);
    QCOMPARE(two.size(), std::size_t(2));
    QCOMPARE(two[0].v, 1.0);
    QCOMPARE(two[1].v, 5.0);
    // NaN does not hide the extremes.
    const std::vector<Point> withNaN{{1, std::nan("")}, {2, 3}, {3, 9}, {4, std::nan("")}};
    const auto out = TimeSeriesStore::downsample(withNaN, 2);
    QCOMPARE(out.size(), std::size_t(2));
    QCOMPARE(out[0].v, 3.0);
    QCOMPARE(out[1].v, 9.0);
}

void TestTimeSeriesStore::concurrentAppendAndRead()
{
    StoreOptions options;
    options.fineRetentionMs = 600'000; // 600 points fine
    TimeSeriesStore store(options);
    constexpr int kAppends = 10000;
    std::atomic<bool> done{false};
    std::atomic<int> badReads{0};
    std::atomic<long> reads{0};

    const auto writer = [&](const QString& instance) {
        const SeriesKey k = key("load", instance);
        for (int i = 0; i < kAppends; ++i)
            store.append(k, kT0 + qint64(i) * 1000, i);
    };
    const auto reader = [&](const QString& instance) {
        const QString canonical = key("load", instance).toString();
        while (!done.load()) {
            const auto points = store.window(canonical, kT0, kT0 + qint64(kAppends) * 1000);
            for (std::size_t i = 1; i < points.size(); ++i) {
                if (points[i].t <= points[i - 1].t)
                    ++badReads;
            }
            store.seriesOf("load");
            store.memoryBytes();
            ++reads;
            // glibc's rwlock prefers readers; two spinning readers on a
            // loaded 2-core box would starve the writers for seconds.
            std::this_thread::yield();
        }
    };
    std::thread r1(reader, QStringLiteral("w1"));
    std::thread r2(reader, QStringLiteral("w2"));
    std::thread w1(writer, QStringLiteral("w1"));
    std::thread w2(writer, QStringLiteral("w2"));
    w1.join();
    w2.join();
    done = true;
    r1.join();
    r2.join();

    QCOMPARE(badReads.load(), 0);
    QVERIFY(reads.load() > 0);
    QCOMPARE(store.seriesCount(), std::size_t(2));
    const auto recent =
        store.window(key("load", "w2").toString(), kT0 + qint64(kAppends - 600) * 1000,
                     kT0 + qint64(kAppends) * 1000);
    QCOMPARE(recent.size(), std::size_t(600));
    QCOMPARE(recent.back().v, double(kAppends - 1));
}

// Staleness markers, on a ManualClock's time line: an instant selector
// returns nothing from the marker on (instead of the last value for the
// 5-minute look-back) and the value again when the series comes back;
// range functions skip markers, as Prometheus's range vectors do.
void TestTimeSeriesStore::staleMarkerEndsInstantValues()
{
    ManualClock clock(kT0);
    TimeSeriesStore store;
    const SeriesKey a = key("m", "a");
    const SeriesKey b = key("m", "b");
    for (int i = 0; i < 10; ++i) {
        store.append(a, clock.now(), double(i));
        store.append(b, clock.now(), 100.0);
        clock.advance(1000);
    }
    const Expression sum = Expression::parse(QStringLiteral("sum(m)"));
    const Expression rate = Expression::parse(QStringLiteral("rate(m{instance=\"a\"}[1m])"));
    QCOMPARE(sum.instant(store, clock.now()).front().second, 109.0);
    store.append(b, clock.now(), staleMarker()); // b's target went away
    QCOMPARE(sum.instant(store, clock.now()).front().second, 9.0);
    clock.advance(60'000); // well inside the look-back: b still does not count
    QCOMPARE(sum.instant(store, clock.now() - 59'000).front().second, 9.0);
    // Before the marker, b is still there (history is not rewritten).
    QCOMPARE(sum.instant(store, kT0 + 9000).front().second, 109.0);

    store.append(a, clock.now(), staleMarker());
    QVERIFY(sum.instant(store, clock.now()).empty());
    // rate() over the window ignores the marker: a's samples still count.
    const auto r = rate.instant(store, kT0 + 30'000);
    QCOMPARE(r.size(), std::size_t(1));
    QVERIFY(std::isfinite(r.front().second) && r.front().second > 0);

    clock.advance(1000);
    store.append(b, clock.now(), 50.0); // b is back
    const auto back = sum.instant(store, clock.now());
    QCOMPARE(back.size(), std::size_t(1));
    QCOMPARE(back.front().second, 50.0);
    // A NaN the target exports is a value, not a marker.
    QVERIFY(!isStaleMarker(std::numeric_limits<double>::quiet_NaN()));
}

void TestTimeSeriesStore::appendPollMarksMissingSeries()
{
    ManualClock clock(kT0);
    TimeSeriesStore store;
    const auto poll = [&](const QStringList& instances) {
        std::vector<Sample> samples;
        for (const QString& instance : instances)
            samples.push_back({key("m", instance), 1.0, clock.now()});
        return samples;
    };
    QSet<QString> previous;
    store.appendPoll(poll({"a", "b", "c"}), clock.now(), previous);
    QCOMPARE(previous.size(), 3);
    clock.advance(1000);
    store.appendPoll(poll({"a", "c"}), clock.now(), previous);
    const Expression count = Expression::parse(QStringLiteral("count(m)"));
    QCOMPARE(count.instant(store, clock.now()).front().second, 2.0);
    const auto windowB = store.window(key("m", "b").toString(), kT0, clock.now());
    QCOMPARE(windowB.size(), std::size_t(2));
    QVERIFY(isStaleMarker(windowB.back().v));
    QCOMPARE(windowB.back().t, clock.now());

    // A failed poll is an empty one: everything ends, nothing is created.
    clock.advance(1000);
    store.appendPoll({}, clock.now(), previous);
    QVERIFY(previous.isEmpty());
    QVERIFY(count.instant(store, clock.now()).empty());
    QCOMPARE(store.seriesCount(), std::size_t(3));

    // Markers for series that never existed create nothing.
    store.markStale({key("m", "never").toString()}, clock.now());
    QCOMPARE(store.seriesCount(), std::size_t(3));
}

void TestTimeSeriesStore::markStaleInTheSameSecond()
{
    ManualClock clock(kT0);
    TimeSeriesStore store;
    const SeriesKey k = key("m");
    store.append(k, clock.now(), 1.0);
    clock.advance(1000);
    store.append(k, clock.now() + 100, 2.0);
    // Removed 400 ms after its last poll: the marker takes that second.
    store.markStale({k.toString()}, clock.now() + 500);
    auto points = store.window(k.toString(), kT0, clock.now() + 1000);
    QCOMPARE(points.size(), std::size_t(2));
    QCOMPARE(points.front().v, 1.0);
    QVERIFY(isStaleMarker(points.back().v));
    // A marker stamped before the last sample (another clock) still ends it.
    clock.advance(1000);
    store.append(k, clock.now(), 3.0);
    store.markStale({k.toString()}, clock.now() - 5000);
    QVERIFY(Expression::parse(QStringLiteral("m")).instant(store, clock.now()).empty());
    // A second marker adds nothing.
    store.markStale({k.toString()}, clock.now() + 2000);
    QCOMPARE(store.window(k.toString(), kT0, clock.now() + 5000).size(), std::size_t(3));
    // Back in the same second as the marker: the value replaces it.
    store.append(k, clock.now() + 300, 4.0);
    points = store.window(k.toString(), kT0, clock.now() + 5000);
    QCOMPARE(points.back().v, 4.0);
}

void TestTimeSeriesStore::staleMarkersStayOutOfCoarseAverages()
{
    ManualClock clock(kT0);
    TimeSeriesStore store(smallOptions());
    const SeriesKey k = key("m");
    // 0..9 s: values 10 and a marker at 5 s (the series ends, then is back); 10 s on: 20.
    for (int i = 0; i < 30; ++i) {
        if (i == 5)
            store.markStale({k.toString()}, clock.now());
        else
            store.append(k, clock.now(), i < 10 ? 10.0 : 20.0);
        clock.advance(1000);
    }
    // The fine ring (10 s) has moved on: the first 10 s come from the coarse
    // ring, an average of values only.
    const auto points = store.window(k.toString(), kT0, kT0 + 9999);
    QVERIFY(!points.empty());
    QCOMPARE(points.front().t, kT0);
    QCOMPARE(points.front().v, 10.0);
    for (const Point& p : store.window(k.toString(), kT0, clock.now()))
        QVERIFY(!std::isnan(p.v) || isStaleMarker(p.v));
}

QTEST_GUILESS_MAIN(TestTimeSeriesStore)
#include "tst_timeseriesstore.moc"
