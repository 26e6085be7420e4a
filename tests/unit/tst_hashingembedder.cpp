#include "backend/retrieval/HashingEmbedder.h"

#include <QTest>
#include <cmath>
#include <thread>

using namespace querydeck;

namespace {

double cosine(const std::vector<float>& a, const std::vector<float>& b)
{
    double dot = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        dot += double(a[i]) * b[i];
    return dot;
}

double similarity(HashingEmbedder& embedder, const QString& a, const QString& b)
{
    const auto ea = embedder.embed(a);
    const auto eb = embedder.embed(b);
    if (!ea.ok() || !eb.ok())
        return -2;
    return cosine(ea.vector, eb.vector);
}

} // namespace

class TestHashingEmbedder : public QObject
{
    Q_OBJECT

private slots:
    void idAndDimension_data();
    void idAndDimension();
    void invalidDimension();
    void deterministicAcrossInstances();
    void stableAcrossProcesses();
    void normalised_data();
    void normalised();
    void rejectsTextWithoutWords_data();
    void rejectsTextWithoutWords();
    void similarity_data();
    void similarity();
    void orderingOfReworded();
    void threadSafe();
};

void TestHashingEmbedder::idAndDimension_data()
{
    QTest::addColumn<int>("dimension");
    QTest::newRow("1") << 1;
    QTest::newRow("64") << 64;
    QTest::newRow("384") << 384;
    QTest::newRow("1024") << 1024;
}

void TestHashingEmbedder::idAndDimension()
{
    QFETCH(int, dimension);
    HashingEmbedder embedder(dimension);
    QCOMPARE(embedder.dimension(), dimension);
    QCOMPARE(embedder.id(), QStringLiteral("hashing-v1-%1").arg(dimension));
    const auto e = embedder.embed(QStringLiteral("drain a replica"));
    QVERIFY(e.ok());
    QCOMPARE(int(e.vector.size()), dimension);
    QCOMPARE(HashingEmbedder().id(), QStringLiteral("hashing-v1-384"));
}

void TestHashingEmbedder::invalidDimension()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, HashingEmbedder(0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, HashingEmbedder(-3));
}

void TestHashingEmbedder::deterministicAcrossInstances()
{
    HashingEmbedder a;
    HashingEmbedder b;
    const QString text = QStringLiteral("Why is the P95 latency panel red after failover?");
    QCOMPARE(a.embed(text).vector, b.embed(text).vector);
    QCOMPARE(a.embed(text).vector, a.embed(text).vector);
}

void TestHashingEmbedder::stableAcrossProcesses()
{
    // Golden values: if these change, the vector space changed and id() must
    // get a new version (persisted indexes would otherwise mix spaces).
    HashingEmbedder embedder(16);
    const auto e = embedder.embed(QStringLiteral("drain replica"));
    QVERIFY(e.ok());
    QString printed;
    for (float v : e.vector)
        printed += QString::number(v, 'f', 4) + u' ';
    qInfo("golden vector: %s", qPrintable(printed));
    QCOMPARE(printed,
             QStringLiteral("-0.4264 0.0000 -0.4264 0.2132 -0.2132 0.0000 0.0000 0.2132 "
                            "-0.2132 0.0000 0.0000 0.2132 -0.4264 0.4264 0.0000 -0.2132 "));
}

void TestHashingEmbedder::normalised_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("one word") << "redis";
    QTest::newRow("stop word only") << "the";
    QTest::newRow("sentence") << "How do I drain a replica?";
    QTest::newRow("repeated") << QStringLiteral("cache ").repeated(500);
    QTest::newRow("unicode") << QString::fromUtf8("Übergröße café 日本語 😀 naïve");
    QTest::newRow("long") << QStringLiteral("The quick brown fox jumps over it. ").repeated(300);
}

void TestHashingEmbedder::normalised()
{
    QFETCH(QString, text);
    HashingEmbedder embedder;
    const auto e = embedder.embed(text);
    QVERIFY2(e.ok(), qPrintable(e.error));
    double norm = 0;
    for (float v : e.vector) {
        QVERIFY(std::isfinite(v));
        norm += double(v) * v;
    }
    QVERIFY2(std::abs(norm - 1.0) < 1e-5, qPrintable(QString::number(norm)));
}

void TestHashingEmbedder::rejectsTextWithoutWords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("spaces") << "   \t\n "
                            << "whitespace";
    QTest::newRow("punctuation") << "?!... --- ***"
                                 << "letters or digits";
}

