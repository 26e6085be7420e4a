#pragma once

#include "backend/retrieval/Chunk.h"
#include "backend/retrieval/CorpusLoader.h"
#include "backend/retrieval/Embedder.h"
#include "backend/retrieval/RetrievalConfig.h"
#include "backend/retrieval/VectorIndex.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <shared_mutex>
#include <span>
#include <vector>

namespace querydeck {

struct RetrieverBuildReport
{
    int documents = 0;
    int chunks = 0;
    std::vector<SkippedFile> skipped;
    bool loadedFromDisk = false; // true: embeddings came from indexFile, none computed
    QString indexFile;           // the persisted index; empty if it could not be written
    QByteArray corpusHash;       // hex SHA-256, see Retriever::corpusHash()
    double seconds = 0;
    QString error;

    bool ok() const { return error.isEmpty(); }
};

// The corpus half of the query pipeline: loads and chunks the corpus, embeds
// every chunk and answers nearest-chunk queries. Embeddings are persisted to
// <indexDir>/corpus-<hash>.qdidx, keyed by a content hash (embedder id, chunk
// parameters, every document's path and text), so an unchanged corpus is not
// re-embedded; a corrupt file is ignored and rebuilt.
// Thread rules: retrieve() and the getters may run concurrently from any
// thread. build() may run while others retrieve: it prepares everything aside
// and swaps it in under an exclusive lock, and a failed build keeps the old
// state. Do not run two build() calls at once on one Retriever.
class Retriever
{
public:
    explicit Retriever(std::shared_ptr<Embedder> embedder, IndexOptions options = {});
    ~Retriever();

    // config.path empty: the bundled ":/corpus"; config.indexDir empty:
    // QStandardPaths::CacheLocation + "/index".
    RetrieverBuildReport build(const CorpusConfig& config);
    // Best chunks first; empty before a successful build or on a query of the
    // wrong dimension.
    RetrievedChunks retrieve(std::span<const float> queryEmbedding, int topK) const;

    int documentCount() const;
    int chunkCount() const;
    // Hex SHA-256 of the built corpus; empty before a successful build.
    QByteArray corpusHash() const;

private:
    struct State;

    std::shared_ptr<Embedder> m_embedder;
    IndexOptions m_options;
    mutable std::shared_mutex m_mutex;
    std::shared_ptr<const State> m_state;
};

} // namespace querydeck
