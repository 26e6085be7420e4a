#pragma once

#include "service/RateLimitKey.h"
#include "service/ServiceMetrics.h"

#include <QByteArray>
#include <functional>
#include <memory>

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
// called on civetweb worker threads.
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

private:
    void handleQuery(HttpExchange& exchange, const QByteArray& requestId);
    void handleDrain(HttpExchange& exchange);
    void sendError(HttpExchange& exchange, const ApiError& error, bool closeConnection = false);
    bool bearerMatches(HttpExchange& exchange, const QByteArray& expected) const;

    ApiSettings m_settings;
    Parts m_parts;
    QByteArray m_queryCredential; // RateLimitKeys::credentialOf(query token); empty: tokens off
};

} // namespace querydeck
