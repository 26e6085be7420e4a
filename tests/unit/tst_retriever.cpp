#include "backend/retrieval/HashingEmbedder.h"
#include "backend/retrieval/Retriever.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>

using namespace querydeck;

namespace {

// Counts embed() calls so tests can prove an index was loaded, not rebuilt;
// can be told to fail on texts containing a marker.
class CountingEmbedder final : public Embedder
{
public:
    int dimension() const override { return m_inner.dimension(); }
    QString id() const override { return m_inner.id(); }
    Embedding embed(const QString& text) override
    {
        ++calls;
        if (!failOn.isEmpty() && text.contains(failOn))
            return {{}, QStringLiteral("refusing to embed")};
        return m_inner.embed(text);
    }
    std::atomic<int> calls{0};
    QString failOn;

private:
    HashingEmbedder m_inner;
};

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TestRetriever : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void buildsAndRetrieves_data();
    void buildsAndRetrieves();
    void secondBuildLoadsFromDisk();
    void corruptIndexIsRebuilt_data();
    void corruptIndexIsRebuilt();
    void changedCorpusChangesHash();
    void chunkParametersChangeHash();
    void embeddingFailureIsReported();
    void missingCorpusIsReported();
    void defaultsUseBundledCorpusAndCacheDir();
    void retrieveEdgeCases();
    void concurrentRetrieve();

private:
    CorpusConfig config() const;
    RetrieverBuildReport buildWith(CountingEmbedder*& counter);

    QTemporaryDir m_corpus;
    QTemporaryDir m_index;
    std::vector<std::unique_ptr<Retriever>> m_retrievers; // keep embedders alive per test
};

void TestRetriever::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_corpus.isValid() && m_index.isValid());
    writeFile(m_corpus.filePath("scaling-out.md"),
              "# Scaling out\n\nTo add a replica, open the Scale wizard and raise the replica "
              "count. The wizard checks capacity before it acts and verifies the new replicas "
              "report ready afterwards.\n");
    writeFile(m_corpus.filePath("draining.md"),
              "# Draining a replica\n\nTo drain a replica, send POST /admin/drain with the admin "
              "token. The replica stops accepting queries and finishes in-flight requests.\n");
    writeFile(m_corpus.filePath("redis/failover.md"),
              "# Redis failover\n\nWhen the Redis primary fails, Sentinel promotes a replica. "
              "Use the failover wizard to trigger a manual Redis failover.\n");
    writeFile(m_corpus.filePath("panels.html"),
              "<h1>Panels</h1><p>The P95 latency panel shows the 95th percentile of request "
              "duration.</p><p>The cache hit rate panel shows exact and semantic hits.</p>");
    writeFile(m_corpus.filePath("broken.txt"), QByteArray("bin\0ary", 7));
}

void TestRetriever::init()
{
    m_retrievers.clear();
    // Each test starts without persisted indexes.
    QDir(m_index.path()).removeRecursively();
    QDir().mkpath(m_index.path());
}

CorpusConfig TestRetriever::config() const
{
    CorpusConfig c;
    c.path = m_corpus.path();
    c.indexDir = m_index.path();
    c.chunkChars = 200;
    c.overlapChars = 40;
    return c;
}

RetrieverBuildReport TestRetriever::buildWith(CountingEmbedder*& counter)
{
    auto embedder = std::make_shared<CountingEmbedder>();
    counter = embedder.get();
    m_retrievers.push_back(std::make_unique<Retriever>(embedder));
    return m_retrievers.back()->build(config());
}

void TestRetriever::buildsAndRetrieves_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("document");
    QTest::newRow("drain") << "How do I drain a replica?"
                           << "draining.md";
    QTest::newRow("scale") << "how can I add replicas with the scale wizard"
                           << "scaling-out.md";
    QTest::newRow("redis") << "Sentinel promotes a new Redis primary"
                           << "redis/failover.md";
    QTest::newRow("html") << "what does the P95 latency panel show"
                          << "panels.html";
}

