#pragma once

#include "backend/common/SecretRef.h"

#include <QString>

namespace querydeck {

// The retrieval module's options: corpus, embedder, generator and index
// (the `corpus`, `embedder`, `generator` and `retrieval` blocks of the config).

struct CorpusConfig
{
    QString path; // empty: the bundled operator runbooks
    int chunkChars = 800;
    int overlapChars = 160;
    qint64 maxFileBytes = 4 * 1024 * 1024;
    QString indexDir; // empty: <cache dir>/index

    friend bool operator==(const CorpusConfig&, const CorpusConfig&) = default;
};

struct OllamaConfig
{
    QString url = QStringLiteral("http://127.0.0.1:11434");
    QString model;
    int timeoutMs = 30000;
    int retries = 2;

    friend bool operator==(const OllamaConfig&, const OllamaConfig&) = default;
};

struct OpenAIConfig
{
    QString url = QStringLiteral("https://api.openai.com");
    QString model = QStringLiteral("gpt-4o-mini");
    SecretRef apiKey;
    int timeoutMs = 60000;
    int retries = 2;
    double temperature = 0.2;
    int maxTokens = 512;

    friend bool operator==(const OpenAIConfig&, const OpenAIConfig&) = default;
};

struct EmbedderConfig
{
    QString kind = QStringLiteral("hashing"); // hashing | ollama
    int dimension = 384;                      // hashing only; ollama reports its own
    int cacheEntries = 10000;                 // LRU of recent embeddings
    OllamaConfig ollama;

    friend bool operator==(const EmbedderConfig&, const EmbedderConfig&) = default;
};

// Added latency for load drills (LatencyGenerator). Off unless enabled.
struct LatencyConfig
{
    bool enabled = false;
    QString distribution = QStringLiteral("fixed"); // fixed | uniform | lognormal
    double meanMs = 0.0;
    double spreadMs = 0.0; // uniform: +/- spread; lognormal: standard deviation

    friend bool operator==(const LatencyConfig&, const LatencyConfig&) = default;
};

struct GeneratorConfig
{
    QString kind = QStringLiteral("extractive"); // extractive | ollama | openai
    int maxSentences = 3;                        // extractive answer length
    OllamaConfig ollama;
    OpenAIConfig openai;
    LatencyConfig latency;

    friend bool operator==(const GeneratorConfig&, const GeneratorConfig&) = default;
};

struct RetrievalConfig
{
    int defaultTopK = 4;
    int hnswM = 16;
    int efConstruction = 200;
    int efSearch = 64;

    friend bool operator==(const RetrievalConfig&, const RetrievalConfig&) = default;
};

} // namespace querydeck
