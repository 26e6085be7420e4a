#include "backend/config/ServiceConfigReader.h"

#include "backend/common/AddressRanges.h"
#include "backend/config/ConfigLoader.h"
#include "backend/redis/RedisAddress.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <limits>

namespace querydeck {

namespace {

constexpr int kMaxTimeoutMs = 24 * 3600 * 1000;
constexpr int kMaxRetries = 10;
constexpr qint64 kGiB = 1024LL * 1024 * 1024;
constexpr qint64 kNoUpperLimit = std::numeric_limits<qint64>::max();

// Top-level sections that later features own; they pass without warnings.
const QStringList kReservedSections = {
    QStringLiteral("console"), QStringLiteral("alerts"),     QStringLiteral("redis"),
    QStringLiteral("fleet"),   QStringLiteral("dashboards"),
};

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool isValidHost(const QString& host)
{
    if (host.isEmpty() || host.size() > 253)
        return false;
    if (!QHostAddress(host).isNull())
        return true;
    static const QRegularExpression name(QStringLiteral(
        "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$"));
    return name.match(host).hasMatch();
}

void readHttp(JsonFieldReader r, HttpConfig& c)
{
    QString host = c.host;
    if (r.readString(QStringLiteral("host"), host, 253)) {
        if (isValidHost(host))
            c.host = host;
        else
            r.addError(QStringLiteral("host"),
                       QStringLiteral("must be an IP address or host name, got %1")
                           .arg(JsonFieldReader::describe(host)));
    }
    r.readInt(QStringLiteral("port"), c.port, 0, 65535);
    r.readString(QStringLiteral("replica_id"), c.replicaId, 256);
    r.readInt(QStringLiteral("threads"), c.threads, 1, 1024);
    r.readInt(QStringLiteral("request_timeout_ms"), c.requestTimeoutMs, 1, kMaxTimeoutMs);
    r.readInt(QStringLiteral("keep_alive_timeout_ms"), c.keepAliveTimeoutMs, 1, kMaxTimeoutMs);
    r.readInt64(QStringLiteral("max_body_bytes"), c.maxBodyBytes, 1024, kGiB);
    r.readInt(QStringLiteral("drain_timeout_ms"), c.drainTimeoutMs, 1, kMaxTimeoutMs);
    QStringList proxies = c.trustedProxies;
    if (r.readStringList(QStringLiteral("trusted_proxies"), proxies, 256, 64)) {
        bool allValid = true;
        for (qsizetype i = 0; i < proxies.size(); ++i) {
            QString problem;
            if (!AddressRanges::parseRange(proxies.at(i), &problem)) {
                r.addError(QStringLiteral("trusted_proxies[%1]").arg(i), problem);
                allValid = false;
            }
        }
        if (allValid)
            c.trustedProxies = proxies;
    }
    r.readInt(QStringLiteral("io_threads"), c.ioThreads, 0, 256);
    r.readInt(QStringLiteral("header_timeout_ms"), c.headerTimeoutMs, 1, kMaxTimeoutMs);
    r.readInt(QStringLiteral("body_timeout_ms"), c.bodyTimeoutMs, 1, kMaxTimeoutMs);
    r.readInt(QStringLiteral("max_connections"), c.maxConnections, 1, 1000000);
    r.readInt(QStringLiteral("max_connections_per_address"), c.maxConnectionsPerAddress, 0,
              1000000);
    r.reportUnknownKeys();
}

void readAuth(JsonFieldReader r, AuthConfig& c, const QString& host)
{
    const bool tokenOk = r.readSecret(QStringLiteral("query_token"), c.queryToken);
    r.readSecret(QStringLiteral("admin_token"), c.adminToken);
    const bool requireOk =
        r.readOptionalBool(QStringLiteral("require_query_token"), c.requireQueryToken);
    if (tokenOk && requireOk && !c.queryToken.isSet()) {
        if (c.requireQueryToken.value_or(false))
            r.addError(QStringLiteral("query_token"),
                       QStringLiteral("required because auth.require_query_token is true"));
        else if (!c.requireQueryToken.has_value() && !isLoopbackHost(host))
            r.addError(QStringLiteral("query_token"),
                       QStringLiteral("required because http.host %1 is not a loopback address; "
                                      "set a token reference or \"require_query_token\": false")
                           .arg(JsonFieldReader::describe(host)));
    }
    r.reportUnknownKeys();
}

void readRateLimit(JsonFieldReader r, RateLimitConfig& c)
{
    r.readBool(QStringLiteral("enabled"), c.enabled);
    r.readDouble(QStringLiteral("rate_per_second"), c.ratePerSecond, 0.0, 1e6, true);
    r.readDouble(QStringLiteral("burst"), c.burst, 1.0, 1e9);
    r.readInt(QStringLiteral("max_clients"), c.maxClients, 1, 100'000'000);
    r.readDouble(QStringLiteral("client_rate_per_second"), c.clientRatePerSecond, 0.0, 1e6);
    r.readDouble(QStringLiteral("client_burst"), c.clientBurst, 1.0, 1e9);
    r.readInt(QStringLiteral("ipv6_prefix_length"), c.ipv6PrefixLength, 32, 128);
    r.reportUnknownKeys();
}

void readCorpus(JsonFieldReader r, CorpusConfig& c)
{
    r.readString(QStringLiteral("path"), c.path);
    const bool chunkOk = r.readInt(QStringLiteral("chunk_chars"), c.chunkChars, 64, 65536);
    const bool overlapOk = r.readInt(QStringLiteral("overlap_chars"), c.overlapChars, 0, 65535);
    if (chunkOk && overlapOk && c.overlapChars >= c.chunkChars)
        r.addError(QStringLiteral("overlap_chars"),
                   QStringLiteral("must be less than corpus.chunk_chars (%1), got %2")
                       .arg(c.chunkChars)
                       .arg(c.overlapChars));
    r.readInt64(QStringLiteral("max_file_bytes"), c.maxFileBytes, 1024, kGiB);
    r.readString(QStringLiteral("index_dir"), c.indexDir);
    r.reportUnknownKeys();
}

void readOllama(JsonFieldReader r, OllamaConfig& c, bool active, const QString& owner)
{
    r.readUrl(QStringLiteral("url"), c.url);
    const bool modelOk = r.readString(QStringLiteral("model"), c.model, 256);
    if (modelOk && active && c.model.trimmed().isEmpty())
        r.addError(QStringLiteral("model"),
                   QStringLiteral("required when %1.kind is \"ollama\"").arg(owner));
    r.readInt(QStringLiteral("timeout_ms"), c.timeoutMs, 1, kMaxTimeoutMs);
    r.readInt(QStringLiteral("retries"), c.retries, 0, kMaxRetries);
    r.reportUnknownKeys();
}

void readEmbedder(JsonFieldReader r, EmbedderConfig& c)
{
    const bool kindOk = r.readEnum(QStringLiteral("kind"), c.kind,
                                   {QStringLiteral("hashing"), QStringLiteral("ollama")});
    r.readInt(QStringLiteral("dimension"), c.dimension, 8, 4096);
    r.readInt(QStringLiteral("cache_entries"), c.cacheEntries, 0, 10'000'000);
    readOllama(r.section(QStringLiteral("ollama")), c.ollama,
               kindOk && c.kind == QLatin1String("ollama"), QStringLiteral("embedder"));
    r.reportUnknownKeys();
}

void readOpenAI(JsonFieldReader r, OpenAIConfig& c, bool active)
{
    r.readUrl(QStringLiteral("url"), c.url);
    const bool modelOk = r.readString(QStringLiteral("model"), c.model, 256);
    if (modelOk && active && c.model.trimmed().isEmpty())
        r.addError(QStringLiteral("model"),
                   QStringLiteral("required when generator.kind is \"openai\""));
    const bool keyOk = r.readSecret(QStringLiteral("api_key"), c.apiKey);
    if (keyOk && active && !c.apiKey.isSet())
        r.addError(QStringLiteral("api_key"),
                   QStringLiteral("a secret reference is required when generator.kind is "
                                  "\"openai\", e.g. {\"env\": \"OPENAI_API_KEY\"}"));
    r.readInt(QStringLiteral("timeout_ms"), c.timeoutMs, 1, kMaxTimeoutMs);
    r.readInt(QStringLiteral("retries"), c.retries, 0, kMaxRetries);
    r.readDouble(QStringLiteral("temperature"), c.temperature, 0.0, 2.0);
    r.readInt(QStringLiteral("max_tokens"), c.maxTokens, 1, 1'000'000);
    r.reportUnknownKeys();
}

void readLatency(JsonFieldReader r, LatencyConfig& c)
{
    r.readBool(QStringLiteral("enabled"), c.enabled);
    r.readEnum(QStringLiteral("distribution"), c.distribution,
               {QStringLiteral("fixed"), QStringLiteral("uniform"), QStringLiteral("lognormal")});
    r.readDouble(QStringLiteral("mean_ms"), c.meanMs, 0.0, 600'000.0);
    r.readDouble(QStringLiteral("spread_ms"), c.spreadMs, 0.0, 600'000.0);
    r.reportUnknownKeys();
}

void readGenerator(JsonFieldReader r, GeneratorConfig& c)
{
    const bool kindOk = r.readEnum(
        QStringLiteral("kind"), c.kind,
        {QStringLiteral("extractive"), QStringLiteral("ollama"), QStringLiteral("openai")});
    r.readInt(QStringLiteral("max_sentences"), c.maxSentences, 1, 20);
    readOllama(r.section(QStringLiteral("ollama")), c.ollama,
               kindOk && c.kind == QLatin1String("ollama"), QStringLiteral("generator"));
    readOpenAI(r.section(QStringLiteral("openai")), c.openai,
               kindOk && c.kind == QLatin1String("openai"));
    readLatency(r.section(QStringLiteral("latency")), c.latency);
    r.reportUnknownKeys();
}

void readQueue(JsonFieldReader r, QueueConfig& c)
{
    r.readInt(QStringLiteral("concurrency"), c.concurrency, 1, 1024);
    r.readInt(QStringLiteral("capacity"), c.capacity, 0, 1'000'000);
    r.readInt(QStringLiteral("retry_after_seconds"), c.retryAfterSeconds, 1, 3600);
    r.reportUnknownKeys();
}

void readRetrieval(JsonFieldReader r, RetrievalConfig& c)
{
    r.readInt(QStringLiteral("default_top_k"), c.defaultTopK, 1, 20);
    r.readInt(QStringLiteral("hnsw_m"), c.hnswM, 2, 100);
    r.readInt(QStringLiteral("ef_construction"), c.efConstruction, 1, 10000);
    r.readInt(QStringLiteral("ef_search"), c.efSearch, 1, 10000);
    r.reportUnknownKeys();
}

void readRedis(JsonFieldReader r, RedisConfig& c)
{
    if (r.readString(QStringLiteral("url"), c.url, 1024) && !c.url.isEmpty()) {
        const auto parsed = RedisAddressParser::parseUrl(c.url);
        if (!parsed.ok()) {
            r.addError(QStringLiteral("url"), parsed.error);
            c.url.clear();
        }
    }
    if (r.readString(QStringLiteral("sentinels"), c.sentinels) && !c.sentinels.isEmpty()) {
        const auto parsed = RedisAddressParser::parseList(c.sentinels, 26379);
        if (!parsed.ok()) {
            r.addError(QStringLiteral("sentinels"), parsed.error);
            c.sentinels.clear();
        }
    }
    r.readString(QStringLiteral("master_name"), c.masterName, 256);
    if (!c.url.isEmpty() && !c.sentinels.isEmpty())
        r.addError(QStringLiteral("url"),
                   QStringLiteral("set either url or sentinels (with master_name), not both"));
    if (!c.sentinels.isEmpty() && c.masterName.trimmed().isEmpty())
        r.addError(QStringLiteral("master_name"),
                   QStringLiteral("required with sentinels: the name Sentinel monitors"));
    r.readInt(QStringLiteral("db"), c.db, 0, RedisAddressParser::kMaxDb);
    r.readSecret(QStringLiteral("password"), c.password);
    r.readSecret(QStringLiteral("sentinel_password"), c.sentinelPassword);
    if (c.sentinelPassword.isSet() && c.sentinels.isEmpty())
        r.addError(QStringLiteral("sentinel_password"),
                   QStringLiteral("only with sentinels: the password the sentinels require"));
    r.readInt(QStringLiteral("connect_timeout_ms"), c.connectTimeoutMs, 1, 60000);
    r.readInt(QStringLiteral("command_timeout_ms"), c.commandTimeoutMs, 1, 60000);
    r.readInt(QStringLiteral("pool_size"), c.poolSize, 1, 1024);
    QString prefix = c.keyPrefix;
    if (r.readString(QStringLiteral("key_prefix"), prefix, 64)) {
        static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9_.-]+$"));
        if (allowed.match(prefix).hasMatch())
            c.keyPrefix = prefix;
        else
            r.addError(QStringLiteral("key_prefix"),
                       QStringLiteral("must be 1 to 64 letters, digits, '_', '.' or '-', got %1")
                           .arg(JsonFieldReader::describe(prefix)));
    }
    r.readInt(QStringLiteral("stream_max_length"), c.streamMaxLength, 100, 100'000'000);
    r.readInt(QStringLiteral("rebuild_timeout_ms"), c.rebuildTimeoutMs, 0, kMaxTimeoutMs);
    r.reportUnknownKeys();
}

void readCache(JsonFieldReader r, CacheConfig& c)
{
    r.readBool(QStringLiteral("enabled"), c.enabled);
    r.readBool(QStringLiteral("semantic"), c.semantic);
    r.readDouble(QStringLiteral("similarity_threshold"), c.similarityThreshold, 0.0, 1.0, true);
    r.readInt64(QStringLiteral("ttl_seconds"), c.ttlSeconds, 1, kNoUpperLimit);
    r.readInt64(QStringLiteral("max_bytes"), c.maxBytes, 1024 * 1024, kNoUpperLimit);
    readRedis(r.section(QStringLiteral("redis")), c.redis);
    r.reportUnknownKeys();
}

void readLogging(JsonFieldReader r, LoggingConfig& c)
{
    r.readEnum(QStringLiteral("level"), c.level,
               {QStringLiteral("trace"), QStringLiteral("debug"), QStringLiteral("info"),
                QStringLiteral("warn"), QStringLiteral("error"), QStringLiteral("critical"),
                QStringLiteral("off")});
    r.readEnum(QStringLiteral("format"), c.format,
               {QStringLiteral("text"), QStringLiteral("json")});
    r.readBool(QStringLiteral("log_queries"), c.logQueries);
    r.readString(QStringLiteral("file"), c.file);
    r.reportUnknownKeys();
}

} // namespace

void ServiceConfigReader::read(JsonFieldReader root, ServiceConfig& c)
{
    if (root.has(QStringLiteral("version"))) {
        int version = ConfigLoader::kVersion;
        if (root.readInt(QStringLiteral("version"), version, 1, 1'000'000) &&
            version != ConfigLoader::kVersion)
            root.addError(QStringLiteral("version"),
                          QStringLiteral("unsupported config version %1; this QueryDeck reads "
                                         "version %2")
                              .arg(version)
                              .arg(ConfigLoader::kVersion));
    }
    for (const QString& reserved : kReservedSections)
        root.ignore(reserved);

    readHttp(root.section(QStringLiteral("http")), c.http);
    readAuth(root.section(QStringLiteral("auth")), c.auth, c.http.host);
    readRateLimit(root.section(QStringLiteral("rate_limit")), c.rateLimit);
    readCorpus(root.section(QStringLiteral("corpus")), c.corpus);
    readEmbedder(root.section(QStringLiteral("embedder")), c.embedder);
    readGenerator(root.section(QStringLiteral("generator")), c.generator);
    readQueue(root.section(QStringLiteral("queue")), c.queue);
    readRetrieval(root.section(QStringLiteral("retrieval")), c.retrieval);
    readCache(root.section(QStringLiteral("cache")), c.cache);
    readLogging(root.section(QStringLiteral("logging")), c.logging);
    root.reportUnknownKeys();
}

} // namespace querydeck
