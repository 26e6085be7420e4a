#pragma once

#include <cstdint>
#include <cstring>
#include <limits>

namespace querydeck {

// Prometheus's staleness marker: a NaN with one particular bit pattern
// (0x7ff0000000000002), stored as an ordinary sample when a series ends —
// it went missing from its target's poll, the poll failed, or the target was
// removed. An instant selector evaluated at or after the marker returns
// nothing for the series (instead of the last value for the 5-minute
// look-back); range functions ignore markers, as in Prometheus. A NaN that a
// target exports is a different bit pattern and stays a value.
inline constexpr std::uint64_t kStaleMarkerBits = 0x7ff0000000000002ULL;

inline double staleMarker()
{
    double value;
    std::memcpy(&value, &kStaleMarkerBits, sizeof value);
    return value;
}

inline bool isStaleMarker(double value)
{
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits == kStaleMarkerBits;
}

} // namespace querydeck
