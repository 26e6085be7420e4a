#pragma once

#include "backend/retrieval/Generator.h"
#include "backend/retrieval/RetrievalConfig.h"

#include <QJsonObject>
#include <QUrl>

namespace querydeck {

// Generates answers with an Ollama server: POST {url}/api/generate
// {"model", "system", "prompt", "stream": false} -> {"response": "...", "done": true},
// the prompt from PromptBuilder. Each attempt is bounded by
// OllamaConfig::timeoutMs, the whole call (retries and backoff included) by
// GenerationRequest::timeout; retries per OllamaConfig::retries.
//
// Threads: generate() is safe to call concurrently from any threads.
class OllamaGenerator final : public Generator
{
public:
    explicit OllamaGenerator(const OllamaConfig& config);

    QString name() const override; // "ollama:<model>"
    GenerationResult generate(const GenerationRequest& request) override;

    // Reads the reply body's "response" into *answer (trimmed); on failure the
    // reason ("done": false, missing, not a string, empty). A function of the
    // reply alone, so tests and the fuzzer call it.
    static QString readAnswer(const QJsonObject& reply, QString* answer);

private:
    OllamaConfig m_config;
    QUrl m_endpoint;
};

} // namespace querydeck
