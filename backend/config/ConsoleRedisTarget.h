#pragma once

#include "backend/config/ConsoleConfig.h"

#include <memory>

namespace querydeck {

class CachedSecret;
class RedisInfoSource;

// Which Redis the console watches: console.redis when it is set by hand,
// else the Redis the embedded service itself uses (cache.redis: its url's
// server, or its sentinels and master name), with the service's password
// secret. Then the INFO source for it: a fixed server, or whichever server
// the sentinels call master (followed across failovers).
// Plain data and a factory; safe from any thread.
struct ConsoleRedisTarget
{
    ConsoleConfig console;                                            // console.redis filled in
    QString passwordField = QStringLiteral("console.redis.password"); // named in errors
    QString sentinelPasswordField = QStringLiteral("console.redis.sentinel_password");
    bool fromService = false; // derived from cache.redis

    static ConsoleRedisTarget resolve(const ConsoleConfig& console, const RedisConfig& cache);
    // nullptr when there is nothing to sample. The caller owns the source
    // (TelemetryEngine::addSource takes it) and moves it to its thread.
    // sentinelPassword: the sentinels' own password (may be null or unset).
    RedisInfoSource* makeInfoSource(std::shared_ptr<CachedSecret> password,
                                    std::shared_ptr<CachedSecret> sentinelPassword = {}) const;
};

} // namespace querydeck
