#include "backend/service/ClientRateLimiter.h"

namespace querydeck {

namespace {

RateLimitConfig clientLimits(const RateLimitConfig& config)
{
    RateLimitConfig clients = config;
    clients.ratePerSecond = config.clientRatePerSecond;
    clients.burst = config.clientBurst;
    return clients;
}

} // namespace

ClientRateLimiter::ClientRateLimiter(const RateLimitConfig& config, Clock clock)
    : m_addresses(config, clock)
{
    if (config.enabled && config.clientRatePerSecond > 0)
        m_clients = std::make_unique<RateLimiter>(clientLimits(config), std::move(clock));
}

RateDecision ClientRateLimiter::acquire(const RateLimitKey& key)
{
    const RateDecision address = m_addresses.acquire(key.bucket);
    if (!address.allowed || !m_clients || key.clientBucket.isEmpty())
        return address;
    return m_clients->acquire(key.clientBucket);
}

} // namespace querydeck