void TestRetriever::buildsAndRetrieves()
{
    QFETCH(QString, query);
    QFETCH(QString, document);
    auto embedder = std::make_shared<CountingEmbedder>();
    Retriever retriever(embedder);
    const auto report = retriever.build(config());
    QVERIFY2(report.ok(), qPrintable(report.error));
    QCOMPARE(report.documents, 4);
    QCOMPARE(retriever.documentCount(), 4);
    QVERIFY(report.chunks >= 4);
    QCOMPARE(retriever.chunkCount(), report.chunks);
    QCOMPARE(report.skipped.size(), std::size_t(1));
    QCOMPARE(report.skipped[0].path, QStringLiteral("broken.txt"));
    QCOMPARE(report.corpusHash.size(), 64); // hex SHA-256
    QCOMPARE(retriever.corpusHash(), report.corpusHash);
    QVERIFY(report.indexFile.endsWith(".qdidx"));

    const auto q = embedder->embed(query);
    QVERIFY(q.ok());
    const auto hits = retriever.retrieve(q.vector, 3);
    QCOMPARE(hits.size(), std::size_t(3));
    QCOMPARE(hits[0].chunk.document, document);
    QVERIFY(hits[0].score >= hits[1].score && hits[1].score >= hits[2].score);
    QVERIFY(!hits[0].chunk.text.isEmpty());
}

void TestRetriever::secondBuildLoadsFromDisk()
{
    CountingEmbedder* first = nullptr;
    const auto a = buildWith(first);
    QVERIFY2(a.ok(), qPrintable(a.error));
    QVERIFY(!a.loadedFromDisk);
    QCOMPARE(first->calls.load(), a.chunks);
    QVERIFY(QFile::exists(a.indexFile));
    QCOMPARE(QFileInfo(a.indexFile).fileName(),
             QStringLiteral("corpus-%1.qdidx").arg(QString::fromLatin1(a.corpusHash)));

    CountingEmbedder* second = nullptr;
    const auto b = buildWith(second);
    QVERIFY2(b.ok(), qPrintable(b.error));
    QVERIFY(b.loadedFromDisk);
    QCOMPARE(second->calls.load(), 0);
    QCOMPARE(b.chunks, a.chunks);
    QCOMPARE(b.documents, a.documents);
    QCOMPARE(b.corpusHash, a.corpusHash);
    QCOMPARE(b.indexFile, a.indexFile);
}

void TestRetriever::corruptIndexIsRebuilt_data()
{
    QTest::addColumn<QString>("damage");
    QTest::newRow("truncated") << "truncate";
    QTest::newRow("bit flip") << "flip";
    QTest::newRow("garbage") << "garbage";
    QTest::newRow("empty") << "empty";
    QTest::newRow("trailing bytes") << "append";
}

void TestRetriever::corruptIndexIsRebuilt()
{
    QFETCH(QString, damage);
    CountingEmbedder* first = nullptr;
    const auto a = buildWith(first);
    QVERIFY(a.ok());

    QFile file(a.indexFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray bytes = file.readAll();
    file.close();
    if (damage == "truncate")
        bytes.truncate(bytes.size() / 2);
    else if (damage == "flip")
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x40);
    else if (damage == "garbage")
        bytes = QByteArray(4096, 'g');
    else if (damage == "empty")
        bytes.clear();
    else
        bytes += "tail";
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
    file.close();

    CountingEmbedder* second = nullptr;
    const auto b = buildWith(second);
    QVERIFY2(b.ok(), qPrintable(b.error));
    QVERIFY(!b.loadedFromDisk);
    QCOMPARE(second->calls.load(), b.chunks);
    QCOMPARE(b.chunks, a.chunks);

    // The rebuild rewrote a good file: the next build loads it.
    CountingEmbedder* third = nullptr;
    const auto c = buildWith(third);
    QVERIFY(c.loadedFromDisk);
    QCOMPARE(third->calls.load(), 0);
}

void TestRetriever::changedCorpusChangesHash()
{
    QTemporaryDir corpus;
    writeFile(corpus.filePath("one.md"), "The first version of the document.");
    CorpusConfig c = config();
    c.path = corpus.path();
    Retriever first(std::make_shared<HashingEmbedder>());
    const auto a = first.build(c);
    QVERIFY(a.ok());

    writeFile(corpus.filePath("one.md"), "The second version of the document.");
    auto counter = std::make_shared<CountingEmbedder>();
    Retriever second(counter);
    const auto b = second.build(c);
    QVERIFY(b.ok());
    QVERIFY(a.corpusHash != b.corpusHash);
    QVERIFY(!b.loadedFromDisk);
    QVERIFY(counter->calls.load() > 0);
    QVERIFY(a.indexFile != b.indexFile);

    // Renaming a file changes the hash too, even with identical text.
    QVERIFY(QFile::rename(corpus.filePath("one.md"), corpus.filePath("two.md")));
    Retriever third(std::make_shared<HashingEmbedder>());
    const auto d = third.build(c);
    QVERIFY(d.ok());
    QVERIFY(d.corpusHash != b.corpusHash);
}

