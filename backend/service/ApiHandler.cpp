#include "backend/service/ApiHandler.h"

#include "backend/cache/SemanticCache.h"
#include "backend/service/ActiveUsers.h"
#include "backend/service/ApiError.h"
#include "backend/service/ClientRateLimiter.h"
#include "backend/service/HttpExchange.h"
#include "backend/service/QueryPipeline.h"
#include "backend/service/QueryRequest.h"
#include "backend/service/RequestId.h"
#include "backend/service/ServiceState.h"

#include <cmath>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr QByteArrayView kJson = "application/json";

struct RouteInfo
{
    Route route;
    QByteArrayView allow;
};

RouteInfo routeFor(QByteArrayView path)
{
    if (path == "/v1/query")
        return {Route::Query, "POST"};
    if (path == "/health")
        return {Route::Health, "GET"};
    if (path == "/ready")
        return {Route::Ready, "GET"};
    if (path == "/metrics")
        return {Route::Metrics, "GET"};
    if (path == "/v1/info")
        return {Route::Info, "GET"};
    if (path == "/admin/drain")
        return {Route::Drain, "POST"};
    return {Route::Other, {}};
}

// Constant-time comparison, so response timing does not leak token prefixes.
bool equalTokens(QByteArrayView a, QByteArrayView b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const qsizetype n = qMin(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0 && !b.isEmpty();
}

} // namespace

// A /v1/query request already parsed and found in the exact tier.
struct ApiHandler::ExactHit
{
    QueryRequest request;
    CacheLookup lookup;
};

ApiHandler::ApiHandler(ApiSettings settings, Parts parts)
    : m_settings(std::move(settings))
    , m_parts(std::move(parts))
    // With tokens on, only holders of the query token get this far: its
    // identity joins the address in the bucket key.
    , m_queryCredential(m_settings.requireQueryToken
                            ? RateLimitKeys::credentialOf(m_settings.queryToken)
                            : QByteArray())
{
}

void ApiHandler::sendError(HttpExchange& exchange, const ApiError& error, bool closeConnection)
{
    const QByteArray retryAfter = QByteArray::number(error.retryAfterSeconds);
    if (error.retryAfterSeconds > 0)
        exchange.respond(error.status, kJson, error.body(), {{"Retry-After", retryAfter}},
                         closeConnection);
    else if (!error.allow.isEmpty())
        exchange.respond(error.status, kJson, error.body(), {{"Allow", error.allow}},
                         closeConnection);
    else
        exchange.respond(error.status, kJson, error.body(), {}, closeConnection);
}

bool ApiHandler::bearerMatches(HttpExchange& exchange, const QByteArray& expected) const
{
    const QByteArrayView header = exchange.header("Authorization");
    static constexpr QByteArrayView prefix = "Bearer ";
    if (!header.startsWith(prefix))
        return false;
    return equalTokens(header.sliced(prefix.size()).trimmed(), expected);
}

void ApiHandler::handle(HttpExchange& exchange)
{
    handle(exchange, nullptr);
}

bool ApiHandler::handleWithoutBlocking(HttpExchange& exchange)
{
    const RouteInfo route = routeFor(exchange.path());
    if (exchange.method() != route.allow)
        return false;
    if (route.route == Route::Health || route.route == Route::Ready) {
        handle(exchange, nullptr);
        return true;
    }
    if (route.route != Route::Query || !m_parts.pipeline->exactLookupNeverBlocks())
        return false;
    // Only requests handleQuery() would send to the pipeline are looked up
    // here: no cache probing without the token, and errors keep one path.
    if (m_settings.requireQueryToken && !bearerMatches(exchange, m_settings.queryToken))
        return false;
    if (m_parts.state->phase() != ServiceState::Phase::Ready ||
        !QueryRequest::isJsonContentType(exchange.header("Content-Type")))
        return false;
    QByteArray body;
    if (exchange.readBody(m_settings.maxBodyBytes, &body) != HttpExchange::BodyStatus::Ok)
        return false;
    QueryRequest::Parsed parsed = QueryRequest::parse(body, m_settings.defaultTopK);
    if (parsed.error)
        return false;
    ExactHit hit{std::move(parsed.request), {}};
    hit.lookup = m_parts.pipeline->lookupExact(hit.request);
    if (hit.lookup.tier != CacheTier::Exact)
        return false;
    handle(exchange, &hit);
    return true;
}

void ApiHandler::handle(HttpExchange& exchange, const ExactHit* hit)
{
    const auto started = SteadyClock::now();
    ServiceState& state = *m_parts.state;
    state.requestStarted();
    m_parts.metrics->requestStarted();

    const QByteArrayView incomingId = exchange.header("X-Request-Id");
    const QByteArray requestId =
        RequestId::isAcceptable(incomingId) ? incomingId.toByteArray() : RequestId::next();
    exchange.setRequestId(requestId);
    const RouteInfo route = routeFor(exchange.path());

    if (route.route == Route::Other) {
        sendError(exchange, ApiError::notFound(exchange.path()));
    } else if (exchange.method() != route.allow) {
        sendError(exchange,
                  ApiError::methodNotAllowed(exchange.method(), route.allow.toByteArray()));
    } else {
        switch (route.route) {
        case Route::Query:
            handleQuery(exchange, requestId, hit);
            break;
        case Route::Health:
            exchange.respond(200, kJson, R"({"status":"ok"})");
            break;
        case Route::Ready:
            exchange.respond(state.readinessStatus(), kJson, state.readinessBody());
            break;
        case Route::Metrics:
            exchange.respond(200, "text/plain; version=0.0.4; charset=utf-8",
                             m_parts.metrics->render(m_parts.snapshot()));
            break;
        case Route::Info:
            exchange.respond(200, kJson, m_parts.info());
            break;
        case Route::Drain:
            handleDrain(exchange);
            break;
        case Route::Other:
        case Route::Count:
            break;
        }
    }

    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    m_parts.metrics->observeRequest(route.route, exchange.status(), seconds);
    m_parts.metrics->requestFinished();
    state.requestFinished();
    if (exchange.status() >= 500)
        spdlog::warn("[http] {} {} -> {} in {:.1f} ms rid={}",
                     exchange.method().toByteArray().constData(),
                     ServiceMetrics::routeLabel(route.route), exchange.status(), seconds * 1000.0,
                     requestId.constData());
    else
        spdlog::debug("[http] {} {} -> {} in {:.1f} ms rid={}",
                      exchange.method().toByteArray().constData(),
                      ServiceMetrics::routeLabel(route.route), exchange.status(), seconds * 1000.0,
                      requestId.constData());
}

