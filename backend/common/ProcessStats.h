#pragma once

#include <QtGlobal>
#include <optional>

namespace querydeck {

// CPU time and resident memory of a process, from /proc/<pid> (this one:
// /proc/self). Cheap enough to read on every /metrics scrape; any thread.
struct ProcessStats
{
    double cpuSeconds = 0.0; // user + system
    double residentBytes = 0.0;
    double startTimeSeconds = 0.0; // since the epoch

    static std::optional<ProcessStats> read();
    // Another process; nullopt when it is gone (or a zombie) or unreadable.
    static std::optional<ProcessStats> read(qint64 pid);
};

} // namespace querydeck
