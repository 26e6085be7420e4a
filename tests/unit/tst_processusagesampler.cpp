// ProcessUsageSampler and ProcessStats::read(pid) on real processes: this
// test's own (made to burn a known amount of CPU time, measured against a
// ManualClock so the figure does not depend on the machine's load), a pid that does not exist, a
// child that exited but was not reaped yet (a zombie).
#include "ManualClock.h"
#include "backend/common/ProcessStats.h"
#include "backend/common/ProcessUsageSampler.h"

#include <QCoreApplication>
#include <QFile>
#include <QTest>
#include <cmath>
#include <ctime>
#include <sys/wait.h>
#include <unistd.h>

using namespace querydeck;

namespace {

double processCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Burns `seconds` of this process's CPU time (not wall time: a loaded machine
// only makes it take longer) and returns something the compiler cannot drop.
double burnCpu(double seconds)
{
    const double until = processCpuSeconds() + seconds;
    double x = 0;
    while (processCpuSeconds() < until)
        for (int i = 0; i < 1000; ++i)
            x += std::sqrt(x + 1.0);
    return x;
}

qint64 unusedPid()
{
    QFile max(QStringLiteral("/proc/sys/kernel/pid_max"));
    qint64 pid = 4194304;
    if (max.open(QIODevice::ReadOnly))
        pid = max.readAll().trimmed().toLongLong();
    return pid + 1; // above the largest pid the kernel hands out
}

} // namespace

class TestProcessUsageSampler : public QObject
{
    Q_OBJECT

private slots:
    void ownProcess();
    void goneAndInvalid();
    void zombie();
};

void TestProcessUsageSampler::ownProcess()
{
    const qint64 self = QCoreApplication::applicationPid();
    const auto byPid = ProcessStats::read(self);
    const auto own = ProcessStats::read();
    QVERIFY(byPid && own);
    QVERIFY(byPid->residentBytes > 1e6);
    QCOMPARE(byPid->startTimeSeconds, own->startTimeSeconds);

    ManualClock clock;
    ProcessUsageSampler sampler(clock.clock());
    auto first = sampler.sample({self});
    QCOMPARE(first.value(self).cpuPercent, -1.0); // one reading: no rate yet
    QVERIFY(first.value(self).residentBytes > 1e6);
    QVERIFY(burnCpu(0.3) > 0);
    clock.advance(1000);
    const auto second = sampler.sample({self});
    const double cpu = second.value(self).cpuPercent;
    // 0.3 s of CPU over 1 s of the sampler's clock is 30 %: /proc counts in
    // 10 ms ticks, and the process's other threads and reads add a little.
    QVERIFY2(cpu >= 27 && cpu < 40, qPrintable(QString::number(cpu)));
    // Sooner than kMinIntervalMs: the last figure, not a noisy one.
    clock.advance(ProcessUsageSampler::kMinIntervalMs - 1);
    QCOMPARE(sampler.sample({self}).value(self).cpuPercent, cpu);
    // Forgotten once not asked for: the next reading starts over.
    sampler.sample({});
    QCOMPARE(sampler.sample({self}).value(self).cpuPercent, -1.0);
}

void TestProcessUsageSampler::goneAndInvalid()
{
    QVERIFY(!ProcessStats::read(unusedPid()));
    QVERIFY(!ProcessStats::read(0));
    QVERIFY(!ProcessStats::read(-5));
    ProcessUsageSampler sampler;
    const auto usage = sampler.sample({unusedPid(), 0});
    QCOMPARE(usage.value(unusedPid()), ProcessUsageSampler::Usage{});
    QCOMPARE(usage.value(0), ProcessUsageSampler::Usage{});
}

void TestProcessUsageSampler::zombie()
{
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0)
        _exit(0);
    // Until it is reaped the pid still has a /proc entry, in state Z.
    QTRY_VERIFY(QFile(QStringLiteral("/proc/%1/stat").arg(child)).open(QIODevice::ReadOnly) &&
                !ProcessStats::read(child));
    int status = 0;
    QCOMPARE(waitpid(child, &status, 0), child);
    QVERIFY(!ProcessStats::read(child));
}

QTEST_GUILESS_MAIN(TestProcessUsageSampler)
#include "tst_processusagesampler.moc"
