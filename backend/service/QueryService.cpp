#include "backend/service/QueryService.h"

#include "backend/cache/MemoryStore.h"
#include "backend/cache/RedisCacheSync.h"
#include "backend/cache/RedisStore.h"
#include "backend/cache/SemanticCache.h"
#include "backend/common/Version.h"
#include "backend/redis/RedisPool.h"
#include "backend/redis/SentinelClient.h"
#include "backend/retrieval/Embedder.h"
#include "backend/retrieval/Generator.h"
#include "backend/retrieval/Retriever.h"
#include "backend/secrets/SecretStore.h"
#include "backend/service/ActiveUsers.h"
#include "backend/service/ApiHandler.h"
#include "backend/service/ClientRateLimiter.h"
#include "backend/service/GenerationQueue.h"
#include "backend/service/HttpExchange.h"
#include "backend/service/HttpServer.h"
#include "backend/service/PipelineFactory.h"
#include "backend/service/QueryPipeline.h"
#include "backend/service/ServiceMetrics.h"
#include "backend/service/SharedActiveUsers.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

bool isLoopback(const QString& host)
{
    const QHostAddress address(host);
    return address.isLoopback();
}

} // namespace

QueryService::QueryService(ServiceConfig config, std::shared_ptr<SecretStore> secrets)
    : m_config(std::move(config))
    , m_secrets(std::move(secrets))
    , m_state(std::make_shared<ServiceState>())
{
}

QueryService::~QueryService()
{
    stop();
}

QString QueryService::buildParts()
{
    PipelineFactory::Made made = PipelineFactory::make(m_config, *m_secrets);
    if (!made.error.isEmpty())
        return made.error;
    m_embedderId = made.embedder->id();
    m_generatorName = made.generator->name();

    const RetrievalConfig& r = m_config.retrieval;
    IndexOptions indexOptions;
    indexOptions.m = r.hnswM;
    indexOptions.efConstruction = r.efConstruction;
    indexOptions.efSearch = r.efSearch;
    m_retriever = std::make_shared<Retriever>(made.embedder, indexOptions);

    std::shared_ptr<CacheStore> store;
    if (m_config.cache.redis.isSet()) {
        if (QString error = buildRedis(); !error.isEmpty())
            return error;
        store = m_redisStore;
    } else {
        store = std::make_shared<MemoryStore>(m_config.cache.maxBytes);
    }
    m_cache = std::make_shared<SemanticCache>(store, m_config.cache, made.embedder->dimension(),
                                              QByteArray(), systemClock(),
                                              SemanticCache::recommendedIndexOptions());
    if (m_redisStore) {
        m_cacheSync = std::make_unique<RedisCacheSync>(
            m_redisPool, m_redisStore, m_cache,
            std::chrono::milliseconds(m_config.cache.redis.rebuildTimeoutMs));
        if (m_sentinel)
            m_sentinel->startWatching([pool = m_redisPool.get(), sync = m_cacheSync.get()](
                                          const RedisAddress&, const QString& why) {
                pool->masterChanged(why);
                sync->masterChanged();
            });
        m_state->setCacheProbe([this] { return cacheDegradation(); });
    }
    m_queue =
        std::make_shared<GenerationQueue>(m_config.queue.concurrency, m_config.queue.capacity);
    m_rateLimiter = std::make_shared<ClientRateLimiter>(m_config.rateLimit);
    m_activeUsers = std::make_shared<ActiveUsers>(std::chrono::minutes(5), 100000);
    if (m_redisPool) {
        m_sharedUsers = std::make_shared<SharedActiveUsers>(
            m_redisPool, m_config.cache.redis.keyPrefix.toUtf8());
        m_activeUsers->setObserver(
            [shared = m_sharedUsers](const QString& client) { shared->record(client); });
    }
    m_metrics = std::make_shared<ServiceMetrics>(m_replicaId, QString::fromLatin1(kVersion));

    QueryPipeline::Parts parts;
    parts.embedder = made.embedder;
    parts.retriever = m_retriever;
    parts.generator = made.generator;
    parts.cache = m_cache;
    parts.queue = m_queue;
    parts.metrics = m_metrics;
    parts.replicaId = m_replicaId;
    parts.timeout = std::chrono::milliseconds(m_config.http.requestTimeoutMs);
    parts.retryAfterSeconds = m_config.queue.retryAfterSeconds;
    m_pipeline = std::make_shared<QueryPipeline>(std::move(parts));
    return {};
}

