#include "backend/retrieval/VectorIndex.h"

#include <QElapsedTimer>
#include <QTest>
#include <cmath>
#include <random>

using namespace querydeck;

namespace {

constexpr int kDim = 384;

std::vector<float> normalised(std::vector<float> v)
{
    double norm = 0;
    for (float x : v)
        norm += double(x) * x;
    const auto inv = float(1.0 / std::sqrt(norm));
    for (float& x : v)
        x *= inv;
    return v;
}

std::vector<float> randomUnit(std::mt19937& rng, int dim = kDim)
{
    std::normal_distribution<float> gauss;
    std::vector<float> v(dim);
    for (float& x : v)
        x = gauss(rng);
    return normalised(std::move(v));
}

std::vector<float> noisyCopy(const std::vector<float>& v, std::mt19937& rng, float noise)
{
    std::normal_distribution<float> gauss(0.0f, noise);
    std::vector<float> out(v);
    for (float& x : out)
        x += gauss(rng);
    return normalised(std::move(out));
}

} // namespace

class TestVectorIndex : public QObject
{
    Q_OBJECT

private slots:
    void recallAgainstExact();
    void smallIndexIsExact();
    void removeAndContains();
    void replaceExistingLabel();
    void compactionKeepsLivePoints();
    void clearEmpties();
    void wrongDimension();
    void invalidArguments();
    void quantizedSimilaritiesAndRecall();
};

void TestVectorIndex::recallAgainstExact()
{
    constexpr int kPoints = 20000;
    constexpr int kQueries = 300;
    std::mt19937 rng(42);
    // A lighter build than the service default (efConstruction 200) keeps the
    // test within seconds on a shared 2-core machine; search uses the default ef.
    IndexOptions options;
    options.efConstruction = 64;
    VectorIndex index(kDim, options);
    std::vector<std::vector<float>> points;
    points.reserve(kPoints);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kPoints; ++i) {
        points.push_back(randomUnit(rng));
        index.add(std::uint64_t(i), points.back());
    }
    const double buildSeconds = timer.nsecsElapsed() / 1e9;
    QCOMPARE(index.size(), std::size_t(kPoints));

    // Noise of 0.03 per component moves a query to cosine ~0.85 of its
    // source; random points sit near 0, so the source is the true nearest.
    int agree = 0;
    int foundSource = 0;
    qint64 searchNs = 0;
    for (int q = 0; q < kQueries; ++q) {
        const int source = int(rng() % kPoints);
        const auto query = noisyCopy(points[source], rng, 0.03f);
        timer.restart();
        const auto approx = index.search(query, 1);
        searchNs += timer.nsecsElapsed();
        const auto exact = index.searchExact(query, 1);
        QCOMPARE(approx.size(), std::size_t(1));
        QCOMPARE(exact.size(), std::size_t(1));
        agree += approx[0].label == exact[0].label ? 1 : 0;
        foundSource += exact[0].label == std::uint64_t(source) ? 1 : 0;
    }
    const double recall = double(agree) / kQueries;
    qInfo("HNSW 20k x %d-d (M 16, efConstruction 64, efSearch 64): build %.2f s, recall@1 %.3f vs "
          "exact, mean search %.1f us, %.1f MB",
          kDim, buildSeconds, recall, searchNs / 1e3 / kQueries, index.memoryBytes() / 1e6);
    QCOMPARE(foundSource, kQueries); // the queries are well posed
    QVERIFY2(recall >= 0.95, qPrintable(QString::number(recall)));
}

void TestVectorIndex::smallIndexIsExact()
{
    std::mt19937 rng(7);
    VectorIndex index(16);
    for (int i = 0; i < 50; ++i)
        index.add(std::uint64_t(i), randomUnit(rng, 16));
    const auto query = randomUnit(rng, 16);
    const auto a = index.search(query, 5);
    const auto b = index.searchExact(query, 5);
    QCOMPARE(a.size(), std::size_t(5));
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].label, b[i].label);
        if (i > 0)
            QVERIFY(a[i - 1].similarity >= a[i].similarity);
    }
    QCOMPARE(index.search(query, 500).size(), std::size_t(50)); // k beyond size
    QVERIFY(index.search(query, 0).empty());
    QVERIFY(index.search(query, -1).empty());
}

void TestVectorIndex::removeAndContains()
{
    std::mt19937 rng(1);
    VectorIndex index(8);
    const auto v = randomUnit(rng, 8);
    index.add(10, v);
    index.add(11, randomUnit(rng, 8));
    QVERIFY(index.contains(10));
    QVERIFY(index.remove(10));
    QVERIFY(!index.contains(10));
    QVERIFY(!index.remove(10));  // twice
    QVERIFY(!index.remove(999)); // never added
    QCOMPARE(index.size(), std::size_t(1));
    for (const auto& n : index.search(v, 5))
        QVERIFY(n.label != 10);
    // Re-adding a removed label brings it back.
    index.add(10, v);
    QVERIFY(index.contains(10));
    QCOMPARE(index.search(v, 1).at(0).label, std::uint64_t(10));
    QCOMPARE(index.size(), std::size_t(2));
}

