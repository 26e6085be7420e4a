#pragma once

#include "backend/retrieval/Generator.h"
#include "backend/retrieval/HttpJsonResponse.h"
#include "backend/retrieval/RetrievalConfig.h"

#include <QUrl>

namespace querydeck {

// Generates answers with an OpenAI-compatible server (OpenAI, vLLM, llama.cpp
// server...): POST {url}/v1/chat/completions with a system and a user message
// from PromptBuilder -> choices[0].message.content. The API key is sent as
// "Authorization: Bearer <key>" (omitted when empty, for local servers) and
// appears nowhere else: not in errors, logs or name(). Error replies
// {"error": {"message", "type", "code"}} become GenerationResult::error with
// the HTTP status. Each attempt is bounded by OpenAIConfig::timeoutMs, the
// whole call by GenerationRequest::timeout; retries per OpenAIConfig::retries.
//
// Threads: generate() is safe to call concurrently from any threads.
class OpenAIGenerator final : public Generator
{
public:
    OpenAIGenerator(const OpenAIConfig& config, QString apiKey);

    QString name() const override; // "openai:<model>"
    GenerationResult generate(const GenerationRequest& request) override;

    // Reads a chat-completions reply into *answer (choices[0].message.content,
    // trimmed); on failure the reason: the transport or HTTP error (with the
    // server's error type, code and message) or what the body lacks. A function
    // of the reply alone, so tests and the fuzzer call it.
    static QString readAnswer(const HttpJsonResponse& response, QString* answer);

private:
    OpenAIConfig m_config;
    QString m_apiKey;
    QUrl m_endpoint;
};

} // namespace querydeck