QString QueryService::buildRedis()
{
    const RedisConfig& rc = m_config.cache.redis;
    RedisEndpoint endpoint;
    endpoint.connectTimeoutMs = rc.connectTimeoutMs;
    endpoint.commandTimeoutMs = rc.commandTimeoutMs;
    if (rc.password.isSet()) {
        const SecretResult password = m_secrets->read(rc.password);
        if (!password.ok())
            return QStringLiteral("cache.redis.password: %1").arg(password.error);
        endpoint.password = password.value.toUtf8();
    }
    std::shared_ptr<MasterLocator> locator;
    if (!rc.url.isEmpty()) {
        const auto parsed = RedisAddressParser::parseUrl(rc.url);
        if (!parsed.ok())
            return QStringLiteral("cache.redis.url: %1").arg(parsed.error);
        endpoint.address = parsed.address;
        locator = std::make_shared<FixedMasterLocator>(parsed.address);
    } else {
        const auto sentinels = RedisAddressParser::parseList(rc.sentinels, 26379);
        if (!sentinels.ok())
            return QStringLiteral("cache.redis.sentinels: %1").arg(sentinels.error);
        if (rc.masterName.trimmed().isEmpty())
            return QStringLiteral("cache.redis.master_name: required with sentinels");
        endpoint.address.db = rc.db;
        RedisEndpoint sentinel = endpoint;
        sentinel.password.clear(); // the data servers' password is never sent to sentinels
        if (rc.sentinelPassword.isSet()) {
            const SecretResult password = m_secrets->read(rc.sentinelPassword);
            if (!password.ok())
                return QStringLiteral("cache.redis.sentinel_password: %1").arg(password.error);
            sentinel.password = password.value.toUtf8();
        }
        m_sentinel = std::make_shared<SentinelClient>(sentinels.addresses, rc.masterName, sentinel,
                                                      endpoint);
        locator = m_sentinel;
    }
    RedisPoolOptions pool;
    pool.endpoint = endpoint;
    pool.maxIdle = rc.poolSize;
    m_redisPool = std::make_shared<RedisPool>(locator, pool);
    RedisStore::Options options;
    options.prefix = rc.keyPrefix.toUtf8();
    options.fallbackMaxBytes = m_config.cache.maxBytes;
    options.streamMaxLength = rc.streamMaxLength;
    m_redisStore = std::make_shared<RedisStore>(m_redisPool, options);
    // Redis being away is no reason not to serve: start degraded and say so.
    const RedisReply ping = m_redisPool->run({"PING"});
    if (ping.ok())
        spdlog::info("[cache] shared cache in redis at {}", m_redisPool->describe().toStdString());
    else
        spdlog::error("[cache] redis ({}) unavailable, serving from memory until it answers: {}",
                      m_redisPool->describe().toStdString(), ping.errorText().toStdString());
    return {};
}

QString QueryService::cacheDegradation() const
{
    if (!m_redisPool)
        return {};
    // An outage ends when a command gets through; the probe makes one
    // (failing at once while the pool backs off), so /ready recovers even
    // without traffic.
    if (!m_redisPool->available() && !m_redisPool->run({"PING"}).ok())
        return QStringLiteral("redis unavailable (%1); answers are cached in this replica's "
                              "memory until it returns")
            .arg(m_redisPool->lastError());
    if (m_cacheSync && m_cacheSync->rebuilding())
        return QStringLiteral("semantic index rebuilding from redis (%1 entries so far); "
                              "exact tier only")
            .arg(m_cacheSync->rebuiltEntries());
    return {};
}

