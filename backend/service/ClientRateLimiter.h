#pragma once

#include "backend/service/RateLimitKey.h"
#include "backend/service/RateLimiter.h"

#include <memory>

namespace querydeck {

// The rate limit on /v1/query: every request takes a token from its
// address's bucket (RateLimitKey::bucket: rate_per_second, burst), and — when
// rate_limit.client_rate_per_second is set and the request names a client —
// then one from that client's sub-bucket inside the address
// (client_rate_per_second, client_burst). A request refused by either is
// refused; the address bucket is charged first and always, so a caller that
// invents a fresh client id per request is limited exactly like one that
// keeps one, and a sub-bucket can only ever be stricter than its address.
//
// Thread rules: acquire() from any number of threads (see RateLimiter).
class ClientRateLimiter
{
public:
    explicit ClientRateLimiter(const RateLimitConfig& config, Clock clock = systemClock());

    RateDecision acquire(const RateLimitKey& key);
    bool limitsClients() const { return m_clients != nullptr; }

private:
    RateLimiter m_addresses;
    std::unique_ptr<RateLimiter> m_clients; // null: no per-client sub-buckets
};

} // namespace querydeck
