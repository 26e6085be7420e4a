#pragma once

#include "backend/common/Clock.h"
#include "backend/sources/MetricSource.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace querydeck {

// Host metrics from Linux /proc: CPU %, memory, disk and network throughput,
// and the size/free space of the filesystem holding $HOME. Emits the
// querydeck_host_* gauges with instance="localhost". Rates come from the
// difference between this poll and the previous one, so the first poll emits
// only the non-rate gauges. A missing or malformed file sets the result's
// error (naming the file) and the other files' gauges are still emitted.
// Reads are small synchronous file reads; poll() emits finished() before it
// returns. Lives on the telemetry thread; not thread-safe.
class ProcSource : public MetricSource
{
    Q_OBJECT

public:
    explicit ProcSource(QString procRoot = QStringLiteral("/proc"), QObject* parent = nullptr);

    QString id() const override { return QStringLiteral("proc"); }
    QString upInstance() const override { return QStringLiteral("localhost"); }
    QString description() const override;
    void poll() override;

    // Tests move time by hand; default: the system clock.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    // The filesystem reported by the filesystem gauges (default: $HOME); empty: none.
    void setFilesystemPath(const QString& path) { m_filesystemPath = path; }

private:
    struct CpuTimes
    {
        qint64 atMs = 0;
        quint64 total = 0;
        quint64 idle = 0;
    };
    struct IoTotals
    {
        quint64 in = 0;  // bytes read / received
        quint64 out = 0; // bytes written / transmitted
    };
    // Cumulative byte counters per device, as read at atMs.
    struct IoSnapshot
    {
        qint64 atMs = 0;
        QHash<QString, IoTotals> devices;
    };

    QString readFile(const QString& name, QStringList& errors) const;
    void pollCpu(qint64 now, std::vector<Sample>& out, QStringList& errors);
    void pollMemory(qint64 now, std::vector<Sample>& out, QStringList& errors);
    void pollIo(qint64 now, const QString& file, std::optional<IoSnapshot>& previous,
                const char* inMetric, const char* outMetric, std::vector<Sample>& out,
                QStringList& errors);
    void pollFilesystem(qint64 now, std::vector<Sample>& out, QStringList& errors);

    QString m_procRoot;
    QString m_filesystemPath;
    Clock m_clock;
    std::optional<CpuTimes> m_cpu;
    std::optional<IoSnapshot> m_disks;
    std::optional<IoSnapshot> m_nets;
};

} // namespace querydeck
