#include "backend/retrieval/Retriever.h"

#include "backend/retrieval/Chunker.h"
#include "backend/retrieval/IndexFile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <mutex>
#include <spdlog/spdlog.h>
#include <stdexcept>

namespace querydeck {

struct Retriever::State
{
    State(int dimension, const IndexOptions& options)
        : index(dimension, options)
    {
    }

    int documents = 0;
    std::vector<Chunk> chunks;
    QByteArray hash;
    VectorIndex index;
};

namespace {

// Bump when chunking or the hash input changes, so old index files miss.
constexpr int kHashVersion = 1;

void addField(QCryptographicHash& hash, const QString& value)
{
    const QByteArray utf8 = value.toUtf8();
    const auto length = static_cast<quint64>(utf8.size());
    // Length-prefixed so that ("ab","c") and ("a","bc") hash differently.
    hash.addData(QByteArrayView(reinterpret_cast<const char*>(&length), sizeof length));
    hash.addData(utf8);
}

QByteArray contentHash(const QString& embedderId, const CorpusConfig& config,
                       const std::vector<CorpusDocument>& documents)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    addField(hash, QStringLiteral("querydeck-corpus-v%1").arg(kHashVersion));
    addField(hash, embedderId);
    addField(hash, QString::number(config.chunkChars));
    addField(hash, QString::number(config.overlapChars));
    for (const auto& document : documents) {
        addField(hash, document.path);
        addField(hash, document.text);
    }
    return hash.result().toHex();
}

} // namespace

Retriever::Retriever(std::shared_ptr<Embedder> embedder, IndexOptions options)
    : m_embedder(std::move(embedder))
    , m_options(options)
{
    if (!m_embedder)
        throw std::invalid_argument("Retriever: embedder is null");
}

Retriever::~Retriever() = default;

RetrieverBuildReport Retriever::build(const CorpusConfig& config)
{
    QElapsedTimer timer;
    timer.start();
    RetrieverBuildReport report;
    auto finish = [&] {
        report.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        if (!report.ok())
            spdlog::error("retriever: build failed: {}", report.error.toStdString());
        return report;
    };

    const QString root = config.path.isEmpty() ? QStringLiteral(":/corpus") : config.path;
    const QString indexDir = config.indexDir.isEmpty()
                                 ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                                       QStringLiteral("/index")
                                 : config.indexDir;

    CorpusLoadResult corpus = CorpusLoader::load(root, config.maxFileBytes);
    report.skipped = std::move(corpus.value.skipped);
    if (!corpus.ok()) {
        report.error = corpus.errors.join(QStringLiteral("; "));
        return finish();
    }
    if (corpus.value.documents.empty())
        spdlog::warn("retriever: corpus {} has no documents; retrieval will find nothing",
                     root.toStdString());

    const int dimension = m_embedder->dimension();
    const QString embedderId = m_embedder->id();
    auto state = std::make_shared<State>(dimension, m_options);
    state->documents = static_cast<int>(corpus.value.documents.size());
    state->hash = contentHash(embedderId, config, corpus.value.documents);
    report.corpusHash = state->hash;
    report.documents = state->documents;

    const QString file = QDir(indexDir).filePath(
        QStringLiteral("corpus-%1.qdidx").arg(QString::fromLatin1(state->hash)));
    IndexFile::Contents stored;
    if (QFileInfo::exists(file)) {
        QString why;
        if (IndexFile::read(file, state->hash, embedderId, dimension, stored, &why)) {
            report.loadedFromDisk = true;
        } else {
            spdlog::warn("retriever: ignoring index file {}: {}; rebuilding", file.toStdString(),
                         why.toStdString());
            stored = {};
        }
    }

    if (!report.loadedFromDisk) {
        for (const auto& document : corpus.value.documents) {
            auto chunks = Chunker::split(document, config.chunkChars, config.overlapChars);
            for (auto& chunk : chunks)
                stored.chunks.push_back(std::move(chunk));
        }
        stored.vectors.reserve(stored.chunks.size());
        for (const auto& chunk : stored.chunks) {
            Embedding embedding = m_embedder->embed(chunk.text);
            if (embedding.ok() && embedding.vector.size() != static_cast<std::size_t>(dimension))
                embedding.error = QStringLiteral("embedder returned %1 values, expected %2")
                                      .arg(embedding.vector.size())
                                      .arg(dimension);
            if (!embedding.ok()) {
                report.error = QStringLiteral("embedding chunk %1 of %2 failed: %3")
                                   .arg(chunk.index)
                                   .arg(chunk.document, embedding.error);
                return finish();
            }
            stored.vectors.push_back(std::move(embedding.vector));
        }
    }

    for (std::size_t i = 0; i < stored.chunks.size(); ++i)
        state->index.add(i, stored.vectors[i]);

    if (report.loadedFromDisk) {
        report.indexFile = file;
    } else {
        QString why;
        if (QDir().mkpath(indexDir) &&
            IndexFile::write(file, state->hash, embedderId, dimension, stored, &why)) {
            report.indexFile = file;
        } else {
            spdlog::warn("retriever: could not save index to {}: {}", file.toStdString(),
                         why.isEmpty() ? std::string("cannot create the directory")
                                       : why.toStdString());
        }
    }

    state->chunks = std::move(stored.chunks);
    report.chunks = static_cast<int>(state->chunks.size());
    {
        std::unique_lock lock(m_mutex);
        m_state = std::move(state);
    }
    finish();
    spdlog::info("retriever: {} documents, {} chunks, {} in {:.2f} s", report.documents,
                 report.chunks, report.loadedFromDisk ? "loaded from disk" : "embedded",
                 report.seconds);
    return report;
}

RetrievedChunks Retriever::retrieve(std::span<const float> queryEmbedding, int topK) const
{
    std::shared_ptr<const State> state;
    {
        std::shared_lock lock(m_mutex);
        state = m_state;
    }
    RetrievedChunks out;
    if (!state || topK <= 0)
        return out;
    const auto neighbours = state->index.search(queryEmbedding, topK);
    out.reserve(neighbours.size());
    for (const auto& neighbour : neighbours) {
        if (neighbour.label < state->chunks.size())
            out.push_back({state->chunks[neighbour.label], neighbour.similarity});
    }
    return out;
}

int Retriever::documentCount() const
{
    std::shared_lock lock(m_mutex);
    return m_state ? m_state->documents : 0;
}

int Retriever::chunkCount() const
{
    std::shared_lock lock(m_mutex);
    return m_state ? static_cast<int>(m_state->chunks.size()) : 0;
}

QByteArray Retriever::corpusHash() const
{
    std::shared_lock lock(m_mutex);
    return m_state ? m_state->hash : QByteArray();
}

} // namespace querydeck