void TestHashingEmbedder::rejectsTextWithoutWords()
{
    QFETCH(QString, text);
    QFETCH(QString, errorContains);
    HashingEmbedder embedder;
    const auto e = embedder.embed(text);
    QVERIFY(!e.ok());
    QVERIFY(e.vector.empty());
    QVERIFY2(e.error.contains(errorContains), qPrintable(e.error));
}

void TestHashingEmbedder::similarity_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");

    // Near-duplicates: must clear the semantic cache threshold of 0.95.
    QTest::newRow("identical") << "How do I drain a replica?"
                               << "How do I drain a replica?" << 0.999 << 1.001;
    QTest::newRow("case and punctuation") << "How do I drain a replica?"
                                          << "how do i drain a replica" << 0.999 << 1.001;
    QTest::newRow("extra stop word") << "How do I drain a replica?"
                                     << "How do I drain the replica please?" << 0.95 << 1.0;
    QTest::newRow("longer question, extra stop words")
        << "How do I drain a replica before an upgrade?"
        << "how do I drain the replica before the upgrade" << 0.95 << 1.0;
    // Measured, not promised: an extra content word or a typo in a short
    // question usually lands just under the cache threshold (a safe miss).
    QTest::newRow("extra content word") << "How do I drain a replica?"
                                        << "How do I drain a replica quickly?" << 0.80 << 1.0;
    QTest::newRow("typo") << "How do I drain a replica?"
                          << "How do I drain a replcia?" << 0.60 << 1.0;
    QTest::newRow("whitespace") << "scale   out\tthe fleet"
                                << "scale out the fleet" << 0.999 << 1.001;
    QTest::newRow("plural") << "How do I drain a replica?"
                            << "How do I drain replicas?" << 0.65 << 1.0;
    // Light rewording: fairly similar, but not a cache hit.
    QTest::newRow("reworded") << "How do I drain a replica?"
                              << "how can I drain one replica" << 0.85 << 1.0;
    QTest::newRow("reworded longer") << "What does the cache hit rate panel show?"
                                     << "what is shown on the cache hit rate panel" << 0.75 << 1.0;
    // Different questions: well below the threshold.
    QTest::newRow("same object, other verb") << "How do I drain a replica?"
                                             << "How do I add a replica?" << 0.0 << 0.80;
    QTest::newRow("related topic") << "How do I fail over Redis?"
                                   << "How do I tune the Redis cache TTL?" << 0.0 << 0.70;
    QTest::newRow("other question word") << "How do I drain a replica?"
                                         << "Why can't I drain a replica?" << 0.5 << 0.94;
    QTest::newRow("unrelated") << "How do I drain a replica?"
                               << "Why is the P95 latency panel red?" << -0.3 << 0.25;
    QTest::newRow("unrelated 2") << "What is the Redis memory limit?"
                                 << "How do I scale out the fleet?" << -0.3 << 0.25;
}

void TestHashingEmbedder::similarity()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(double, min);
    QFETCH(double, max);
    HashingEmbedder embedder;
    const double s = ::similarity(embedder, a, b);
    qInfo("cosine %.3f  \"%s\" vs \"%s\"", s, qPrintable(a), qPrintable(b));
    QVERIFY2(s >= min && s <= max,
             qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(s).arg(min).arg(max)));
}

void TestHashingEmbedder::orderingOfReworded()
{
    HashingEmbedder embedder;
    const QString q = QStringLiteral("How do I drain a replica?");
    const double duplicate = ::similarity(embedder, q, QStringLiteral("how do I drain a replica"));
    const double reworded =
        ::similarity(embedder, q, QStringLiteral("how can I drain one replica"));
    const double related = ::similarity(embedder, q, QStringLiteral("How do I add a replica?"));
    const double unrelated = ::similarity(embedder, q, QStringLiteral("Redis memory limit"));
    QVERIFY(duplicate > reworded);
    QVERIFY(reworded > related);
    QVERIFY(related > unrelated);
}

void TestHashingEmbedder::threadSafe()
{
    HashingEmbedder embedder;
    const QString text = QStringLiteral("concurrent embedding of the same text");
    const auto expected = embedder.embed(text).vector;
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i)
                if (embedder.embed(text).vector != expected)
                    ++mismatches;
        });
    }
    for (auto& thread : threads)
        thread.join();
    QCOMPARE(mismatches.load(), 0);
}

QTEST_GUILESS_MAIN(TestHashingEmbedder)
#include "tst_hashingembedder.moc"
