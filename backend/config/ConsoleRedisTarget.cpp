#include "backend/config/ConsoleRedisTarget.h"

#include "backend/redis/RedisAddress.h"
#include "backend/secrets/CachedSecret.h"
#include "backend/sources/RedisInfoSource.h"

namespace querydeck {

ConsoleRedisTarget ConsoleRedisTarget::resolve(const ConsoleConfig& console,
                                               const RedisConfig& cache)
{
    ConsoleRedisTarget target;
    target.console = console;
    if (console.redisConfigured() || !cache.isSet())
        return target;
    ConsoleRedisConfig& options = target.console.redisOptions;
    if (!cache.url.isEmpty()) {
        // Validated when the service config was loaded; the db is only a
        // label of the keys series, which INFO gives per db anyway.
        const RedisAddressParser::Parsed url = RedisAddressParser::parseUrl(cache.url);
        if (!url.ok())
            return target;
        target.console.redis = url.address.hostPort();
    } else {
        options.sentinels = cache.sentinels;
        options.masterName = cache.masterName;
        options.sentinelPassword = cache.sentinelPassword;
    }
    options.password = cache.password;
    target.passwordField = QStringLiteral("cache.redis.password");
    target.sentinelPasswordField = QStringLiteral("cache.redis.sentinel_password");
    target.fromService = true;
    return target;
}

RedisInfoSource*
ConsoleRedisTarget::makeInfoSource(std::shared_ptr<CachedSecret> password,
                                   std::shared_ptr<CachedSecret> sentinelPassword) const
{
    RedisInfoSource* source = nullptr;
    if (!console.redis.isEmpty()) {
        QString problem;
        const RedisAddress address = RedisAddress::parse(console.redis, &problem);
        if (!address.isValid())
            return nullptr; // validated on load; nothing sensible to sample
        source = new RedisInfoSource(address.host, address.port);
    } else if (!console.redisOptions.sentinels.isEmpty() &&
               !console.redisOptions.masterName.isEmpty()) {
        const RedisAddressParser::ParsedList sentinels =
            RedisAddressParser::parseList(console.redisOptions.sentinels, 26379);
        if (!sentinels.ok() || sentinels.addresses.empty())
            return nullptr;
        source = new RedisInfoSource(QString(), 0);
        source->followSentinels(
            QList<RedisAddress>(sentinels.addresses.begin(), sentinels.addresses.end()),
            console.redisOptions.masterName, std::move(sentinelPassword), sentinelPasswordField);
    } else {
        return nullptr;
    }
    source->setPasswordSecret(std::move(password));
    source->setPasswordField(passwordField);
    return source;
}

} // namespace querydeck
