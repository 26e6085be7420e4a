// Acknowledgements persist: an acknowledged firing alert is still
// acknowledged after a restart (same history and acknowledgements files),
// the acknowledgement ends with the alert, and a corrupt file is skipped
// with each problem named and kept aside (nothing lost), never overwritten.
#include "ManualClock.h"
#include "backend/alerting/AlertAcknowledgements.h"
#include "backend/alerting/AlertEngine.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

namespace {

constexpr qint64 kStepMs = 1000;
constexpr qint64 kT0 = 1'700'000'000'000; // the first run's start
const QString kKey = QStringLiteral("A{instance=\"a\"}");

AlertRule rule(const QString& name)
{
    AlertRule r;
    r.name = name;
    r.expression = QStringLiteral("g");
    r.comparator = AlertComparator::Greater;
    r.threshold = 3;
    r.intervalMs = kStepMs;
    r.severity = AlertSeverity::Critical;
    return r;
}

SeriesKey gauge()
{
    return SeriesKey::make(QStringLiteral("g"),
                           {{QStringLiteral("instance"), QStringLiteral("a")}});
}

// One console run: an engine over its own store, on the files in `dir`.
struct Run
{
    ManualClock clock;
    TimeSeriesStore store;
    AlertEngine engine{&store, clock.clock()};

    Run(const QTemporaryDir& dir, const std::vector<AlertRule>& rules, qint64 startMs)
        : clock(startMs)
    {
        engine.setTickInterval(0);
        engine.setHistoryFile(dir.filePath(QStringLiteral("history.jsonl")));
        engine.setAcknowledgementsFile(dir.filePath(QStringLiteral("acks.json")));
        engine.setRules(rules);
        engine.start();
    }
    void feed(double value)
    {
        clock.advance(kStepMs);
        store.append(gauge(), clock.now(), value);
        engine.evaluateDue();
    }
    // A fires (one sample over its threshold) and `by` acknowledges it.
    bool fireAndAcknowledge(const QString& by)
    {
        feed(5);
        const AlertInstance* a = instance(kKey);
        return a && a->status.state == AlertState::Firing && engine.acknowledge(kKey, by);
    }
    const AlertInstance* instance(const QString& key) const
    {
        static QList<AlertInstance> last;
        last = engine.instances();
        for (const AlertInstance& a : std::as_const(last)) {
            if (a.key() == key)
                return &a;
        }
        return nullptr;
    }
};

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A first run on `dir` in which A fires and `by` acknowledges it; the run
// has ended (and saved) when this returns.
bool acknowledgedInAFirstRun(const QTemporaryDir& dir, const QString& by)
{
    Run first(dir, {rule("A")}, kT0);
    return first.fireAndAcknowledge(by);
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

} // namespace

class TestAlertAcknowledgements : public QObject
{
    Q_OBJECT

private slots:
    void acknowledgedAlertStaysAcknowledgedAcrossRestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(acknowledgedInAFirstRun(dir, QStringLiteral("ops on call")));
        const QByteArray saved = readFile(dir.filePath("acks.json"));
        QVERIFY2(saved.contains("ops on call"), saved.constData());
        {
            Run second(dir, {rule("A")}, kT0 + 60000);
            const AlertInstance* a = second.instance(kKey);
            QVERIFY(a);
            QCOMPARE(a->status.state, AlertState::Firing);
            QVERIFY(a->acknowledged);
            QCOMPARE(a->acknowledgedBy, QStringLiteral("ops on call"));
            // It resolves: the acknowledgement ends, on disk too.
            second.feed(1);
            QVERIFY(!second.instance(kKey) || !second.instance(kKey)->acknowledged);
            second.feed(5);
            QCOMPARE(second.instance(kKey)->status.state, AlertState::Firing);
            QVERIFY(!second.instance(kKey)->acknowledged);
        }
        QCOMPARE(AlertAcknowledgements::loadFile(dir.filePath("acks.json")).value.size(),
                 std::size_t(0));
        Run third(dir, {rule("A")}, kT0 + 120000);
        QCOMPARE(third.instance(kKey)->status.state, AlertState::Firing);
        QVERIFY(!third.instance(kKey)->acknowledged);
    }

