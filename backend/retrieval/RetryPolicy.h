#pragma once

namespace querydeck {

// Exponential backoff with jitter for HttpJsonClient::postWithRetry (a
// Backoff, equal jitter). The n-th retry waits initialBackoffMs *
// multiplier^(n-1), capped at maxBackoffMs, with up to half of it taken off at
// random so that many clients do not retry in lockstep. A server's Retry-After (seconds) replaces
// that wait, also capped.
struct RetryPolicy
{
    int retries = 2; // extra attempts after the first
    int initialBackoffMs = 200;
    double multiplier = 2.0;
    int maxBackoffMs = 5000;
};

} // namespace querydeck
