#pragma once

#include <QtGlobal>
#include <functional>

namespace querydeck {

// The wait before the n-th retry of something that failed: initialMs, then
// multiplied by `factor` on each further failure, capped at maxMs, with
// optional jitter. Every retrying part of QueryDeck (Redis reconnects, HTTP
// retries, webhook deliveries, replica restarts, history queries) takes its
// waits from here, so caps, overflow and jitter are handled in one place.
//
// Jitter is "equal jitter" (AWS Architecture Blog, "Exponential Backoff And
// Jitter"): a random part of up to half the wait is taken off, so the wait
// lies in [base/2, base]. Unlike "full jitter" ([0, base]) it never retries at
// once, so a server that just went away is not hit again immediately, yet
// clients that failed together (every replica after a Redis failover) spread
// over half the interval instead of retrying in lockstep.
//
// Use it either stateful (next() after each failure, reset() after a success)
// or stateless (delayMs(n) for callers that count failures themselves).
//
// Thread rules: a plain value object; guard it like any other member. The
// default random source (QRandomGenerator::global()) is thread-safe.
class Backoff
{
public:
    enum class Jitter
    {
        None,
        Equal
    };
    // Uniform in [0, 1); tests inject a fixed or seeded one.
    using RandomSource = std::function<double()>;

    struct Options
    {
        qint64 initialMs = 100;
        qint64 maxMs = 5000;
        double factor = 2.0;
        Jitter jitter = Jitter::Equal;
    };

    explicit Backoff(Options options, RandomSource random = {});

    // The wait after one more failure; the first call returns the wait
    // before the first retry.
    qint64 next();
    // After a success: the next failure waits initialMs again.
    void reset() { m_failures = 0; }
    // Failures since the last reset(); 0: not backing off.
    int failures() const { return m_failures; }

    // The wait before retry `retry` (1-based; smaller counts as 1), jittered
    // with the random source.
    qint64 delayMs(int retry) const;
    // The same with the jitter's random part given, `unitRandom` in [0, 1]:
    // 0 keeps the whole wait, 1 takes half of it off.
    qint64 delayMs(int retry, double unitRandom) const;
    // The wait before jitter: initialMs * factor^(retry-1), capped at maxMs.
    double baseMs(int retry) const;

    const Options& options() const { return m_options; }

    // A deterministic source: the same seed gives the same sequence.
    static RandomSource seededRandom(quint32 seed);

private:
    Options m_options;
    RandomSource m_random;
    int m_failures = 0;
};

} // namespace querydeck