void TestVectorIndex::replaceExistingLabel()
{
    std::mt19937 rng(2);
    VectorIndex index(8);
    const auto first = randomUnit(rng, 8);
    const auto second = randomUnit(rng, 8);
    index.add(5, first);
    index.add(5, second);
    QCOMPARE(index.size(), std::size_t(1));
    const auto hit = index.search(second, 1);
    QCOMPARE(hit.at(0).label, std::uint64_t(5));
    QVERIFY(std::abs(hit[0].similarity - 1.0f) < 1e-4f);
}

void TestVectorIndex::compactionKeepsLivePoints()
{
    std::mt19937 rng(3);
    IndexOptions options;
    options.initialCapacity = 64;
    options.bruteForceBelow = 0; // exercise the graph, not the scan
    VectorIndex index(16, options);
    std::vector<std::vector<float>> points;
    for (int i = 0; i < 4000; ++i) {
        points.push_back(randomUnit(rng, 16));
        index.add(std::uint64_t(i), points.back());
    }
    const std::size_t before = index.memoryBytes();
    for (int i = 0; i < 3500; ++i) // tombstones outnumber live points: compaction
        QVERIFY(index.remove(std::uint64_t(i)));
    QCOMPARE(index.size(), std::size_t(500));
    QVERIFY2(index.memoryBytes() < before, "compaction should release memory");
    for (int i = 3500; i < 4000; i += 25) {
        QVERIFY(index.contains(std::uint64_t(i)));
        QCOMPARE(index.search(points[i], 1).at(0).label, std::uint64_t(i));
    }
    QVERIFY(!index.contains(0));
    // Adding after compaction, past the old capacity, still works.
    for (int i = 4000; i < 6000; ++i)
        index.add(std::uint64_t(i), randomUnit(rng, 16));
    QCOMPARE(index.size(), std::size_t(2500));
}

void TestVectorIndex::clearEmpties()
{
    std::mt19937 rng(4);
    VectorIndex index(8);
    const auto v = randomUnit(rng, 8);
    for (int i = 0; i < 100; ++i)
        index.add(std::uint64_t(i), randomUnit(rng, 8));
    index.clear();
    QCOMPARE(index.size(), std::size_t(0));
    QVERIFY(index.search(v, 3).empty());
    QVERIFY(index.searchExact(v, 3).empty());
    QVERIFY(!index.contains(1));
    index.add(1, v);
    QCOMPARE(index.search(v, 3).size(), std::size_t(1));
}

void TestVectorIndex::wrongDimension()
{
    VectorIndex index(8);
    const std::vector<float> shortVector(4, 0.5f);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, index.add(1, shortVector));
    QCOMPARE(index.size(), std::size_t(0));
    std::mt19937 rng(5);
    index.add(1, randomUnit(rng, 8));
    QVERIFY(index.search(shortVector, 1).empty());
    QVERIFY(index.searchExact(shortVector, 1).empty());
    QVERIFY(index.search(std::vector<float>(9, 0.1f), 1).empty());
}

void TestVectorIndex::invalidArguments()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, VectorIndex(0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, VectorIndex(-1));
}

void TestVectorIndex::quantizedSimilaritiesAndRecall()
{
    // int8 storage: similarities stay within the documented error of the
    // float ones, and the nearest point of a noisy copy is still found.
    std::mt19937 rng(99);
    IndexOptions options;
    options.quantized = true;
    options.bruteForceBelow = 0; // exercise the graph, not the scan
    VectorIndex index(kDim, options);
    std::vector<std::vector<float>> points;
    for (int i = 0; i < 2000; ++i) {
        points.push_back(randomUnit(rng));
        index.add(std::uint64_t(i), points.back());
    }
    int found = 0;
    float worstError = 0;
    for (int q = 0; q < 200; ++q) {
        const int target = int(rng() % points.size());
        const auto query = noisyCopy(points[std::size_t(target)], rng, 0.05f);
        const auto result = index.search(query, 1);
        QCOMPARE(result.size(), std::size_t(1));
        found += result[0].label == std::uint64_t(target) ? 1 : 0;
        float exact = 0;
        for (int d = 0; d < kDim; ++d)
            exact += query[std::size_t(d)] * points[result[0].label][std::size_t(d)];
        worstError = std::max(worstError, std::abs(exact - result[0].similarity));
    }
    qInfo("int8 index: %d of 200 found, worst similarity error %.4f", found, double(worstError));
    QVERIFY(found >= 195);
    QVERIFY(worstError <= VectorIndex::kQuantizationError);
}

QTEST_GUILESS_MAIN(TestVectorIndex)
#include "tst_vectorindex.moc"
