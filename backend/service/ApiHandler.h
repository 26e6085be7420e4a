#pragma once

#include "backend/service/QueryRequest.h"
#include "backend/service/RateLimitKey.h"
#include "backend/service/ServiceMetrics.h"

#include <QByteArray>
#include <functional>
#include <memory>
#include <optional>

namespace querydeck {

class ActiveUsers;
class HttpExchange;
class QueryPipeline;
class ClientRateLimiter;
class ServiceState;
struct ApiError;

struct ApiSettings
{
    qint64 maxBodyBytes = 64 * 1024;
    bool requireQueryToken = false;
    QByteArray queryToken; // empty: none configured
    QByteArray adminToken; // empty: admin routes refuse everyone
    int retryAfterSeconds = 2;
    int defaultTopK = 4;
    bool logQueries = false;
    // Who a request is charged to (peer address or trusted proxies' X-Forwarded-For).
    RateLimitKeys rateLimitKeys;
};

// The routes of the HTTP API: method and auth checks, body limits,
// validation, rate limiting, then the query pipeline. Every answer, error or
// not, is JSON (except /metrics) and counted in the metrics. Thread-safe;
// handle() runs on the HTTP server's handler threads (it may block: queue,
// LLM, Redis), handleWithoutBlocking() on its I/O threads.
class ApiHandler
{
public:
    struct Parts
    {
        std::shared_ptr<QueryPipeline> pipeline;
        std::shared_ptr<ServiceMetrics> metrics;
        std::shared_ptr<ClientRateLimiter> rateLimiter;
        std::shared_ptr<ActiveUsers> activeUsers;
        std::shared_ptr<ServiceState> state;
        std::function<QByteArray()> info;                   // GET /v1/info body
        std::function<ServiceMetrics::Snapshot()> snapshot; // gauges for /metrics
        std::function<void()> drainRequested;               // POST /admin/drain accepted
    };

    ApiHandler(ApiSettings settings, Parts parts);

    void handle(HttpExchange& exchange);
    // Answers, and returns true, what needs no waiting: /health, /ready, and
    // /v1/query exact hits when the cache is in process memory. Otherwise
    // returns false having done nothing (no response, no metric, no rate
    // limit token): handle() then takes the request on a thread that may block.
    bool handleWithoutBlocking(HttpExchange& exchange);

private:
    struct ExactHit;

    void handle(HttpExchange& exchange, const ExactHit* hit);
    void handleQuery(HttpExchange& exchange, const QByteArray& requestId, const ExactHit* hit);
    // The /v1/query body, validated; nullopt when an error was sent.
    std::optional<QueryRequest> readQuery(HttpExchange& exchange);
    void handleDrain(HttpExchange& exchange);
    void sendError(HttpExchange& exchange, const ApiError& error, bool closeConnection = false);
    bool bearerMatches(HttpExchange& exchange, const QByteArray& expected) const;

    ApiSettings m_settings;
    Parts m_parts;
    QByteArray m_queryCredential; // RateLimitKeys::credentialOf(query token); empty: tokens off
};

} // namespace querydeck
