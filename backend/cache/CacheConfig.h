#pragma once

#include "backend/common/SecretRef.h"

#include <QString>

namespace querydeck {

// The cache module's options (the `cache` block of the config).

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

} // namespace querydeck