QString QueryService::buildIndex()
{
    m_state->setPhase(ServiceState::Phase::Starting, QStringLiteral("indexing corpus"));
    const RetrieverBuildReport report = m_retriever->build(m_config.corpus);
    if (!report.ok()) {
        m_state->setPhase(ServiceState::Phase::Failed,
                          QStringLiteral("corpus: %1").arg(report.error));
        spdlog::error("[service] corpus index failed: {}", report.error.toStdString());
        return report.error;
    }
    // Answers are only valid for the corpus they were made from.
    m_cache->setNamespace(report.corpusHash);
    if (m_cacheSync)
        m_cacheSync->start();
    spdlog::info("[service] corpus ready: {} documents, {} chunks, {} skipped, {} in {:.2f} s",
                 report.documents, report.chunks, report.skipped.size(),
                 report.loadedFromDisk ? "index loaded" : "embedded", report.seconds);
    if (m_state->phase() == ServiceState::Phase::Starting)
        m_state->setPhase(ServiceState::Phase::Ready);
    return {};
}

QString QueryService::startInProcess()
{
    if (m_replicaId.isEmpty())
        m_replicaId = m_config.http.replicaId.isEmpty() ? QStringLiteral("in-process")
                                                        : m_config.http.replicaId;
    if (QString error = buildParts(); !error.isEmpty())
        return error;
    return buildIndex();
}

QString QueryService::start()
{
    const HttpConfig& http = m_config.http;
    ApiSettings settings;
    settings.maxBodyBytes = http.maxBodyBytes;
    settings.retryAfterSeconds = m_config.queue.retryAfterSeconds;
    settings.defaultTopK = m_config.retrieval.defaultTopK;
    settings.logQueries = m_config.logging.logQueries;
    QString proxiesError;
    const std::optional<AddressRanges> trustedProxies =
        AddressRanges::parse(http.trustedProxies, &proxiesError);
    if (!trustedProxies)
        return QStringLiteral("http.trusted_proxies%1").arg(proxiesError);
    settings.rateLimitKeys = RateLimitKeys(*trustedProxies, m_config.rateLimit.ipv6PrefixLength);
    settings.requireQueryToken = m_config.auth.requireQueryToken.value_or(!isLoopback(http.host));
    if (m_config.auth.queryToken.isSet()) {
        const SecretResult token = m_secrets->read(m_config.auth.queryToken);
        if (!token.ok())
            return QStringLiteral("auth.query_token: %1").arg(token.error);
        settings.queryToken = token.value.toUtf8();
    }
    if (settings.requireQueryToken && settings.queryToken.isEmpty())
        return QStringLiteral(
                   "auth.query_token: a query token is required when listening on %1 "
                   "(not loopback); set auth.query_token or auth.require_query_token=false")
            .arg(http.host);
    if (m_config.auth.adminToken.isSet()) {
        const SecretResult token = m_secrets->read(m_config.auth.adminToken);
        if (!token.ok())
            return QStringLiteral("auth.admin_token: %1").arg(token.error);
        settings.adminToken = token.value.toUtf8();
    }

    // The replica id names the port, so it is fixed before binding when the
    // port is known and after binding when the OS picks it.
    m_replicaId = http.replicaId;
    if (m_replicaId.isEmpty() && http.port != 0)
        m_replicaId = QStringLiteral("%1:%2").arg(QHostInfo::localHostName()).arg(http.port);

    ApiHandler::Parts api;
    api.state = m_state;
    api.info = [this] { return infoBody(); };
    api.drainRequested = [this] {
        drain(QStringLiteral("drain requested through /admin/drain"));
        if (m_drainListener)
            m_drainListener();
    };
    // Requests that arrive before the parts exist (the OS-chosen-port case)
    // are told we are starting.
    const auto starting = [](HttpExchange& exchange) {
        exchange.respond(503, "application/json",
                         R"({"error":{"code":"not_ready","message":"starting"}})",
                         {{"Retry-After", "1"}});
    };
    m_server = std::make_unique<HttpServer>([this, starting](HttpExchange& exchange) {
        if (ApiHandler* handler = m_apiHandler.load(std::memory_order_acquire))
            handler->handle(exchange);
        else
            starting(exchange);
    });
    HttpServerOptions options;
    options.host = http.host;
    options.port = http.port;
    options.threads = http.threads;
    options.requestTimeoutMs = http.requestTimeoutMs;
    options.keepAliveTimeoutMs = http.keepAliveTimeoutMs;
    options.ioThreads = http.ioThreads;
    options.headerTimeoutMs = http.headerTimeoutMs;
    options.bodyTimeoutMs = http.bodyTimeoutMs;
    options.maxBodyBytes = http.maxBodyBytes;
    options.maxConnections = http.maxConnections;
    options.maxConnectionsPerAddress = http.maxConnectionsPerAddress;
    // The fleet's nginx reaches the replicas from one trusted address.
    if (!trustedProxies->isEmpty())
        options.exemptFromAddressLimit = [proxies = *trustedProxies](QByteArrayView address) {
            return proxies.contains(QHostAddress(QString::fromLatin1(address)));
        };
    // Liveness, readiness and exact hits in memory never block (no Redis, no
    // queue): answered on the I/O threads, even while every handler thread
    // waits, and without a hand-off.
    options.inlineHandler = [this, starting](HttpExchange& exchange) {
        if (ApiHandler* handler = m_apiHandler.load(std::memory_order_acquire))
            return handler->handleWithoutBlocking(exchange);
        starting(exchange);
        return true;
    };
    // Each connection is a file descriptor; 1024, a common soft limit, would
    // cap the connections far below http.max_connections.
    const std::uint64_t openFiles = HttpServer::raiseOpenFileLimit();
    spdlog::info("[service] open file limit {} (http.max_connections {})", openFiles,
                 http.maxConnections);
    if (openFiles < std::uint64_t(http.maxConnections) + 64)
        spdlog::warn("[service] the open file limit {} is below http.max_connections {}: "
                     "connections beyond it fail at accept; raise LimitNOFILE / ulimit -Hn",
                     openFiles, http.maxConnections);
    if (QString error = m_server->start(options); !error.isEmpty())
        return error;
    if (m_replicaId.isEmpty())
        m_replicaId = QStringLiteral("%1:%2").arg(QHostInfo::localHostName()).arg(m_server->port());

    if (QString error = buildParts(); !error.isEmpty()) {
        m_server->stop();
        return error;
    }
    api.pipeline = m_pipeline;
    api.metrics = m_metrics;
    api.rateLimiter = m_rateLimiter;
    api.activeUsers = m_activeUsers;
    api.snapshot = [this] { return snapshot(); };
    m_api = std::make_unique<ApiHandler>(settings, std::move(api));
    m_apiHandler.store(m_api.get(), std::memory_order_release);

    spdlog::info("[service] replica {} listening on {} ({} handler threads)",
                 m_replicaId.toStdString(), address().toStdString(), http.threads);
    m_indexer = std::thread([this] { buildIndex(); });
    return {};
}

