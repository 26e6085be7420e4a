#pragma once

#include "backend/retrieval/Embedder.h"
#include "backend/retrieval/RetrievalConfig.h"

#include <QJsonObject>
#include <QUrl>
#include <atomic>

namespace querydeck {

// Embeds text with an Ollama server: POST {url}/api/embeddings
// {"model", "prompt"} -> {"embedding": [numbers]}, L2-normalised here.
//
// The dimension is the model's, so it is not known up front: dimension() is 0
// until the first successful embed() or probe(), and from then on fixed —
// a later reply of another length (the model was swapped on the server) is an
// error, never a silently mixed vector space. Callers that build an index
// should call probe() first. Timeouts and retries come from OllamaConfig.
//
// Threads: embed() and probe() are safe to call concurrently from any threads
// (see HttpJsonClient); the learned dimension is atomic.
class OllamaEmbedder final : public Embedder
{
public:
    static constexpr int kMaxDimension = 65536;

    explicit OllamaEmbedder(const OllamaConfig& config);

    int dimension() const override;
    QString id() const override; // "ollama:<model>"
    Embedding embed(const QString& text) override;

    // Embeds "dimension probe" to learn the dimension; the error, or empty.
    QString probe();

    // Reads the reply body's "embedding" into a unit vector; on failure the
    // reason (no field, not numbers, too many, zero length) and *vector is
    // left empty. A function of the reply alone, so tests and the fuzzer call it.
    static QString readEmbedding(const QJsonObject& reply, std::vector<float>* vector);

private:
    OllamaConfig m_config;
    QUrl m_endpoint;
    std::atomic<int> m_dimension{0};
};

} // namespace querydeck
