#pragma once

#include "backend/common/Clock.h"

#include <QHash>
#include <QList>

namespace querydeck {

// CPU and resident memory of other processes (the local replicas), from
// successive ProcessStats readings of /proc/<pid>/stat and statm. CPU % is
// the growth of user + system time over the wall time between two samples of
// the same process (100 = one core busy), so the first sample of a process
// has memory but no CPU yet; a sample sooner than kMinIntervalMs after the
// last keeps the last figure (clock ticks are too coarse for less). A pid whose start time changed
// is a new process and starts over; a pid that is gone has neither. Plain object; one thread.
class ProcessUsageSampler
{
public:
    struct Usage
    {
        double cpuPercent = -1.0;    // -1: not known (yet)
        double residentBytes = -1.0; // -1: not known
        friend bool operator==(const Usage&, const Usage&) = default;
    };

    static constexpr qint64 kMinIntervalMs = 200;

    ProcessUsageSampler(); // a steady clock
    // `clock` measures the time between samples (milliseconds; only
    // differences are used), e.g. a ManualClock in tests.
    explicit ProcessUsageSampler(Clock clock);
    // Reads every pid (> 0) in `pids` now and forgets the others.
    QHash<qint64, Usage> sample(const QList<qint64>& pids);

private:
    struct Previous
    {
        double cpuSeconds = 0.0;
        double startTimeSeconds = 0.0;
        qint64 atMs = 0;
        double cpuPercent = -1.0;
    };
    Clock m_clock;
    QHash<qint64, Previous> m_previous;
};

} // namespace querydeck
