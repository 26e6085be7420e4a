#include "backend/service/RateLimiter.h"

#include <QHash>
#include <QRandomGenerator>
#include <algorithm>
#include <list>
#include <mutex>

namespace querydeck {

namespace {

constexpr int kClientsPerShard = 256;
constexpr int kMaxShards = 64;
// A full sweep for idle buckets costs O(shard size); at most once per interval.
constexpr qint64 kSweepIntervalMs = 1000;
// How many of the least recently used buckets are checked for a full one
// between sweeps before the oldest is dropped regardless.
constexpr int kTailProbe = 8;
// A wall clock stepped back further than this restarts refilling from the new
// time; smaller steps back (threads reading the clock just before a peer) are
// treated as no time passing, so no interval is ever credited twice.
constexpr qint64 kClockStepBackMs = 1000;
// Tokens accumulate in floating point; this absorbs rounding so that e.g.
// 10 refills of 0.1 token admit a request.
constexpr double kEpsilon = 1e-9;

struct Bucket
{
    QString clientId;
    double tokens = 0;
    qint64 updatedMs = 0;
};

} // namespace

struct RateLimiter::Shard
{
    std::mutex mutex;
    std::list<Bucket> lru; // front: most recently used
    QHash<QString, std::list<Bucket>::iterator> index;
    std::size_t capacity = 1;
    qint64 nextSweepMs = 0;
};

RateLimiter::RateLimiter(const RateLimitConfig& config, Clock clock)
    : m_enabled(config.enabled)
    , m_ratePerMs(std::max(config.ratePerSecond, 1e-6) / 1000.0)
    , m_ratePerSecond(std::max(config.ratePerSecond, 1e-6))
    , m_burst(std::max(config.burst, 1.0))
    , m_clock(std::move(clock))
    , m_seed(static_cast<std::size_t>(QRandomGenerator::global()->generate64()))
{
    const int maxClients = std::max(config.maxClients, 1);
    const int shards = std::clamp(maxClients / kClientsPerShard, 1, kMaxShards);
    m_shards.reserve(static_cast<std::size_t>(shards));
    for (int i = 0; i < shards; ++i) {
        auto shard = std::make_unique<Shard>();
        // Spread the remainder so the capacities add up to maxClients exactly.
        shard->capacity = static_cast<std::size_t>(maxClients / shards + (i < maxClients % shards));
        m_shards.push_back(std::move(shard));
    }
}

RateLimiter::~RateLimiter() = default;

RateLimiter::Shard& RateLimiter::shardFor(const QString& clientId) const
{
    return *m_shards[qHash(clientId, m_seed) % m_shards.size()];
}

RateDecision RateLimiter::acquire(const QString& clientId)
{
    if (!m_enabled)
        return {};
    const qint64 now = m_clock();
    Shard& shard = shardFor(clientId);
    std::lock_guard lock(shard.mutex);

    Bucket* bucket = nullptr;
    const auto found = shard.index.constFind(clientId);
    if (found == shard.index.constEnd()) {
        if (shard.lru.size() >= shard.capacity)
            makeRoom(shard, now);
        shard.lru.push_front(Bucket{clientId, m_burst, now});
        shard.index.insert(clientId, shard.lru.begin());
        bucket = &shard.lru.front();
    } else {
        shard.lru.splice(shard.lru.begin(), shard.lru, found.value());
        bucket = &shard.lru.front();
        const qint64 elapsed = now - bucket->updatedMs;
        if (elapsed > 0) {
            bucket->tokens = std::min(m_burst, bucket->tokens + double(elapsed) * m_ratePerMs);
            bucket->updatedMs = now;
        } else if (elapsed < -kClockStepBackMs) {
            bucket->updatedMs = now;
        }
    }

    if (bucket->tokens >= 1.0 - kEpsilon) {
        bucket->tokens -= 1.0;
        return {};
    }
    return {false, (1.0 - bucket->tokens) / m_ratePerSecond};
}

void RateLimiter::makeRoom(Shard& shard, qint64 nowMs) const
{
    const auto isFull = [&](const Bucket& b) {
        const double refill = double(std::max<qint64>(0, nowMs - b.updatedMs)) * m_ratePerMs;
        return b.tokens + refill >= m_burst - kEpsilon;
    };
    const auto drop = [&](std::list<Bucket>::iterator it) {
        shard.index.remove(it->clientId);
        return shard.lru.erase(it);
    };

    if (nowMs >= shard.nextSweepMs) {
        shard.nextSweepMs = nowMs + kSweepIntervalMs;
        for (auto it = shard.lru.begin(); it != shard.lru.end();)
            it = isFull(*it) ? drop(it) : std::next(it);
        if (shard.lru.size() < shard.capacity)
            return;
    }

    auto it = std::prev(shard.lru.end());
    for (int probed = 0; probed < kTailProbe && it != shard.lru.begin(); ++probed, --it) {
        if (isFull(*it)) {
            drop(it);
            return;
        }
    }
    drop(std::prev(shard.lru.end()));
}

int RateLimiter::trackedClients() const
{
    std::size_t total = 0;
    for (const auto& shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        total += shard->lru.size();
    }
    return static_cast<int>(total);
}

} // namespace querydeck
