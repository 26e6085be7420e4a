#pragma once

#include <optional>

namespace querydeck {

// CPU time and resident memory of this process, from /proc/self. Cheap enough
// to read on every /metrics scrape; any thread.
struct ProcessStats
{
    double cpuSeconds = 0.0; // user + system
    double residentBytes = 0.0;
    double startTimeSeconds = 0.0; // since the epoch

    static std::optional<ProcessStats> read();
};

} // namespace querydeck
