#pragma once

#include <QString>
#include <vector>

namespace querydeck {

// A piece of a corpus document, the unit of retrieval. `document` is the path
// relative to the corpus root; `index` counts chunks within that document and
// `offset` is the character position where the chunk starts.
struct Chunk
{
    QString document;
    int index = 0;
    qsizetype offset = 0;
    QString text;
};

// A chunk returned by retrieval, with its cosine similarity to the query.
struct RetrievedChunk
{
    Chunk chunk;
    float score = 0.0f;
};

using RetrievedChunks = std::vector<RetrievedChunk>;

} // namespace querydeck
