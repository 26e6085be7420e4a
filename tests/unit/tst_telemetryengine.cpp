// TelemetryEngine with a scripted source: samples reach the store, health
// moves Ok → Error → Stale, panels evaluate expressions (a bad one is named
// in the panel's error), refresh can be switched off, and the engine runs
// on TelemetryThread with results arriving queued. A source with history of
// its own fills a panel's range from before its first poll.
#include "backend/metrics/Expression.h"
#include "backend/sources/MetricSource.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/telemetry/TelemetryThread.h"

#include <QDateTime>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace querydeck;

namespace {

// Emits fake_value{instance="test"} = value on every poll, or an error, or
// nothing at all (a hung source).
class FakeSource : public MetricSource
{
public:
    enum Mode
    {
        Good,
        Failing,
        Silent
    };

    using MetricSource::MetricSource;
    QString id() const override { return QStringLiteral("fake"); }
    QString description() const override { return QStringLiteral("scripted source"); }
    void poll() override
    {
        ++polls;
        SourceResult result;
        result.sourceId = id();
        result.timestampMs = QDateTime::currentMSecsSinceEpoch();
        switch (mode.load()) {
        case Good:
            result.samples.push_back(
                Sample{SeriesKey::make(QStringLiteral("fake_value"),
                                       {{QStringLiteral("instance"), QStringLiteral("test")}}),
                       value.load(), result.timestampMs});
            result.types.insert(QStringLiteral("fake_value"), MetricType::Gauge);
            emit finished(result);
            break;
        case Failing:
            result.error = QStringLiteral("fake: disk on fire");
            emit finished(result);
            break;
        case Silent:
            break;
        }
    }

    std::atomic<int> mode{Good};
    std::atomic<double> value{42.0};
    std::atomic<int> polls{0};
};

// A FakeSource with history of its own, like a Prometheus server: answers
// range queries for expressions over fake_value with a point every 10 s
// (value 7) for instance "test" and for instance "gone" (no longer polled),
// or an error for queries that mention "broken".
class HistorySource : public FakeSource
{
public:
    struct Request
    {
        QString query;
        qint64 from = 0;
        qint64 to = 0;
        int width = 0;
    };

    QString rangeQuery(const Expression& expression) const override
    {
        return expression.text().contains(QLatin1String("fake_value")) ? expression.text()
                                                                       : QString();
    }
    int queryRange(const QString& query, qint64 fromMs, qint64 toMs, int widthPixels) override
    {
        requests.push_back({query, fromMs, toMs, widthPixels});
        const int id = int(requests.size());
        RangeResult result;
        if (query.contains(QLatin1String("broken"))) {
            result.error = QStringLiteral("history: query_range \"%1\": HTTP 503").arg(query);
        } else {
            for (const QString& instance : {QStringLiteral("gone"), QStringLiteral("test")}) {
                EvaluatedSeries series;
                for (qint64 t = fromMs; t <= toMs; t += 10000)
                    series.points.push_back({t, 7.0});
                result.keys.push_back(SeriesKey::make(QStringLiteral("fake_value"),
                                                      {{QStringLiteral("instance"), instance}}));
                result.series.push_back(std::move(series));
            }
        }
        QMetaObject::invokeMethod(
            this, [this, id, result] { emit rangeFinished(id, result); }, Qt::QueuedConnection);
        return id;
    }

    std::vector<Request> requests;
};

QList<SourceStatus> lastStatus(const QSignalSpy& spy)
{
    return spy.isEmpty() ? QList<SourceStatus>{} : spy.last().first().value<QList<SourceStatus>>();
}

SourceHealth healthOf(const QSignalSpy& spy)
{
    const QList<SourceStatus> status = lastStatus(spy);
    return status.isEmpty() ? SourceHealth::Stale : status.first().health;
}

PanelQuery panel(const QString& id, const QStringList& exprs)
{
    PanelQuery query;
    query.panelId = id;
    for (const QString& expr : exprs)
        query.targets.push_back(PanelTarget{expr, {}});
    return query;
}

} // namespace

