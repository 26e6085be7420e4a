#pragma once

#include <QDateTime>
#include <functional>

namespace querydeck {

// Wall-clock milliseconds since the epoch. Components that expire things
// (cache TTLs, rate-limit buckets, active-user windows) take a Clock so tests
// can move time without sleeping.
using Clock = std::function<qint64()>;

inline Clock systemClock()
{
    return [] { return QDateTime::currentMSecsSinceEpoch(); };
}

} // namespace querydeck
