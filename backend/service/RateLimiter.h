#pragma once

#include "backend/common/Clock.h"
#include "backend/service/ServiceConfig.h"

#include <QString>
#include <memory>
#include <vector>

namespace querydeck {

struct RateDecision
{
    bool allowed = true;
    double retryAfterSeconds = 0; // >0 when refused: time until one token is available
};

// Token buckets by key, the store behind ClientRateLimiter (which decides the
// keys: a client's address, its client sub-bucket). Each key gets a bucket
// of `burst` tokens refilled at `ratePerSecond`; one request takes one token.
//
// Thread rules: acquire() and trackedClients() may be called from any number
// of threads. Buckets live in shards (by seeded hash of the client id), each
// with its own mutex, so the HTTP threads rarely contend.
//
// Memory is bounded: at most `maxClients` buckets in total. When a shard is
// at its share of that bound, full buckets are dropped first (losing nothing:
// a new bucket starts full) and then the least recently used one. A flood of
// random client ids therefore recycles buckets instead of growing the map, and
// a client that keeps hammering stays recently used and keeps its (empty)
// bucket. Small limits (< 512 clients) use one shard, so the policy is exact;
// larger ones apply it per shard.
//
// Out-of-range settings are clamped rather than refused (validation is the
// config loader's job): burst to >= 1, rate to >= 1e-6 tokens/s, maxClients to >= 1.
class RateLimiter
{
public:
    explicit RateLimiter(const RateLimitConfig& config, Clock clock = systemClock());
    ~RateLimiter();
    RateLimiter(const RateLimiter&) = delete;
    RateLimiter& operator=(const RateLimiter&) = delete;

    // Takes one token from the client's bucket. Always allowed when disabled.
    RateDecision acquire(const QString& clientId);
    int trackedClients() const;

private:
    struct Shard;
    Shard& shardFor(const QString& clientId) const;
    void makeRoom(Shard& shard, qint64 nowMs) const;

    bool m_enabled;
    double m_ratePerMs;
    double m_ratePerSecond;
    double m_burst;
    Clock m_clock;
    std::size_t m_seed;
    std::vector<std::unique_ptr<Shard>> m_shards;
};

} // namespace querydeck
