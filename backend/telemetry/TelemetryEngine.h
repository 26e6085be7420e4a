#pragma once

#include "backend/common/Clock.h"
#include "backend/dashboards/PanelData.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QObject>
#include <memory>

namespace querydeck {

class MetricSource;

// The console's sampling and evaluation loop. Lives on the telemetry thread
// (see TelemetryThread): polls each source on its interval, appends results
// to the store, tracks each source's health (stale after 3 missed
// intervals), and on every refresh evaluates the registered panel queries
// over the current range and emits the results. The GUI only ever talks to
// it through queued slots and signals.
// Series end as in Prometheus: a series missing from a source's poll, every
// series of a poll that failed or went silent, and every series (up
// included) of a removed source get a staleness marker at once, so they stop
// being drawn and summed instead of lingering for the 5-minute look-back.
class TelemetryEngine : public QObject
{
    Q_OBJECT

public:
    explicit TelemetryEngine(StoreOptions options = {}, QObject* parent = nullptr);
    ~TelemetryEngine() override;

    // Before start(); the engine takes ownership and moves it to its thread.
    void addSource(MetricSource* source, int intervalMs);
    const TimeSeriesStore& store() const;
    // Before start(): the time of up samples, staleness markers and health
    // (default: the system clock).
    void setClock(Clock clock);

public slots:
    // Stops polling the source with this id and deletes it; its series (up
    // included) are marked stale, so they end at once instead of turning into
    // a target that is down. Returns false when no source has the id.
    bool removeSource(const QString& id);
    void start();
    void stop();
    void setPanels(const QList<querydeck::PanelQuery>& panels);
    // rangeMs back from endMs (0: now, following time); at most maxPoints per series.
    void setRange(qint64 rangeMs, qint64 endMs, int maxPoints);
    void setRefreshInterval(int ms); // 0: off (refreshNow() still works)
    // Backoff of a failed history query (PanelHistory): asked again on a poll
    // after firstMs, doubling up to maxMs while it keeps failing. Defaults
    // 5 s and 5 min.
    void setHistoryRetry(qint64 firstMs, qint64 maxMs);
    void refreshNow();

signals:
    void panelData(const QList<querydeck::PanelData>& data);
    void sourceStatus(const QList<querydeck::SourceStatus>& status);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace querydeck
