#pragma once

#include "backend/scaling/FleetAdvisor.h"

#include <QString>

namespace querydeck {

// The scale wizard's capacity figures in words, at the precision they are
// measured with (three significant digits), each with its unit; and the
// sentence that says how capacity was measured and what the load is now,
// kept apart so that load is never read as capacity. Pure.
class CapacityText
{
public:
    static QString queriesPerSecond(double qps); // "3.53 queries/s"
    static QString perDay(double queries);       // "1.71 million", "8,530"
    static QString duration(double seconds);     // "283 ms", "1.50 s"
    // How the saturation point was found and the planned capacity, or why
    // there is none.
    static QString method(const ReplicaCapacity& capacity, double queriesMeasured);
    // The load now, per replica, and its share of the planned capacity.
    static QString load(const ReplicaCapacity& capacity);
};

} // namespace querydeck
