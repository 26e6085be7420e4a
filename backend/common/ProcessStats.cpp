#include "common/ProcessStats.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <unistd.h>

namespace querydeck {

namespace {

QByteArray readSmallFile(const char* path)
{
    QFile file(QString::fromLatin1(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(4096);
}

double bootTimeSeconds()
{
    const QByteArray stat = readSmallFile("/proc/stat");
    const qsizetype at = stat.indexOf("\nbtime ");
    if (at < 0)
        return 0.0;
    const qsizetype end = stat.indexOf('\n', at + 1);
    return stat.mid(at + 7, end - at - 7).trimmed().toDouble();
}

} // namespace

std::optional<ProcessStats> ProcessStats::read()
{
    // /proc/self/stat: "pid (comm) state ..."; comm may contain spaces, so the
    // fields are counted from the last ')'.
    const QByteArray stat = readSmallFile("/proc/self/stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // After ')': state is index 0, so utime (field 14) is index 11, stime 12, starttime 19.
    if (fields.size() < 20)
        return std::nullopt;
    static const double ticks = double(sysconf(_SC_CLK_TCK));
    static const double pageSize = double(sysconf(_SC_PAGESIZE));

    ProcessStats stats;
    stats.cpuSeconds = (fields[11].toDouble() + fields[12].toDouble()) / ticks;
    stats.startTimeSeconds = bootTimeSeconds() + fields[19].toDouble() / ticks;
    const QList<QByteArray> statm = readSmallFile("/proc/self/statm").split(' ');
    if (statm.size() >= 2)
        stats.residentBytes = statm[1].toDouble() * pageSize;
    return stats;
}

} // namespace querydeck
