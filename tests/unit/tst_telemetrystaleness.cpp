// Staleness in the TelemetryEngine, as Prometheus's scrape loop has it: a
// series missing from a source's poll, every series of a poll that failed,
// and every series (up included) of a removed source end at once, instead of
// lingering for the 5-minute look-back (a scaled-down replica's lines, a
// failed-over Redis master's figures added to the new one's).
#include "backend/metrics/Expression.h"
#include "backend/sources/MetricSource.h"
#include "backend/telemetry/TelemetryEngine.h"

#include <QDateTime>
#include <QTest>

using namespace querydeck;

namespace {

// Emits fake_value{instance=...} = 1 for each name in `instances` on every
// poll (at once), or fails.
class ListSource : public MetricSource
{
public:
    using MetricSource::MetricSource;
    QString id() const override { return QStringLiteral("list:target"); }
    QString description() const override { return QStringLiteral("scripted series"); }
    void poll() override
    {
        ++polls;
        SourceResult result;
        result.sourceId = id();
        result.timestampMs = QDateTime::currentMSecsSinceEpoch();
        if (failing) {
            result.error = QStringLiteral("list: connection refused");
        } else {
            for (const QString& instance : instances)
                result.samples.push_back(
                    Sample{SeriesKey::make(QStringLiteral("fake_value"),
                                           {{QStringLiteral("instance"), instance}}),
                           1.0, result.timestampMs});
        }
        emit finished(result);
    }

    QStringList instances;
    bool failing = false;
    int polls = 0;
};

// Instances of the series an expression gives now, sorted.
QStringList instancesNow(const TimeSeriesStore& store, const QString& text)
{
    QStringList out;
    for (const auto& [key, v] :
         Expression::parse(text).instant(store, QDateTime::currentMSecsSinceEpoch()))
        out << key.label(QStringLiteral("instance"));
    out.sort();
    return out;
}

} // namespace

class TestTelemetryStaleness : public QObject
{
    Q_OBJECT

private slots:
    void seriesMissingFromAPollEnds();
    void failedPollEndsItsSeries();
    void removedSourceEndsEverySeries();

private:
    // Lets the engine poll the source n more times.
    static void pollsMore(const ListSource* source, int n)
    {
        const int before = source->polls;
        QTRY_VERIFY(source->polls >= before + n);
    }
};

void TestTelemetryStaleness::seriesMissingFromAPollEnds()
{
    TelemetryEngine engine;
    auto* source = new ListSource;
    source->instances = {QStringLiteral("r1"), QStringLiteral("r2")};
    engine.addSource(source, 20);
    engine.start();
    QTRY_COMPARE(instancesNow(engine.store(), QStringLiteral("fake_value")),
                 (QStringList{"r1", "r2"}));
    source->instances = {QStringLiteral("r1")}; // r2 scaled down
    pollsMore(source, 2);
    QCOMPARE(instancesNow(engine.store(), QStringLiteral("fake_value")), QStringList{"r1"});
    QCOMPARE(instancesNow(engine.store(), QStringLiteral("sum(fake_value)")).size(), 1);
    const auto sum = Expression::parse(QStringLiteral("sum(fake_value)"))
                         .instant(engine.store(), QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(sum.front().second, 1.0);
    // Back again: drawn again.
    source->instances = {QStringLiteral("r1"), QStringLiteral("r2")};
    pollsMore(source, 2);
    QCOMPARE(instancesNow(engine.store(), QStringLiteral("fake_value")), (QStringList{"r1", "r2"}));
    engine.stop();
}

void TestTelemetryStaleness::failedPollEndsItsSeries()
{
    TelemetryEngine engine;
    auto* source = new ListSource;
    source->instances = {QStringLiteral("r1")};
    engine.addSource(source, 20);
    engine.start();
    QTRY_COMPARE(instancesNow(engine.store(), QStringLiteral("fake_value")), QStringList{"r1"});
    source->failing = true;
    pollsMore(source, 2);
    QCOMPARE(instancesNow(engine.store(), QStringLiteral("fake_value")), QStringList());
    // The target is down, and says so.
    const auto up = Expression::parse(QStringLiteral("up{job=\"list\"}"))
                        .instant(engine.store(), QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(up.size(), std::size_t(1));
    QCOMPARE(up.front().second, 0.0);
    engine.stop();
}

void TestTelemetryStaleness::removedSourceEndsEverySeries()
{
    TelemetryEngine engine;
    auto* source = new ListSource;
    source->instances = {QStringLiteral("r1"), QStringLiteral("r2")};
    engine.addSource(source, 20);
    engine.start();
    QTRY_COMPARE(instancesNow(engine.store(), QStringLiteral("fake_value")).size(), 2);
    QTRY_COMPARE(instancesNow(engine.store(), QStringLiteral("up")).size(), 1);
    QVERIFY(engine.removeSource(QStringLiteral("list:target")));
    // Neither its samples nor its up series: no line, no up 0, no up 1.
    QCOMPARE(instancesNow(engine.store(), QStringLiteral("fake_value")), QStringList());
    QCOMPARE(instancesNow(engine.store(), QStringLiteral("up")), QStringList());
    engine.stop();
}

QTEST_GUILESS_MAIN(TestTelemetryStaleness)
#include "tst_telemetrystaleness.moc"
