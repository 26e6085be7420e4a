#pragma once

#include "backend/cache/CacheConfig.h"
#include "backend/common/SecretRef.h"
#include "backend/logging/LoggingConfig.h"
#include "backend/retrieval/RetrievalConfig.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace querydeck {

// The service's own options (http, auth, rate_limit, queue) and ServiceConfig,
// everything `querydeck serve` needs, composed of the modules' option structs.
// The config module reads the file into it (ConfigLoader).

struct HttpConfig
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 8000;
    QString replicaId;             // empty: hostname:port
    int threads = 32;              // handler threads = requests handled at once
    int requestTimeoutMs = 30000;  // writing one response
    int keepAliveTimeoutMs = 5000; // idle between requests on one connection
    qint64 maxBodyBytes = 64 * 1024;
    int drainTimeoutMs = 20000; // SIGTERM / drain: wait this long for in-flight requests
    // Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the
    // client for the rate limit; empty: the peer address is the client.
    QStringList trustedProxies;
    int ioThreads = 0;                  // socket I/O threads; 0: one per CPU core
    int headerTimeoutMs = 10000;        // receiving a request head
    int bodyTimeoutMs = 10000;          // receiving a request body
    int maxConnections = 16384;         // open at once; beyond: 503 and close
    int maxConnectionsPerAddress = 512; // from one client address; 0: no limit

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

struct QueueConfig
{
    int concurrency = 4;       // generations running at once
    int capacity = 64;         // generations waiting; beyond this: 503
    int retryAfterSeconds = 2; // Retry-After on 503

    friend bool operator==(const QueueConfig&, const QueueConfig&) = default;
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