void TestRetriever::chunkParametersChangeHash()
{
    Retriever a(std::make_shared<HashingEmbedder>());
    Retriever b(std::make_shared<HashingEmbedder>());
    Retriever c(std::make_shared<HashingEmbedder>(128));
    CorpusConfig other = config();
    other.chunkChars = 300;
    const auto ra = a.build(config());
    const auto rb = b.build(other);
    const auto rc = c.build(config());
    QVERIFY(ra.ok() && rb.ok() && rc.ok());
    QVERIFY(ra.corpusHash != rb.corpusHash);
    QVERIFY(ra.corpusHash != rc.corpusHash); // different embedder id
}

void TestRetriever::embeddingFailureIsReported()
{
    auto embedder = std::make_shared<CountingEmbedder>();
    embedder->failOn = QStringLiteral("Sentinel");
    Retriever retriever(embedder);
    const auto report = retriever.build(config());
    QVERIFY(!report.ok());
    QVERIFY2(report.error.contains("redis/failover.md") && report.error.contains("refusing"),
             qPrintable(report.error));
    QCOMPARE(retriever.chunkCount(), 0); // nothing half-built is served
    QVERIFY(retriever.corpusHash().isEmpty());
    QVERIFY(QDir(m_index.path()).entryList(QDir::Files).isEmpty());
}

void TestRetriever::missingCorpusIsReported()
{
    Retriever retriever(std::make_shared<HashingEmbedder>());
    CorpusConfig c = config();
    c.path = m_corpus.filePath("does-not-exist");
    const auto report = retriever.build(c);
    QVERIFY(!report.ok());
    QVERIFY2(report.error.contains("does-not-exist"), qPrintable(report.error));
}

void TestRetriever::defaultsUseBundledCorpusAndCacheDir()
{
    Retriever retriever(std::make_shared<HashingEmbedder>());
    const auto report = retriever.build(CorpusConfig{});
    QVERIFY2(report.ok(), qPrintable(report.error));
    QVERIFY(report.documents >= 1); // README.md at least
    const QString cacheDir =
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + "/index";
    QVERIFY2(report.indexFile.startsWith(cacheDir), qPrintable(report.indexFile));
    QVERIFY(QFile::remove(report.indexFile));
}

void TestRetriever::retrieveEdgeCases()
{
    auto embedder = std::make_shared<HashingEmbedder>();
    Retriever retriever(embedder);
    const auto q = embedder->embed(QStringLiteral("drain"));
    QVERIFY(retriever.retrieve(q.vector, 3).empty()); // before build
    QVERIFY(retriever.build(config()).ok());
    QVERIFY(retriever.retrieve(q.vector, 0).empty());
    QVERIFY(retriever.retrieve(q.vector, -2).empty());
    QVERIFY(retriever.retrieve(std::vector<float>(7, 0.1f), 3).empty()); // wrong dimension
    QCOMPARE(int(retriever.retrieve(q.vector, 1000).size()), retriever.chunkCount());
}

void TestRetriever::concurrentRetrieve()
{
    auto embedder = std::make_shared<HashingEmbedder>();
    Retriever retriever(embedder);
    QVERIFY(retriever.build(config()).ok());
    const auto q = embedder->embed(QStringLiteral("drain a replica"));
    const QString expected = retriever.retrieve(q.vector, 1).at(0).chunk.document;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 300; ++i) {
                const auto hits = retriever.retrieve(q.vector, 2);
                if (hits.empty() || hits[0].chunk.document != expected)
                    ++wrong;
            }
        });
    }
    // A rebuild while others retrieve swaps state atomically.
    QVERIFY(retriever.build(config()).ok());
    for (auto& thread : threads)
        thread.join();
    QCOMPARE(wrong.load(), 0);
}

QTEST_GUILESS_MAIN(TestRetriever)
#include "tst_retriever.moc"
