// ProcessUsageSampler and ProcessStats::read(pid) on real processes: this
// test's own (made busy for a while), a pid that does not exist, a child that
// exited but was not reaped yet (a zombie).
#include "backend/common/ProcessStats.h"
#include "backend/common/ProcessUsageSampler.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>
#include <cmath>
#include <sys/wait.h>
#include <unistd.h>

using namespace querydeck;

namespace {

// Spins for `ms` of wall time and returns something the compiler cannot drop.
double spin(int ms)
{
    QElapsedTimer timer;
    timer.start();
    double x = 0;
    while (timer.elapsed() < ms)
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

    ProcessUsageSampler sampler;
    auto first = sampler.sample({self});
    QCOMPARE(first.value(self).cpuPercent, -1.0); // one reading: no rate yet
    QVERIFY(first.value(self).residentBytes > 1e6);
    QVERIFY(spin(400) > 0);
    const auto second = sampler.sample({self});
    const double cpu = second.value(self).cpuPercent;
    // Busy for the whole interval on one thread: above zero (a shared machine
    // may give it little of a core), never more than one core.
    QVERIFY2(cpu > 5 && cpu < 150, qPrintable(QString::number(cpu)));
    // Sooner than kMinIntervalMs: the last figure, not a noisy one.
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
