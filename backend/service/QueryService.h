#pragma once

#include "backend/service/ServiceConfig.h"
#include "backend/service/ServiceMetrics.h"
#include "backend/service/ServiceState.h"

#include <QString>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace querydeck {

class ActiveUsers;
class ApiHandler;
class GenerationQueue;
class HttpServer;
class QueryPipeline;
class ClientRateLimiter;
class RedisCacheSync;
class RedisPool;
class RedisStore;
class SentinelClient;
class SharedActiveUsers;
class Retriever;
class SecretStore;
class SemanticCache;
class ServiceMetrics;

// One instance of the query service: the pipeline, its HTTP API and its
// lifecycle (starting → ready → draining). `querydeck serve` runs one
// headless; the console embeds one in local dev mode. Controlled from one
// thread; the HTTP side runs on HttpServer's threads and the corpus index is
// built on a background thread so /health and /ready answer during start-up.
class QueryService
{
public:
    QueryService(ServiceConfig config, std::shared_ptr<SecretStore> secrets);
    ~QueryService();
    QueryService(const QueryService&) = delete;
    QueryService& operator=(const QueryService&) = delete;

    // Builds the parts and starts listening; the corpus is indexed in the
    // background (phase Starting until done). Returns an error, empty on success.
    QString start();
    // No HTTP: builds everything and indexes the corpus before returning.
    QString startInProcess();

    bool waitUntilReady(std::chrono::milliseconds timeout) const;
    // Phase Draining: /ready answers 503, new queries 503 + Retry-After,
    // requests already in flight complete.
    void drain(const QString& why);
    // Waits until no request is in flight (other than the caller's own).
    bool waitForIdle(std::chrono::milliseconds timeout) const;
    // Stops listening, closes the queue and joins every thread.
    void stop();

    // Called (on a worker thread) when POST /admin/drain was accepted.
    void setDrainListener(std::function<void()> listener) { m_drainListener = std::move(listener); }

    const ServiceConfig& config() const { return m_config; }
    QString replicaId() const { return m_replicaId; }
    int port() const;
    QString address() const;
    ServiceState& state() const { return *m_state; }
    QueryPipeline& pipeline() const { return *m_pipeline; }
    ServiceMetrics& metrics() const { return *m_metrics; }
    // Brings the registry's gauges up to date, for in-process collection
    // (the console reads the registry directly, without HTTP).
    void refreshMetrics();
    SemanticCache& cache() const { return *m_cache; }
    // The shared Redis store, when cache.redis is configured; else null.
    RedisStore* redisStore() const { return m_redisStore.get(); }

private:
    QString buildParts();
    QString buildIndex();
    QString buildRedis();
    QString cacheDegradation() const;
    QByteArray infoBody() const;
    ServiceMetrics::Snapshot snapshot() const;

    ServiceConfig m_config;
    std::shared_ptr<SecretStore> m_secrets;
    QString m_replicaId;
    std::shared_ptr<ServiceState> m_state;
    std::shared_ptr<ServiceMetrics> m_metrics;
    std::shared_ptr<Retriever> m_retriever;
    std::shared_ptr<SemanticCache> m_cache;
    std::shared_ptr<RedisPool> m_redisPool;
    std::shared_ptr<RedisStore> m_redisStore;
    std::shared_ptr<SentinelClient> m_sentinel;
    std::unique_ptr<RedisCacheSync> m_cacheSync;
    std::shared_ptr<SharedActiveUsers> m_sharedUsers;
    std::shared_ptr<GenerationQueue> m_queue;
    std::shared_ptr<ClientRateLimiter> m_rateLimiter;
    std::shared_ptr<ActiveUsers> m_activeUsers;
    std::shared_ptr<QueryPipeline> m_pipeline;
    std::unique_ptr<ApiHandler> m_api;
    std::atomic<ApiHandler*> m_apiHandler{nullptr}; // published to workers once built
    std::unique_ptr<HttpServer> m_server;
    std::thread m_indexer;
    std::function<void()> m_drainListener;
    QString m_embedderId;
    QString m_generatorName;
};

} // namespace querydeck
