#pragma once

#include "backend/retrieval/Embedder.h"

namespace querydeck {

// The default embedder: no model, no downloads, identical vectors in every
// process. Text is lowercased and split into words (runs of letters and
// digits); each word contributes a unigram feature and the character 3-grams
// of "<word>" (boundary markers included), so inflections and small typos
// still overlap. Common English function words ("how", "do", "the"…) are
// down-weighted so the content words decide similarity. Features are hashed
// with FNV-1a (64 bit) into `dimension` buckets with a sign bit, weighted by
// sublinear term frequency (1 + ln tf) and the vector is L2-normalised.
// Stateless after construction, so embed() is thread-safe.
class HashingEmbedder final : public Embedder
{
public:
    explicit HashingEmbedder(int dimension = 384); // throws std::invalid_argument if < 1

    int dimension() const override { return m_dimension; }
    QString id() const override;
    Embedding embed(const QString& text) override;

private:
    int m_dimension;
};

} // namespace querydeck