class TelemetryEngineTest : public QObject
{
    Q_OBJECT

private slots:
    void samplesFlowIntoStore()
    {
        TelemetryEngine engine;
        auto* source = new FakeSource;
        engine.addSource(source, 20);
        QCOMPARE(source->parent(), &engine);
        engine.start();
        const QString key = QStringLiteral("fake_value{instance=\"test\"}");
        QTRY_VERIFY_WITH_TIMEOUT(
            engine.store().window(key, 0, QDateTime::currentMSecsSinceEpoch()).size() >= 2, 5000);
        const auto points = engine.store().window(key, 0, QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(points.back().v, 42.0);
    }

    void healthTransitions()
    {
        TelemetryEngine engine;
        auto* source = new FakeSource;
        engine.addSource(source, 50);
        QSignalSpy status(&engine, &TelemetryEngine::sourceStatus);
        engine.start();
        // start() reports at once, before any poll finished... then Ok.
        QVERIFY(!status.isEmpty());
        QCOMPARE(lastStatus(status).first().id, QStringLiteral("fake"));
        QCOMPARE(lastStatus(status).first().description, QStringLiteral("scripted source"));
        QTRY_COMPARE_WITH_TIMEOUT(healthOf(status), SourceHealth::Ok, 5000);
        QVERIFY(lastStatus(status).first().lastSuccessMs > 0);
        QVERIFY(lastStatus(status).first().lastError.isEmpty());

        source->mode = FakeSource::Failing;
        QTRY_COMPARE_WITH_TIMEOUT(healthOf(status), SourceHealth::Error, 5000);
        QCOMPARE(lastStatus(status).first().lastError, QStringLiteral("fake: disk on fire"));

        // The source stops answering: after three intervals it is stale, and
        // the last error is still shown.
        source->mode = FakeSource::Silent;
        QTRY_COMPARE_WITH_TIMEOUT(healthOf(status), SourceHealth::Stale, 5000);
        QCOMPARE(lastStatus(status).first().lastError, QStringLiteral("fake: disk on fire"));

        // Status signals are rate-limited to one a second.
        QVERIFY2(status.size() <= 6, qPrintable(QString::number(status.size())));
    }

    void hungSourceIsNotPolledAgain()
    {
        TelemetryEngine engine;
        auto* hung = new FakeSource;
        hung->mode = FakeSource::Silent;
        auto* ticking = new FakeSource; // measures time in polls
        engine.addSource(hung, 10);
        engine.addSource(ticking, 10);
        QSignalSpy status(&engine, &TelemetryEngine::sourceStatus);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(ticking->polls >= 20, 5000);
        QCOMPARE(hung->polls.load(), 1); // its first poll never finished: no second one
        QTRY_VERIFY_WITH_TIMEOUT(lastStatus(status).size() == 2 &&
                                     lastStatus(status).at(1).health == SourceHealth::Ok,
                                 5000);
        QCOMPARE(lastStatus(status).at(0).health, SourceHealth::Stale);
        QCOMPARE(lastStatus(status).at(0).lastError, QStringLiteral("no data yet"));
    }

    void panelDataForExpressions()
    {
        TelemetryEngine engine;
        auto* source = new FakeSource;
        engine.addSource(source, 20);
        engine.setRefreshInterval(0);
        engine.setRange(60 * 1000, 0, 30);
        engine.setPanels({panel(QStringLiteral("p1"),
                                {QStringLiteral("fake_value"), QStringLiteral("fake_value * 2")}),
                          panel(QStringLiteral("bad"), {QStringLiteral("sum(fake_value"),
                                                        QStringLiteral("fake_value + 1")})});
        QSignalSpy data(&engine, &TelemetryEngine::panelData);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(source->polls >= 2, 5000);
        // The source's first good poll was drawn at once; wait for that refresh.
        QTRY_COMPARE_WITH_TIMEOUT(data.size(), 1, 5000);
        data.clear();

        engine.refreshNow();
        QCOMPARE(data.size(), 1); // one signal with every panel
        const auto panels = data.first().first().value<QList<PanelData>>();
        QCOMPARE(panels.size(), 2);

        const PanelData& p1 = panels.at(0);
        QCOMPARE(p1.panelId, QStringLiteral("p1"));
        QVERIFY(p1.error.isEmpty());
        QCOMPARE(p1.to - p1.from, 60 * 1000);
        QCOMPARE(p1.series.size(), std::size_t(2));
        for (const EvaluatedSeries& series : p1.series) {
            QVERIFY(!series.points.empty());
            QVERIFY(series.points.size() <= 30);
        }
        QCOMPARE(p1.series.at(0).points.back().v, 42.0);
        QCOMPARE(p1.series.at(1).points.back().v, 84.0);

        const PanelData& bad = panels.at(1);
        QVERIFY2(bad.error.contains(QLatin1String("sum(fake_value")), qPrintable(bad.error));
        QCOMPARE(bad.series.size(), std::size_t(1)); // the good target still evaluates
        QCOMPARE(bad.series.at(0).points.back().v, 43.0);
    }

    // A panel whose range starts before the source's first poll gets the
    // source's own history in front of what the store has, from one range
    // query per target at the panel's width; the store's points are not
    // drawn twice; a failed history query is named in the panel's error.
    void historyFillsTheRangeBeforeTheFirstPoll()
    {
        TelemetryEngine engine;
        auto* source = new HistorySource;
        engine.addSource(source, 20);
        engine.setRefreshInterval(0);
        engine.setRange(10 * 60 * 1000, 0, 600);
        PanelQuery wide = panel(QStringLiteral("wide"), {QStringLiteral("fake_value")});
        wide.widthPixels = 150;
        const PanelQuery broken =
            panel(QStringLiteral("broken"), {QStringLiteral("fake_value + broken_value")});
        const PanelQuery local = panel(QStringLiteral("local"), {QStringLiteral("other_value")});
        engine.setPanels({wide, broken, local});
        QCOMPARE(source->requests.size(), std::size_t(0)); // not running: nothing asked
        QSignalSpy data(&engine, &TelemetryEngine::panelData);
        const qint64 started = QDateTime::currentMSecsSinceEpoch();
        engine.start();

        // Asked once the source's first poll said it is alive: one query per
        // target it serves, at the panel's width (0: the point budget).
        QTRY_COMPARE_WITH_TIMEOUT(source->requests.size(), std::size_t(2), 5000);
        QCOMPARE(source->requests[0].query, QStringLiteral("fake_value"));
        QCOMPARE(source->requests[0].width, 150);
        QCOMPARE(source->requests[0].to - source->requests[0].from, 10 * 60 * 1000);
        QVERIFY(source->requests[0].from < started - 9 * 60 * 1000);
        QCOMPARE(source->requests[1].query, QStringLiteral("fake_value + broken_value"));
        QCOMPARE(source->requests[1].width, 600);

        QTRY_VERIFY_WITH_TIMEOUT(source->polls >= 3, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!data.isEmpty(), 5000);
        data.clear();
        engine.refreshNow();
        const auto panels = data.first().first().value<QList<PanelData>>();
        QCOMPARE(panels.size(), 3);
        const PanelData& w = panels.at(0);
        QCOMPARE(w.error, QString());
        QCOMPARE(w.series.size(), std::size_t(2));
        QCOMPARE(w.series[0].legend, QStringLiteral("fake_value{instance=\"gone\"}"));
        QCOMPARE(w.series[1].legend, QStringLiteral("fake_value{instance=\"test\"}"));
        // "gone": history only, up to the first poll.
        QVERIFY(w.series[0].points.size() >= 55);
        QVERIFY(w.series[0].points.back().t <= QDateTime::currentMSecsSinceEpoch());
        for (const Point& p : w.series[0].points)
            QCOMPARE(p.v, 7.0);
        // "test": the same history, then the polled value, never an instant twice.
        const std::vector<Point>& test = w.series[1].points;
        QVERIFY(test.size() >= 56);
        QCOMPARE(test.front().v, 7.0);
        QCOMPARE(test.back().v, 42.0);
        for (std::size_t i = 1; i < test.size(); ++i) {
            QVERIFY(test[i].t > test[i - 1].t);
            if (test[i].v == 7.0)
                QCOMPARE(test[i - 1].v, 7.0); // history only before the store's data
        }

        const PanelData& b = panels.at(1);
        QVERIFY2(b.error.contains(
                     QLatin1String("history: query_range \"fake_value + broken_value\": HTTP 503")),
                 qPrintable(b.error));
        QCOMPARE(panels.at(2).error, QString());
        QVERIFY(panels.at(2).series.empty());

        // A range that starts after the first poll needs no history.
        engine.setRange(10 * 1000, QDateTime::currentMSecsSinceEpoch() + 60 * 1000, 600);
        QCOMPARE(source->requests.size(), std::size_t(2));
        engine.stop();
    }

    void fixedEndAndPointBudget()
    {
        TelemetryEngine engine;
        const qint64 end = QDateTime::currentMSecsSinceEpoch();
        engine.setRefreshInterval(0);
        engine.setRange(600 * 1000, end, 20);
        engine.setPanels({panel(QStringLiteral("h"), {QStringLiteral("hist_value")})});
        QSignalSpy data(&engine, &TelemetryEngine::panelData);
        engine.refreshNow();
        QCOMPARE(data.size(), 1);
        const auto panels = data.first().first().value<QList<PanelData>>();
        QCOMPARE(panels.first().to, end);
        QCOMPARE(panels.first().from, end - 600 * 1000);
        QVERIFY(panels.first().series.empty()); // no data for that metric: no series, no error
        QVERIFY(panels.first().error.isEmpty());
    }

    void refreshOff()
    {
        TelemetryEngine engine;
        auto* source = new FakeSource;
        engine.addSource(source, 10);
        engine.setPanels({panel(QStringLiteral("p"), {QStringLiteral("fake_value")})});
        engine.setRefreshInterval(20);
        QSignalSpy data(&engine, &TelemetryEngine::panelData);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(data.size() >= 2, 5000);

        engine.setRefreshInterval(0);
        data.clear();
        // Wait for many source intervals (ten refresh intervals' worth): no panel data.
        const int polls = source->polls;
        QTRY_VERIFY_WITH_TIMEOUT(source->polls >= polls + 20, 5000);
        QCOMPARE(data.size(), 0);
        engine.refreshNow(); // still works on demand
        QCOMPARE(data.size(), 1);

        engine.setRefreshInterval(20);
        QTRY_VERIFY_WITH_TIMEOUT(data.size() >= 3, 5000);
    }

    void runsOnTelemetryThread()
    {
        QPointer<FakeSource> source = new FakeSource;
        QPointer<TelemetryEngine> engine;
        {
            TelemetryThread thread;
            engine = thread.engine();
            QVERIFY(engine->thread() != QThread::currentThread());
            thread.engine()->addSource(source, 20);
            QCOMPARE(source->thread(), engine->thread());
            QMetaObject::invokeMethod(
                engine,
                [e = engine.data()] {
                    e->setPanels({panel(QStringLiteral("p"), {QStringLiteral("fake_value")})});
                    e->setRefreshInterval(20);
                },
                Qt::QueuedConnection);
            QSignalSpy data(engine, &TelemetryEngine::panelData);
            QSignalSpy status(engine, &TelemetryEngine::sourceStatus);
            thread.start();
            QTRY_VERIFY_WITH_TIMEOUT(!data.isEmpty(), 5000);
            QTRY_VERIFY_WITH_TIMEOUT(
                !data.last().first().value<QList<PanelData>>().first().series.empty(), 5000);
            QTRY_COMPARE_WITH_TIMEOUT(healthOf(status), SourceHealth::Ok, 5000);
            // The GUI side reads the store while the engine writes it.
            QVERIFY(engine->store().seriesCount() >= 1);
        }                             // stops the engine, quits and waits for the thread
        QTRY_VERIFY(engine.isNull()); // deleted on its own thread, sources with it
        QVERIFY(source.isNull());
    }

    void neverStartedThreadCleansUp()
    {
        QPointer<TelemetryEngine> engine;
        {
            TelemetryThread thread;
            engine = thread.engine();
            thread.engine()->addSource(new FakeSource, 100);
        }
        QVERIFY(engine.isNull());
    }
};

QTEST_GUILESS_MAIN(TelemetryEngineTest)
#include "tst_telemetryengine.moc"