    // A rule missing from this run (its file was broken, the defaults run)
    // does not cost its open alert's acknowledgement.
    void acknowledgementOfAnAbsentRuleIsKept()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(acknowledgedInAFirstRun(dir, QStringLiteral("ops")));
        {
            Run without(dir, {rule("B")}, kT0 + 10000);
        }
        Run back(dir, {rule("A")}, kT0 + 20000);
        QVERIFY(back.instance(kKey)->acknowledged);
        QCOMPARE(back.instance(kKey)->acknowledgedBy, QStringLiteral("ops"));
    }

    // The first run: no data dir yet. Nothing is written until there is
    // something to keep, then the directory is made.
    void firstRunCreatesTheDirectory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("not/yet/acks.json"));
        ManualClock clock;
        TimeSeriesStore store;
        AlertEngine engine(&store, clock.clock());
        engine.setTickInterval(0);
        engine.setAcknowledgementsFile(path);
        QVERIFY(engine.setRules({rule("A")}).isEmpty());
        engine.start();
        QVERIFY(!QFileInfo::exists(path));
        clock.advance(kStepMs);
        store.append(gauge(), clock.now(), 5);
        engine.evaluateDue();
        QVERIFY(engine.acknowledge(kKey, QStringLiteral("ops")));
        const auto loaded = AlertAcknowledgements::loadFile(path);
        QCOMPARE(loaded.errors, QStringList());
        QCOMPARE(loaded.value.size(), std::size_t(1));
    }

    void corruptFileIsSkippedAndKept()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray garbage = "{\"acknowledgements\": [ {\"alert\": ";
        QVERIFY(writeFile(dir.filePath("acks.json"), garbage));
        Run run(dir, {rule("A")}, kT0);
        const QStringList copies =
            QDir(dir.path()).entryList({QStringLiteral("acks.json.corrupt-*")}, QDir::Files);
        QCOMPARE(copies.size(), 1);
        QCOMPARE(readFile(dir.filePath(copies.first())), garbage);
        // The engine runs on, and new acknowledgements are saved.
        QVERIFY(run.fireAndAcknowledge(QStringLiteral("ops")));
        const auto loaded = AlertAcknowledgements::loadFile(dir.filePath("acks.json"));
        QCOMPARE(loaded.errors, QStringList());
        QCOMPARE(loaded.value.size(), std::size_t(1));
        QCOMPARE(loaded.value[0].alert, kKey);
        QCOMPARE(loaded.value[0].atMs, run.clock.now());
    }

    void parseNamesEachProblem_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("kept");
        QTest::addColumn<QStringList>("errors");
        const QByteArray good = R"({"alert":"A{}","by":"ops","at":"2026-11-29T20:00:00.000Z"})";
        QTest::newRow("valid") << QByteArray(R"({"acknowledgements":[)" + good + "]}") << 1
                               << QStringList();
        QTest::newRow("empty file")
            << QByteArray() << 0 << QStringList{"acknowledgements: expected"};
        QTest::newRow("array") << QByteArray("[]") << 0
                               << QStringList{"acknowledgements: expected"};
        QTest::newRow("bad entries")
            << QByteArray(R"({"acknowledgements":[)" + good + R"(, 5,
                 {"alert":"A{}","by":" ","at":"2026-11-29T20:00:00Z"},
                 {"alert":"not a key","by":"ops","at":"yesterday"}]})")
            << 1
            << QStringList{"acknowledgements[1].expected an object", "acknowledgements[2].by:",
                           "acknowledgements[3].alert:", "acknowledgements[3].at:"};
        QTest::newRow("oversized") << QByteArray(9 * 1024 * 1024, ' ') << 0
                                   << QStringList{"acknowledgements: larger than"};
    }

    void parseNamesEachProblem()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, kept);
        QFETCH(QStringList, errors);
        const auto result = AlertAcknowledgements::parse(json);
        QCOMPARE(int(result.value.size()), kept);
        QCOMPARE(result.errors.size(), errors.size());
        for (int i = 0; i < errors.size(); ++i)
            QVERIFY2(result.errors[i].startsWith(errors[i]), qPrintable(result.errors[i]));
    }
};

QTEST_GUILESS_MAIN(TestAlertAcknowledgements)
#include "tst_alertacknowledgements.moc"
