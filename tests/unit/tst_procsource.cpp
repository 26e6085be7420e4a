// ProcSource over recorded /proc snapshots (tests/data/proc/<case>/{1,2}):
// the gauges and rates are compared with values worked out by hand from the
// files, and broken files must give errors naming them, never a crash.
#include "ManualClock.h"
#include "backend/sources/ProcSource.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

namespace {

using Values = QMap<QString, double>;

// Copies one recorded snapshot over the fake proc root, as the kernel would
// have rewritten the files between two polls.
bool installSnapshot(const QString& root, const QString& caseName, int snapshot)
{
    const QString from =
        QStringLiteral(QUERYDECK_TEST_DATA "/proc/%1/%2").arg(caseName).arg(snapshot);
    for (const char* name : {"stat", "meminfo", "diskstats", "net/dev"}) {
        const QString target = root + QLatin1Char('/') + QLatin1String(name);
        QDir().mkpath(QFileInfo(target).path());
        QFile::remove(target);
        if (!QFile::copy(from + QLatin1Char('/') + QLatin1String(name), target))
            return false;
    }
    return true;
}

SourceResult pollOnce(ProcSource& source)
{
    QSignalSpy spy(&source, &MetricSource::finished);
    source.poll();
    // poll() reads synchronously: finished() must already have been emitted, once.
    if (spy.size() != 1)
        return SourceResult{QStringLiteral("wrong"), 0, {}, {}, 0, QStringLiteral("no result")};
    return spy.first().first().value<SourceResult>();
}

Values valuesOf(const SourceResult& result)
{
    Values values;
    for (const Sample& sample : result.samples) {
        values.insert(sample.key.name, sample.value);
        if (sample.key.label(QStringLiteral("instance")) != QLatin1String("localhost"))
            values.insert(QStringLiteral("bad instance label"), 0);
    }
    return values;
}

} // namespace

class ProcSourceTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<SourceResult>(); }

    void twoSnapshots_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<Values>("first");
        QTest::addColumn<Values>("second");

        const Values basicFirst{{"querydeck_host_memory_total_bytes", 8000000.0 * 1024},
                                {"querydeck_host_memory_used_bytes", 4000000.0 * 1024}};
        // Δt = 2 s. CPU: Δtotal 1000, Δidle(+iowait) 600 → 40 %.
        // Disk: sda +4000 read / +2000 written sectors, nvme0n1 +2000 read;
        // loop0, dm-0 and the partitions are ignored. ×512 B / 2 s.
        // Net: eth0 +200000/+40000, wlan0 (no space after colon) +100000/0; lo ignored.
        QTest::newRow("basic")
            << "basic" << basicFirst
            << Values{
                   {"querydeck_host_cpu_usage_percent", 40.0},
                   {"querydeck_host_memory_total_bytes", 8000000.0 * 1024},
                   {"querydeck_host_memory_used_bytes", 5000000.0 * 1024},
                   {"querydeck_host_disk_read_bytes_per_second", (4000.0 + 2000.0) * 512 / 2},
                   {"querydeck_host_disk_write_bytes_per_second", 2000.0 * 512 / 2},
                   {"querydeck_host_network_receive_bytes_per_second", (200000.0 + 100000.0) / 2},
                   {"querydeck_host_network_transmit_bytes_per_second", 40000.0 / 2}};
        // sda's counters went backwards (counts 0), sdb is new (no baseline),
        // wlan0 vanished; CPU only idled.
        QTest::newRow("counter reset")
            << "reset" << basicFirst
            << Values{{"querydeck_host_cpu_usage_percent", 0.0},
                      {"querydeck_host_memory_total_bytes", 8000000.0 * 1024},
                      {"querydeck_host_memory_used_bytes", 5000000.0 * 1024},
                      {"querydeck_host_disk_read_bytes_per_second", 400.0 * 512 / 2},
                      {"querydeck_host_disk_write_bytes_per_second", 200.0 * 512 / 2},
                      {"querydeck_host_network_receive_bytes_per_second", 2000.0 / 2},
                      {"querydeck_host_network_transmit_bytes_per_second", 1000.0 / 2}};
    }

    void twoSnapshots()
    {
        QFETCH(QString, caseName);
        QFETCH(Values, first);
        QFETCH(Values, second);

        QTemporaryDir root;
        QVERIFY(root.isValid());
        ManualClock clock;
        ProcSource source(root.path());
        source.setClock(clock.clock());
        source.setFilesystemPath({});

        QVERIFY(installSnapshot(root.path(), caseName, 1));
        const SourceResult one = pollOnce(source);
        QVERIFY2(one.error.isEmpty(), qPrintable(one.error));
        QCOMPARE(one.sourceId, QStringLiteral("proc"));
        QCOMPARE(one.timestampMs, clock.now());
        QCOMPARE(valuesOf(one), first); // no rates without a previous poll

        clock.advance(2000);
        QVERIFY(installSnapshot(root.path(), caseName, 2));
        const SourceResult two = pollOnce(source);
        QVERIFY2(two.error.isEmpty(), qPrintable(two.error));
        QCOMPARE(valuesOf(two), second);
        for (const Sample& sample : two.samples) {
            QCOMPARE(sample.timestampMs, clock.now());
            QCOMPARE(two.types.value(sample.key.name), MetricType::Gauge);
        }
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("malformed")
            << "malformed"
            << QStringList{"stat: cpu field 2 is not a number", "meminfo: MemAvailable missing",
                           "diskstats line 2: 5 fields", "net/dev line 3: no \"interface:\""};
        QTest::newRow("truncated") << "truncated"
                                   << QStringList{"stat: first line is not an aggregate cpu line",
                                                  "meminfo: MemAvailable missing",
                                                  "diskstats: empty", "net/dev: truncated"};
    }

    void brokenFiles()
    {
        QFETCH(QString, caseName);
        QFETCH(QStringList, mentions);

        QTemporaryDir root;
        QVERIFY(root.isValid());
        ManualClock clock;
        ProcSource source(root.path());
        source.setClock(clock.clock());
        source.setFilesystemPath({});
        QVERIFY(installSnapshot(root.path(), caseName, 1));
        QVERIFY(pollOnce(source).error.isEmpty());

        clock.advance(1000);
        QVERIFY(installSnapshot(root.path(), caseName, 2));
        const SourceResult broken = pollOnce(source);
        for (const QString& mention : mentions)
            QVERIFY2(broken.error.contains(mention),
                     qPrintable(QStringLiteral("\"%1\" not in: %2").arg(mention, broken.error)));
        QVERIFY(broken.samples.empty()); // every file was broken

        // The good baseline survives a broken poll: rates resume over the whole gap.
        clock.advance(1000);
        QVERIFY(installSnapshot(root.path(), QStringLiteral("basic"), 2));
        const SourceResult recovered = pollOnce(source);
        QVERIFY2(recovered.error.isEmpty(), qPrintable(recovered.error));
        const Values values = valuesOf(recovered);
        QCOMPARE(values.value("querydeck_host_cpu_usage_percent"), 40.0);
        QCOMPARE(values.value("querydeck_host_network_transmit_bytes_per_second"), 40000.0 / 2);
    }

    void missingRootNamesTheFile()
    {
        ProcSource source(QStringLiteral("/nonexistent/proc-root"));
        source.setFilesystemPath(QStringLiteral("/nonexistent/home"));
        const SourceResult result = pollOnce(source);
        QVERIFY(result.samples.empty());
        QVERIFY2(result.error.contains(QLatin1String("/nonexistent/proc-root/stat")),
                 qPrintable(result.error));
        QVERIFY2(result.error.contains(QLatin1String("statvfs(/nonexistent/home)")),
                 qPrintable(result.error));
    }

    void filesystemGauges()
    {
        QTemporaryDir dir;
        ProcSource source(dir.path()); // no proc files there: only the filesystem gauges
        source.setFilesystemPath(dir.path());
        const Values values = valuesOf(pollOnce(source));
        QVERIFY(values.value("querydeck_host_filesystem_size_bytes") > 0);
        QVERIFY(values.value("querydeck_host_filesystem_free_bytes") >= 0);
        QVERIFY(values.value("querydeck_host_filesystem_free_bytes") <=
                values.value("querydeck_host_filesystem_size_bytes"));
    }

    void realProc()
    {
        // The live /proc of this machine: every gauge present after two polls.
        ManualClock clock;
        ProcSource source;
        source.setClock(clock.clock());
        QVERIFY2(pollOnce(source).error.isEmpty(), "first poll of /proc failed");
        clock.advance(1000);
        const SourceResult result = pollOnce(source);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        const Values values = valuesOf(result);
        // CPU % needs the jiffy counters to have moved between the two reads.
        QVERIFY2(values.size() >= 8, qPrintable(QStringList(values.keys()).join(',')));
        QVERIFY(values.value("querydeck_host_cpu_usage_percent") <= 100.0);
        QVERIFY(values.value("querydeck_host_memory_used_bytes") <
                values.value("querydeck_host_memory_total_bytes"));
    }
};

QTEST_GUILESS_MAIN(ProcSourceTest)
#include "tst_procsource.moc"
