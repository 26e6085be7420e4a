#include "backend/config/ConfigWriter.h"

#include "backend/config/ConfigLoader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace querydeck {

namespace {

QJsonObject ollamaToJson(const OllamaConfig& c)
{
    return {
        {QStringLiteral("url"), c.url},
        {QStringLiteral("model"), c.model},
        {QStringLiteral("timeout_ms"), c.timeoutMs},
        {QStringLiteral("retries"), c.retries},
    };
}

QJsonValue optionalToJson(const std::optional<bool>& value)
{
    return value.has_value() ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject ConfigWriter::redisToJson(const RedisConfig& redis)
{
    return QJsonObject{
        {QStringLiteral("url"), redis.url},
        {QStringLiteral("sentinels"), redis.sentinels},
        {QStringLiteral("master_name"), redis.masterName},
        {QStringLiteral("db"), redis.db},
        {QStringLiteral("password"), secretToJson(redis.password)},
        {QStringLiteral("sentinel_password"), secretToJson(redis.sentinelPassword)},
        {QStringLiteral("connect_timeout_ms"), redis.connectTimeoutMs},
        {QStringLiteral("command_timeout_ms"), redis.commandTimeoutMs},
        {QStringLiteral("pool_size"), redis.poolSize},
        {QStringLiteral("key_prefix"), redis.keyPrefix},
        {QStringLiteral("stream_max_length"), redis.streamMaxLength},
        {QStringLiteral("rebuild_timeout_ms"), redis.rebuildTimeoutMs},
    };
}

QJsonValue ConfigWriter::secretToJson(const SecretRef& ref)
{
    if (!ref.keychainKey.isEmpty())
        return QJsonObject{{QStringLiteral("keychain"), ref.keychainKey}};
    if (!ref.envVar.isEmpty())
        return QJsonObject{{QStringLiteral("env"), ref.envVar}};
    return QJsonValue::Null;
}

QByteArray ConfigWriter::toJson(const ServiceConfig& config)
{
    const HttpConfig& http = config.http;
    const AuthConfig& auth = config.auth;
    const RateLimitConfig& rate = config.rateLimit;
    const CorpusConfig& corpus = config.corpus;
    const EmbedderConfig& embedder = config.embedder;
    const GeneratorConfig& generator = config.generator;
    const OpenAIConfig& openai = generator.openai;
    const LatencyConfig& latency = generator.latency;
    const QueueConfig& queue = config.queue;
    const RetrievalConfig& retrieval = config.retrieval;
    const CacheConfig& cache = config.cache;
    const LoggingConfig& logging = config.logging;

    const QJsonObject root{
        {QStringLiteral("version"), ConfigLoader::kVersion},
        {QStringLiteral("http"),
         QJsonObject{
             {QStringLiteral("host"), http.host},
             {QStringLiteral("port"), http.port},
             {QStringLiteral("replica_id"), http.replicaId},
             {QStringLiteral("threads"), http.threads},
             {QStringLiteral("request_timeout_ms"), http.requestTimeoutMs},
             {QStringLiteral("keep_alive_timeout_ms"), http.keepAliveTimeoutMs},
             {QStringLiteral("max_body_bytes"), http.maxBodyBytes},
             {QStringLiteral("drain_timeout_ms"), http.drainTimeoutMs},
             {QStringLiteral("trusted_proxies"), QJsonArray::fromStringList(http.trustedProxies)},
             {QStringLiteral("io_threads"), http.ioThreads},
             {QStringLiteral("header_timeout_ms"), http.headerTimeoutMs},
             {QStringLiteral("body_timeout_ms"), http.bodyTimeoutMs},
             {QStringLiteral("max_connections"), http.maxConnections},
             {QStringLiteral("max_connections_per_address"), http.maxConnectionsPerAddress},
         }},
        {QStringLiteral("auth"),
         QJsonObject{
             {QStringLiteral("query_token"), secretToJson(auth.queryToken)},
             {QStringLiteral("admin_token"), secretToJson(auth.adminToken)},
             {QStringLiteral("require_query_token"), optionalToJson(auth.requireQueryToken)},
         }},
        {QStringLiteral("rate_limit"),
         QJsonObject{
             {QStringLiteral("enabled"), rate.enabled},
             {QStringLiteral("rate_per_second"), rate.ratePerSecond},
             {QStringLiteral("burst"), rate.burst},
             {QStringLiteral("max_clients"), rate.maxClients},
             {QStringLiteral("client_rate_per_second"), rate.clientRatePerSecond},
             {QStringLiteral("client_burst"), rate.clientBurst},
             {QStringLiteral("ipv6_prefix_length"), rate.ipv6PrefixLength},
         }},
        {QStringLiteral("corpus"),
         QJsonObject{
             {QStringLiteral("path"), corpus.path},
             {QStringLiteral("chunk_chars"), corpus.chunkChars},
             {QStringLiteral("overlap_chars"), corpus.overlapChars},
             {QStringLiteral("max_file_bytes"), corpus.maxFileBytes},
             {QStringLiteral("index_dir"), corpus.indexDir},
         }},
        {QStringLiteral("embedder"),
         QJsonObject{
             {QStringLiteral("kind"), embedder.kind},
             {QStringLiteral("dimension"), embedder.dimension},
             {QStringLiteral("cache_entries"), embedder.cacheEntries},
             {QStringLiteral("ollama"), ollamaToJson(embedder.ollama)},
         }},
        {QStringLiteral("generator"),
         QJsonObject{
             {QStringLiteral("kind"), generator.kind},
             {QStringLiteral("max_sentences"), generator.maxSentences},
             {QStringLiteral("ollama"), ollamaToJson(generator.ollama)},
             {QStringLiteral("openai"),
              QJsonObject{
                  {QStringLiteral("url"), openai.url},
                  {QStringLiteral("model"), openai.model},
                  {QStringLiteral("api_key"), secretToJson(openai.apiKey)},
                  {QStringLiteral("timeout_ms"), openai.timeoutMs},
                  {QStringLiteral("retries"), openai.retries},
                  {QStringLiteral("temperature"), openai.temperature},
                  {QStringLiteral("max_tokens"), openai.maxTokens},
              }},
             {QStringLiteral("latency"),
              QJsonObject{
                  {QStringLiteral("enabled"), latency.enabled},
                  {QStringLiteral("distribution"), latency.distribution},
                  {QStringLiteral("mean_ms"), latency.meanMs},
                  {QStringLiteral("spread_ms"), latency.spreadMs},
              }},
         }},
        {QStringLiteral("queue"),
         QJsonObject{
             {QStringLiteral("concurrency"), queue.concurrency},
             {QStringLiteral("capacity"), queue.capacity},
             {QStringLiteral("retry_after_seconds"), queue.retryAfterSeconds},
         }},
        {QStringLiteral("retrieval"),
         QJsonObject{
             {QStringLiteral("default_top_k"), retrieval.defaultTopK},
             {QStringLiteral("hnsw_m"), retrieval.hnswM},
             {QStringLiteral("ef_construction"), retrieval.efConstruction},
             {QStringLiteral("ef_search"), retrieval.efSearch},
         }},
        {QStringLiteral("cache"),
         QJsonObject{
             {QStringLiteral("enabled"), cache.enabled},
             {QStringLiteral("semantic"), cache.semantic},
             {QStringLiteral("similarity_threshold"), cache.similarityThreshold},
             {QStringLiteral("ttl_seconds"), cache.ttlSeconds},
             {QStringLiteral("max_bytes"), cache.maxBytes},
             {QStringLiteral("redis"), redisToJson(cache.redis)},
         }},
        {QStringLiteral("logging"),
         QJsonObject{
             {QStringLiteral("level"), logging.level},
             {QStringLiteral("format"), logging.format},
             {QStringLiteral("log_queries"), logging.logQueries},
             {QStringLiteral("file"), logging.file},
         }},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace querydeck
