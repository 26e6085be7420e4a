#include "backend/sources/ProcSource.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/statvfs.h>

namespace querydeck {

namespace {

constexpr qint64 kMaxProcFileBytes = 4 * 1024 * 1024; // /proc files are small; refuse runaway reads
constexpr quint64 kSectorBytes = 512; // diskstats counts 512-byte sectors whatever the device

Sample gauge(const char* name, double value, qint64 now)
{
    Sample sample;
    sample.key = SeriesKey::make(QString::fromLatin1(name),
                                 {{QStringLiteral("instance"), QStringLiteral("localhost")}});
    sample.value = value;
    sample.timestampMs = now;
    return sample;
}

std::optional<quint64> toU64(const QString& text)
{
    bool ok = false;
    const quint64 value = text.toULongLong(&ok);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

// Whole disks only: partitions would count their disk's I/O twice, and
// loop/ram/device-mapper/md devices sit on top of (or beside) real disks.
bool isWholePhysicalDisk(const QString& name)
{
    static const QRegularExpression skip(QStringLiteral(
        "^(?:(?:loop|ram|zram|fd|sr|md|dm-)\\d+|(?:h|s|v|xv)d[a-z]+\\d+|nvme\\d+n\\d+p\\d+|"
        "mmcblk\\d+p\\d+)$"));
    return !skip.match(name).hasMatch();
}

} // namespace

ProcSource::ProcSource(QString procRoot, QObject* parent)
    : MetricSource(parent)
    , m_procRoot(std::move(procRoot))
    , m_filesystemPath(QDir::homePath())
    , m_clock(systemClock())
{
}

QString ProcSource::description() const
{
    return QStringLiteral("Host (%1)").arg(m_procRoot);
}

void ProcSource::poll()
{
    const qint64 now = m_clock();
    SourceResult result;
    result.sourceId = id();
    result.timestampMs = now;
    QStringList errors;
    pollCpu(now, result.samples, errors);
    pollMemory(now, result.samples, errors);
    pollIo(now, QStringLiteral("diskstats"), m_disks, "querydeck_host_disk_read_bytes_per_second",
           "querydeck_host_disk_write_bytes_per_second", result.samples, errors);
    pollIo(now, QStringLiteral("net/dev"), m_nets,
           "querydeck_host_network_receive_bytes_per_second",
           "querydeck_host_network_transmit_bytes_per_second", result.samples, errors);
    pollFilesystem(now, result.samples, errors);
    for (const Sample& sample : result.samples)
        result.types.insert(sample.key.name, MetricType::Gauge);
    result.error = errors.join(QStringLiteral("; "));
    emit finished(result);
}

QString ProcSource::readFile(const QString& name, QStringList& errors) const
{
    QFile file(m_procRoot + QLatin1Char('/') + name);
    if (!file.open(QIODevice::ReadOnly)) {
        errors << QStringLiteral("%1: %2").arg(file.fileName(), file.errorString());
        return {};
    }
    // /proc files report size 0, so read to the end rather than by size.
    const QByteArray data = file.read(kMaxProcFileBytes);
    if (data.isEmpty())
        errors << QStringLiteral("%1: empty").arg(file.fileName());
    return QString::fromLatin1(data);
}

void ProcSource::pollCpu(qint64 now, std::vector<Sample>& out, QStringList& errors)
{
    const QString text = readFile(QStringLiteral("stat"), errors);
    if (text.isEmpty())
        return;
    const QString line = text.section(QLatin1Char('\n'), 0, 0);
    const QStringList fields = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    // cpu user nice system idle [iowait irq softirq steal guest guest_nice]
    if (fields.size() < 5 || fields.first() != QLatin1String("cpu")) {
        errors << QStringLiteral("%1/stat: first line is not an aggregate cpu line: \"%2\"")
                      .arg(m_procRoot, line.left(80));
        return;
    }
    CpuTimes times;
    times.atMs = now;
    // guest and guest_nice are already included in user and nice.
    const qsizetype last = std::min<qsizetype>(fields.size(), 9);
    for (qsizetype i = 1; i < last; ++i) {
        const std::optional<quint64> value = toU64(fields[i]);
        if (!value) {
            errors << QStringLiteral("%1/stat: cpu field %2 is not a number: \"%3\"")
                          .arg(m_procRoot)
                          .arg(i)
                          .arg(fields[i].left(40));
            return;
        }
        times.total += *value;
        if (i == 4 || i == 5) // idle, iowait
            times.idle += *value;
    }
    if (m_cpu && times.total > m_cpu->total && times.idle >= m_cpu->idle) {
        const double total = double(times.total - m_cpu->total);
        const double idle = double(times.idle - m_cpu->idle);
        out.push_back(gauge("querydeck_host_cpu_usage_percent",
                            std::clamp(100.0 * (total - idle) / total, 0.0, 100.0), now));
    }
    m_cpu = times;
}

void ProcSource::pollMemory(qint64 now, std::vector<Sample>& out, QStringList& errors)
{
    const QString text = readFile(QStringLiteral("meminfo"), errors);
    if (text.isEmpty())
        return;
    std::optional<quint64> total;
    std::optional<quint64> available;
    for (const QStringView line : QStringView(text).split(QLatin1Char('\n'))) {
        const auto fields = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (fields.size() < 2)
            continue;
        std::optional<quint64>* target = nullptr;
        if (fields[0] == QLatin1String("MemTotal:"))
            target = &total;
        else if (fields[0] == QLatin1String("MemAvailable:"))
            target = &available;
        if (!target)
            continue;
        *target = toU64(fields[1].toString());
        if (!*target) {
            errors << QStringLiteral("%1/meminfo: %2 is not a number: \"%3\"")
                          .arg(m_procRoot, fields[0].toString(), fields[1].left(40).toString());
            return;
        }
        **target *= 1024; // kB
    }
    if (!total || !available) {
        errors << QStringLiteral("%1/meminfo: %2 missing")
                      .arg(m_procRoot,
                           !total ? QStringLiteral("MemTotal") : QStringLiteral("MemAvailable"));
        return;
    }
    if (*available > *total) {
        errors << QStringLiteral("%1/meminfo: MemAvailable (%2) exceeds MemTotal (%3)")
                      .arg(m_procRoot)
                      .arg(*available)
                      .arg(*total);
        return;
    }
    out.push_back(gauge("querydeck_host_memory_total_bytes", double(*total), now));
    out.push_back(gauge("querydeck_host_memory_used_bytes", double(*total - *available), now));
}

void ProcSource::pollIo(qint64 now, const QString& file, std::optional<IoSnapshot>& previous,
                        const char* inMetric, const char* outMetric, std::vector<Sample>& out,
                        QStringList& errors)
{
    const QString text = readFile(file, errors);
    if (text.isEmpty())
        return;
    const bool disks = file == QLatin1String("diskstats");
    IoSnapshot snapshot;
    snapshot.atMs = now;
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QString name;
        QStringList fields;
        qsizetype inField = 0;
        qsizetype outField = 0;
        if (disks) {
            // major minor name reads merged sectors_read ms writes merged sectors_written ...
            fields = lines[n].split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (fields.size() < 10) {
                errors << QStringLiteral("%1/%2 line %3: %4 fields, expected at least 10")
                              .arg(m_procRoot, file)
                              .arg(n + 1)
                              .arg(fields.size());
                return;
            }
            name = fields[2];
            inField = 5;
            outField = 9;
        } else {
            // Two header lines, then "iface: rx_bytes ... (8 rx fields) tx_bytes ...";
            // old kernels omit the space after the colon.
            if (n < 2)
                continue;
            const qsizetype colon = lines[n].indexOf(QLatin1Char(':'));
            if (colon < 0) {
                errors << QStringLiteral("%1/%2 line %3: no \"interface:\" prefix")
                              .arg(m_procRoot, file)
                              .arg(n + 1);
                return;
            }
            name = lines[n].left(colon).trimmed();
            fields = lines[n].mid(colon + 1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (fields.size() < 9) {
                errors << QStringLiteral("%1/%2 line %3: %4 counters, expected at least 9")
                              .arg(m_procRoot, file)
                              .arg(n + 1)
                              .arg(fields.size());
                return;
            }
            inField = 0;
            outField = 8;
        }
        if (disks ? !isWholePhysicalDisk(name) : name == QLatin1String("lo"))
            continue;
        const std::optional<quint64> in = toU64(fields[inField]);
        const std::optional<quint64> outValue = toU64(fields[outField]);
        if (!in || !outValue) {
            errors << QStringLiteral("%1/%2 line %3: counter for %4 is not a number")
                          .arg(m_procRoot, file)
                          .arg(n + 1)
                          .arg(name);
            return;
        }
        const quint64 scale = disks ? kSectorBytes : 1;
        snapshot.devices.insert(name, IoTotals{*in * scale, *outValue * scale});
    }
    if (!disks && lines.size() < 2) {
        errors << QStringLiteral("%1/%2: truncated (no header)").arg(m_procRoot, file);
        return;
    }
    if (previous && now > previous->atMs) {
        const double seconds = double(now - previous->atMs) / 1000.0;
        quint64 inBytes = 0;
        quint64 outBytes = 0;
        // Devices that appeared since the last poll have no baseline, and a
        // counter that went backwards (device re-added, wrap) counts as zero.
        for (auto it = snapshot.devices.cbegin(); it != snapshot.devices.cend(); ++it) {
            const auto old = previous->devices.constFind(it.key());
            if (old == previous->devices.cend())
                continue;
            if (it->in >= old->in)
                inBytes += it->in - old->in;
            if (it->out >= old->out)
                outBytes += it->out - old->out;
        }
        out.push_back(gauge(inMetric, double(inBytes) / seconds, now));
        out.push_back(gauge(outMetric, double(outBytes) / seconds, now));
    }
    previous = std::move(snapshot);
}

void ProcSource::pollFilesystem(qint64 now, std::vector<Sample>& out, QStringList& errors)
{
    if (m_filesystemPath.isEmpty())
        return;
    struct statvfs fs
    {
    };
    if (::statvfs(QFile::encodeName(m_filesystemPath).constData(), &fs) != 0) {
        errors << QStringLiteral("statvfs(%1): %2")
                      .arg(m_filesystemPath, QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    // f_bavail: what an unprivileged user can still write, as df shows it.
    out.push_back(gauge("querydeck_host_filesystem_size_bytes",
                        double(fs.f_blocks) * double(fs.f_frsize), now));
    out.push_back(gauge("querydeck_host_filesystem_free_bytes",
                        double(fs.f_bavail) * double(fs.f_frsize), now));
}

} // namespace querydeck
