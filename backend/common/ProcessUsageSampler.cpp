#include "backend/common/ProcessUsageSampler.h"

#include "backend/common/ProcessStats.h"

#include <chrono>
#include <cmath>

namespace querydeck {

ProcessUsageSampler::ProcessUsageSampler()
    : ProcessUsageSampler([] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    })
{
}

ProcessUsageSampler::ProcessUsageSampler(Clock clock)
    : m_clock(std::move(clock))
{
}

QHash<qint64, ProcessUsageSampler::Usage> ProcessUsageSampler::sample(const QList<qint64>& pids)
{
    const qint64 now = m_clock();
    QHash<qint64, Usage> out;
    QHash<qint64, Previous> next;
    for (const qint64 pid : pids) {
        const std::optional<ProcessStats> stats = ProcessStats::read(pid);
        if (!stats) {
            out.insert(pid, Usage{});
            continue;
        }
        Usage usage;
        usage.residentBytes = stats->residentBytes;
        const auto previous = m_previous.constFind(pid);
        // The start time is read in clock ticks: the same process gives the same value.
        const bool same = previous != m_previous.cend() &&
                          std::abs(previous->startTimeSeconds - stats->startTimeSeconds) < 0.5;
        if (same && now - previous->atMs < kMinIntervalMs) {
            usage.cpuPercent = previous->cpuPercent;
            out.insert(pid, usage);
            next.insert(pid, *previous);
            continue;
        }
        if (same) {
            const double busy = std::max(0.0, stats->cpuSeconds - previous->cpuSeconds);
            usage.cpuPercent = 100.0 * busy / (double(now - previous->atMs) / 1000.0);
        }
        out.insert(pid, usage);
        next.insert(pid, {stats->cpuSeconds, stats->startTimeSeconds, now, usage.cpuPercent});
    }
    m_previous = std::move(next);
    return out;
}

} // namespace querydeck
