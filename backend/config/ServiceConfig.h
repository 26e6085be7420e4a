#pragma once

#include <QString>
#include <QStringList>
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

    friend bool operator==(const SecretRef&, const SecretRef&) = default;
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
    // Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the
    // client for the rate limit; empty: the peer address is the client.
    QStringList trustedProxies;

    friend bool operator==(const HttpConfig&, const HttpConfig&) = default;
};

struct AuthConfig
{
    SecretRef queryToken; // bearer token for /v1/query
    SecretRef adminToken; // bearer token for /admin/*
    // Whether /v1/query needs the token. Unset: required unless bound to loopback.
    std::optional<bool> requireQueryToken;

    friend bool operator==(const AuthConfig&, const AuthConfig&) = default;
};

struct RateLimitConfig
{
    bool enabled = true;
    double ratePerSecond = 20.0; // tokens added per client address (and token) per second
    double burst = 40.0;         // bucket size
    int maxClients = 100000;     // buckets kept; the idlest are dropped beyond this
    // Sub-buckets per `client` id inside an address's bucket; 0: none.
    double clientRatePerSecond = 0.0;
    double clientBurst = 10.0;
    int ipv6PrefixLength = 64; // IPv6 clients share a bucket per network of this length

    friend bool operator==(const RateLimitConfig&, const RateLimitConfig&) = default;
};

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

struct QueueConfig
{
    int concurrency = 4;       // generations running at once
    int capacity = 64;         // generations waiting; beyond this: 503
    int retryAfterSeconds = 2; // Retry-After on 503

    friend bool operator==(const QueueConfig&, const QueueConfig&) = default;
};

struct RetrievalConfig
{
    int defaultTopK = 4;
    int hnswM = 16;
    int efConstruction = 200;
    int efSearch = 64;

    friend bool operator==(const RetrievalConfig&, const RetrievalConfig&) = default;
};

// The shared Redis cache (cache.redis). Neither url nor sentinels: the
// in-memory store. The password is a secret reference, never the value.
struct RedisConfig
{
    QString url;        // redis://host:port/db
    QString sentinels;  // host:port[,host:port...]
    QString masterName; // with sentinels
    int db = 0;         // with sentinels (a url carries its own)
    SecretRef password;
    SecretRef sentinelPassword; // with sentinels: their own requirepass (Redis 6.2+)
    int connectTimeoutMs = 500;
    int commandTimeoutMs = 500;
    int poolSize = 32;
    QString keyPrefix = QStringLiteral("querydeck");
    int streamMaxLength = 100000;
    int rebuildTimeoutMs = 10000;

    bool isSet() const { return !url.isEmpty() || !sentinels.isEmpty(); }
    friend bool operator==(const RedisConfig&, const RedisConfig&) = default;
};

struct CacheConfig
{
    bool enabled = true;
    bool semantic = true;
    double similarityThreshold = 0.95;
    qint64 ttlSeconds = 14 * 24 * 3600;
    qint64 maxBytes = 256LL * 1024 * 1024;
    RedisConfig redis;

    friend bool operator==(const CacheConfig&, const CacheConfig&) = default;
};

struct LoggingConfig
{
    QString level = QStringLiteral("info");  // trace | debug | info | warn | error | critical | off
    QString format = QStringLiteral("text"); // text | json
    bool logQueries = false;                 // query text at info level
    QString file;                            // empty: stderr

    friend bool operator==(const LoggingConfig&, const LoggingConfig&) = default;
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

    friend bool operator==(const ServiceConfig&, const ServiceConfig&) = default;
};

} // namespace querydeck