ServiceMetrics::Snapshot QueryService::snapshot() const
{
    ServiceMetrics::Snapshot s;
    const CacheStoreStats stats = m_cache->storeStats();
    // Per replica: this replica's memory tier; the shared Redis database is
    // the same for every replica, so it is exported apart (max, never sum).
    s.cacheEntries = double(stats.entries - stats.sharedEntries.value_or(0));
    if (stats.sharedEntries)
        s.fleetCacheEntries = double(*stats.sharedEntries);
    s.cacheBytes = double(stats.bytes);
    s.cacheEvictionsTotal = double(stats.evictions);
    s.queueDepth = m_queue->depth();
    s.generationInFlight = m_queue->inFlight();
    s.generationRejectedTotal = double(m_queue->rejected());
    s.activeUsers = m_activeUsers->count();
    if (m_sharedUsers) {
        if (const auto shared = m_sharedUsers->count())
            s.fleetActiveUsers = double(*shared);
    }
    s.ready = m_state->phase() == ServiceState::Phase::Ready;
    if (m_server) {
        const HttpServerStats http = m_server->stats();
        s.httpConnectionsOpen = double(http.open);
        s.httpRefusedGlobalTotal = double(http.refusedGlobalLimit);
        s.httpRefusedAddressTotal = double(http.refusedAddressLimit);
        s.httpTimedOutHeaderTotal = double(http.timedOutHeader);
        s.httpTimedOutBodyTotal = double(http.timedOutBody);
        s.httpTimedOutWriteTotal = double(http.timedOutWrite);
        s.httpTimedOutIdleTotal = double(http.timedOutIdle);
    }
    if (m_redisStore) {
        s.cacheFallbacksTotal = double(m_redisStore->fallbacks());
        s.cacheDegraded = !cacheDegradation().isEmpty();
    }
    return s;
}

void QueryService::refreshMetrics()
{
    m_metrics->update(snapshot());
}

