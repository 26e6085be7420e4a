#pragma once

#include <QString>
#include <vector>

namespace querydeck {

// Result of embedding one text: an L2-normalised vector, or an error message.
struct Embedding
{
    std::vector<float> vector;
    QString error;

    bool ok() const { return error.isEmpty() && !vector.empty(); }
};

// Turns text into a fixed-size, L2-normalised vector so that cosine similarity
// is a plain inner product. Implementations must be thread-safe: the service
// calls embed() from many HTTP handler threads at once.
class Embedder
{
public:
    virtual ~Embedder() = default;

    virtual int dimension() const = 0;
    // Stable identity of the vector space (kind, model, dimension, version).
    // Part of the persisted index key: a change forces re-embedding.
    virtual QString id() const = 0;
    virtual Embedding embed(const QString& text) = 0;
};

} // namespace querydeck
