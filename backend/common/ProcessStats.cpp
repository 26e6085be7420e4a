#include "backend/common/ProcessStats.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <unistd.h>

namespace querydeck {

namespace {

QByteArray readSmallFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(4096);
}

double bootTimeSeconds()
{
    const QByteArray stat = readSmallFile(QStringLiteral("/proc/stat"));
    const qsizetype at = stat.indexOf("\nbtime ");
    if (at < 0)
        return 0.0;
    const qsizetype end = stat.indexOf('\n', at + 1);
    return stat.mid(at + 7, end - at - 7).trimmed().toDouble();
}

std::optional<ProcessStats> readProc(const QString& dir)
{
    // stat: "pid (comm) state ..."; comm may contain spaces, so the fields are
    // counted from the last ')'.
    const QByteArray stat = readSmallFile(dir + QStringLiteral("/stat"));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // After ')': state is index 0, so utime (field 14) is index 11, stime 12, starttime 19.
    // A zombie has exited: its numbers are final, it is not running.
    if (fields.size() < 20 || fields[0] == "Z" || fields[0] == "X")
        return std::nullopt;
    static const double ticks = double(sysconf(_SC_CLK_TCK));
    static const double pageSize = double(sysconf(_SC_PAGESIZE));

    ProcessStats stats;
    stats.cpuSeconds = (fields[11].toDouble() + fields[12].toDouble()) / ticks;
    stats.startTimeSeconds = bootTimeSeconds() + fields[19].toDouble() / ticks;
    const QList<QByteArray> statm = readSmallFile(dir + QStringLiteral("/statm")).split(' ');
    if (statm.size() >= 2)
        stats.residentBytes = statm[1].toDouble() * pageSize;
    return stats;
}

} // namespace

std::optional<ProcessStats> ProcessStats::read()
{
    return readProc(QStringLiteral("/proc/self"));
}

std::optional<ProcessStats> ProcessStats::read(qint64 pid)
{
    if (pid <= 0)
        return std::nullopt;
    return readProc(QStringLiteral("/proc/%1").arg(pid));
}

} // namespace querydeck