bool QueryService::waitUntilReady(std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto phase = m_state->phase();
        if (phase == ServiceState::Phase::Ready)
            return true;
        if (phase == ServiceState::Phase::Failed || std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void QueryService::drain(const QString& why)
{
    if (m_state->phase() == ServiceState::Phase::Draining)
        return;
    spdlog::info("[service] draining: {} ({} requests in flight)", why.toStdString(),
                 m_state->inFlight());
    m_state->setPhase(ServiceState::Phase::Draining, why);
}

bool QueryService::waitForIdle(std::chrono::milliseconds timeout) const
{
    return m_state->waitForIdle(timeout);
}

void QueryService::stop()
{
    if (m_server)
        m_server->stop();
    if (m_queue)
        m_queue->close();
    if (m_indexer.joinable())
        m_indexer.join();
    if (m_sentinel)
        m_sentinel->stopWatching();
    if (m_cacheSync)
        m_cacheSync->stop();
}

int QueryService::port() const
{
    return m_server ? m_server->port() : 0;
}

QString QueryService::address() const
{
    const QHostAddress host(m_config.http.host);
    const QString h = host.protocol() == QAbstractSocket::IPv6Protocol
                          ? QStringLiteral("[%1]").arg(m_config.http.host)
                          : m_config.http.host;
    return QStringLiteral("http://%1:%2").arg(h).arg(port());
}

QByteArray QueryService::infoBody() const
{
    const CacheStoreStats stats = m_cache->storeStats();
    const CacheConfig& c = m_config.cache;
    QJsonObject cache{{QStringLiteral("store"), m_cache->storeName()},
                      {QStringLiteral("enabled"), c.enabled},
                      {QStringLiteral("semantic"), c.semantic},
                      {QStringLiteral("similarity_threshold"), c.similarityThreshold},
                      {QStringLiteral("ttl_seconds"), double(c.ttlSeconds)},
                      {QStringLiteral("max_bytes"), double(c.maxBytes)},
                      {QStringLiteral("entries"), double(stats.entries)},
                      {QStringLiteral("bytes"), double(stats.bytes)}};
    if (m_redisPool) {
        cache.insert(QStringLiteral("redis"), m_redisPool->describe());
        cache.insert(QStringLiteral("redis_available"), m_redisPool->available());
        // Read after storeStats() above, whose DBSIZE went through the pool
        // and so located the master if it was not known: this is the server
        // this replica's cache traffic goes to now (a failover drill checks it).
        cache.insert(QStringLiteral("redis_master"), m_redisPool->currentMaster());
        cache.insert(QStringLiteral("redis_fallbacks"), double(m_redisStore->fallbacks()));
    }
    QJsonObject corpus{{QStringLiteral("documents"), m_retriever->documentCount()},
                       {QStringLiteral("chunks"), m_retriever->chunkCount()},
                       {QStringLiteral("hash"), QString::fromLatin1(m_retriever->corpusHash())},
                       {QStringLiteral("source"), m_config.corpus.path.isEmpty()
                                                      ? QStringLiteral("bundled")
                                                      : m_config.corpus.path}};
    QJsonObject info{
        {QStringLiteral("name"), QStringLiteral("querydeck")},
        {QStringLiteral("version"), QString::fromLatin1(kVersion)},
        {QStringLiteral("replica"), m_replicaId},
        {QStringLiteral("status"), QString::fromLatin1(ServiceState::phaseName(m_state->phase()))},
        {QStringLiteral("corpus"), corpus},
        {QStringLiteral("cache"), cache},
        {QStringLiteral("embedder"), m_embedderId},
        {QStringLiteral("generator"), m_generatorName},
        {QStringLiteral("queue"),
         QJsonObject{{QStringLiteral("concurrency"), m_config.queue.concurrency},
                     {QStringLiteral("capacity"), m_config.queue.capacity}}},
        {QStringLiteral("rate_limit"),
         QJsonObject{{QStringLiteral("enabled"), m_config.rateLimit.enabled},
                     {QStringLiteral("rate_per_second"), m_config.rateLimit.ratePerSecond},
                     {QStringLiteral("burst"), m_config.rateLimit.burst}}}};
    return QJsonDocument(info).toJson(QJsonDocument::Compact);
}

} // namespace querydeck
