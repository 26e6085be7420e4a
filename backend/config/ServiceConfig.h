#pragma once

#include <QString>
#include <optional>

namespace querydeck {

// A reference to a secret kept outside the config file: an entry in the OS
// keychain (QtKeychain) or, for headless servers without a secret service, an
// environment variable. The config file holds only the reference.
struct SecretRef
{
    QString keychainKey; // "keychain": entry name under the "querydeck" service
    QString envVar;      // "env": variable name

    bool isSet() const { return !keychainKey.isEmpty() || !envVar.isEmpty(); }
};

struct HttpConfig
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 8000;
    QString replicaId; // empty: hostname:port
    int threads = 32;  // civetweb worker threads = max concurrent connections
    int requestTimeoutMs = 30000;
    int keepAliveTimeoutMs = 5000;
    qint64 maxBodyBytes = 64 * 1024;
    int drainTimeoutMs = 20000; // SIGTERM / drain: wait this long for in-flight requests
};

struct AuthConfig
{
    SecretRef queryToken; // bearer token for /v1/query
    SecretRef adminToken; // bearer token for /admin/*
    // Whether /v1/query needs the token. Unset: required unless bound to loopback.
    std::optional<bool> requireQueryToken;
};

struct RateLimitConfig
{
    bool enabled = true;
    double ratePerSecond = 20.0; // tokens added per client per second
    double burst = 40.0;         // bucket size
    int maxClients = 100000;     // buckets kept; the idlest are dropped beyond this
};

struct CorpusConfig
{
    QString path; // empty: the bundled operator runbooks
    int chunkChars = 800;
    int overlapChars = 160;
    qint64 maxFileBytes = 4 * 1024 * 1024;
    QString indexDir; // empty: <cache dir>/index
};

struct OllamaConfig
{
    QString url = QStringLiteral("http://127.0.0.1:11434");
    QString model;
    int timeoutMs = 30000;
    int retries = 2;
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
};

struct EmbedderConfig
{
    QString kind = QStringLiteral("hashing"); // hashing | ollama
    int dimension = 384;                      // hashing only; ollama reports its own
    int cacheEntries = 10000;                 // LRU of recent embeddings
    OllamaConfig ollama;
};

// Added latency for load drills (LatencyGenerator). Off unless enabled.
struct LatencyConfig
{
    bool enabled = false;
    QString distribution = QStringLiteral("fixed"); // fixed | uniform | lognormal
    double meanMs = 0.0;
    double spreadMs = 0.0; // uniform: +/- spread; lognormal: standard deviation
};

struct GeneratorConfig
{
    QString kind = QStringLiteral("extractive"); // extractive | ollama | openai
    int maxSentences = 3;                        // extractive answer length
    OllamaConfig ollama;
    OpenAIConfig openai;
    LatencyConfig latency;
};

struct QueueConfig
{
    int concurrency = 4;       // generations running at once
    int capacity = 64;         // generations waiting; beyond this: 503
    int retryAfterSeconds = 2; // Retry-After on 503
};

struct RetrievalConfig
{
    int defaultTopK = 4;
    int hnswM = 16;
    int efConstruction = 200;
    int efSearch = 64;
};

struct CacheConfig
{
    bool enabled = true;
    bool semantic = true;
    double similarityThreshold = 0.95;
    qint64 ttlSeconds = 14 * 24 * 3600;
    qint64 maxBytes = 256LL * 1024 * 1024;
};

struct LoggingConfig
{
    QString level = QStringLiteral("info");  // trace | debug | info | warn | error | critical | off
    QString format = QStringLiteral("text"); // text | json
    bool logQueries = false;                 // query text at info level
    QString file;                            // empty: stderr
};

// Everything `querydeck serve` needs. Defaults are the local dev mode.
struct ServiceConfig
{
    HttpConfig http;
    AuthConfig auth;
    RateLimitConfig rateLimit;
    CorpusConfig corpus;
    EmbedderConfig embedder;
    GeneratorConfig generator;
    QueueConfig queue;
    RetrievalConfig retrieval;
    CacheConfig cache;
    LoggingConfig logging;
};

} // namespace querydeck