void ApiHandler::handleDrain(HttpExchange& exchange)
{
    if (m_settings.adminToken.isEmpty()) {
        sendError(exchange,
                  ApiError::unauthorized(QStringLiteral(
                      "admin API disabled: no admin token is configured (auth.admin_token)")));
        return;
    }
    if (!bearerMatches(exchange, m_settings.adminToken)) {
        sendError(exchange,
                  ApiError::unauthorized(QStringLiteral("missing or wrong admin bearer token")));
        return;
    }
    spdlog::info("[service] drain requested through /admin/drain by {}",
                 exchange.remoteAddress().constData());
    m_parts.drainRequested();
    exchange.respond(202, kJson, m_parts.state->readinessBody());
}

std::optional<QueryRequest> ApiHandler::readQuery(HttpExchange& exchange)
{
    const QByteArrayView contentType = exchange.header("Content-Type");
    if (!QueryRequest::isJsonContentType(contentType)) {
        sendError(exchange, ApiError::unsupportedMediaType(contentType));
        return std::nullopt;
    }

    QByteArray body;
    switch (exchange.readBody(m_settings.maxBodyBytes, &body)) {
    case HttpExchange::BodyStatus::TooLarge:
        sendError(exchange, ApiError::payloadTooLarge(m_settings.maxBodyBytes), true);
        return std::nullopt;
    case HttpExchange::BodyStatus::ReadError:
        sendError(exchange, ApiError::badRequest(QStringLiteral("could not read the request body")),
                  true);
        return std::nullopt;
    case HttpExchange::BodyStatus::Ok:
        break;
    }

    QueryRequest::Parsed parsed = QueryRequest::parse(body, m_settings.defaultTopK);
    if (parsed.error) {
        sendError(exchange, *parsed.error);
        return std::nullopt;
    }
    return std::move(parsed.request);
}

void ApiHandler::handleQuery(HttpExchange& exchange, const QByteArray& requestId,
                             const ExactHit* hit)
{
    const auto started = SteadyClock::now();
    ServiceState& state = *m_parts.state;

    if (m_settings.requireQueryToken && !bearerMatches(exchange, m_settings.queryToken)) {
        sendError(exchange,
                  ApiError::unauthorized(QStringLiteral("missing or wrong bearer token")));
        return;
    }
    if (state.phase() != ServiceState::Phase::Ready) {
        const bool draining = state.phase() == ServiceState::Phase::Draining;
        sendError(exchange,
                  ApiError::unavailable(
                      draining ? "draining" : "not_ready",
                      draining
                          ? QStringLiteral("this replica is draining")
                          : QStringLiteral("this replica is %1: %2")
                                .arg(QString::fromLatin1(ServiceState::phaseName(state.phase())),
                                     state.detail()),
                      m_settings.retryAfterSeconds),
                  /*closeConnection=*/draining);
        return;
    }
    std::optional<QueryRequest> read = hit ? std::optional(hit->request) : readQuery(exchange);
    if (!read)
        return;
    QueryRequest& request = *read;
    if (request.client.isEmpty()) {
        const QByteArrayView header = exchange.header("X-Client-Id");
        if (!header.isEmpty()) {
            const QString id = QString::fromLatin1(header);
            if (!QueryRequest::isValidClientId(id)) {
                sendError(exchange,
                          ApiError::badRequest(QStringLiteral(
                              "header X-Client-Id must be 1 to 128 printable ASCII characters")));
                return;
            }
            request.client = id;
        }
    }
    // The bucket is the address (and token) the request really came from; the
    // caller-chosen client id only names a sub-bucket inside it.
    const RateLimitKey key = m_settings.rateLimitKeys.derive(exchange.remoteAddress(),
                                                             exchange.header("X-Forwarded-For"),
                                                             m_queryCredential, request.client);
    const QString& attribution = request.client.isEmpty() ? key.address : request.client;

    const RateDecision decision = m_parts.rateLimiter->acquire(key);
    if (!decision.allowed) {
        m_parts.metrics->observeRateLimited();
        sendError(exchange,
                  ApiError::rateLimited(qMax(1, int(std::ceil(decision.retryAfterSeconds)))));
        return;
    }
    m_parts.activeUsers->touch(attribution);
    if (m_settings.logQueries)
        spdlog::info("[query] rid={} client={} address={} top_k={} query={}", requestId.constData(),
                     attribution.toStdString(), key.address.toStdString(), request.topK,
                     request.query.toStdString());

    const QueryOutcome outcome =
        m_parts.pipeline->run(request, started, hit ? &hit->lookup : nullptr);
    if (!outcome.ok()) {
        sendError(exchange, *outcome.error);
        return;
    }
    exchange.respond(200, kJson, outcome.body);
}

} // namespace querydeck
