#pragma once

#include "backend/metrics/Series.h"

#include <QSet>
#include <QStringList>
#include <memory>
#include <shared_mutex>

namespace querydeck {

struct StoreOptions
{
    qint64 fineResolutionMs = 1000;                    // 1 s points ...
    qint64 fineRetentionMs = 6LL * 3600 * 1000;        // ... kept for 6 h
    qint64 coarseResolutionMs = 60 * 1000;             // 1 min averages ...
    qint64 coarseRetentionMs = 7LL * 24 * 3600 * 1000; // ... kept for 7 days
    int maxSeries = 50000; // new series beyond this are dropped (counted)
};

// Ring buffers per series at two resolutions, with bounded memory. Appends
// come from the telemetry thread; window reads may come from any thread
// (shared lock). Counters are stored raw; rate() is the Expression's job.
// A series ends with a staleness marker (StaleMarker.h) in the fine ring, as
// in Prometheus; the coarse ring averages values only, so data older than the
// fine retention carries no markers.
class TimeSeriesStore
{
public:
    explicit TimeSeriesStore(StoreOptions options = {});
    ~TimeSeriesStore();

    void append(const SeriesKey& key, qint64 t, double v);
    void append(const std::vector<Sample>& samples);
    // One poll of a target: its samples, then a staleness marker at t for
    // every series of `previous` (canonical keys of the target's last poll)
    // that this poll lacks, as Prometheus's scrape loop does; `previous`
    // becomes this poll's series. A failed poll is an empty one.
    void appendPoll(const std::vector<Sample>& samples, qint64 t, QSet<QString>& previous);
    // A staleness marker at t for each series named by canonical key (a
    // target removed). Unknown series are not created; a marker older than a
    // series' last sample replaces that sample, so the series always ends.
    void markStale(const QSet<QString>& canonicalKeys, qint64 t);

    // Points in [from, to], oldest first, from the fine ring when it covers
    // `from`, else the coarse one.
    std::vector<Point> window(const QString& canonicalKey, qint64 from, qint64 to) const;
    // Canonical keys of every series of a metric name.
    QStringList seriesOf(const QString& metricName) const;
    std::vector<SeriesKey> keysOf(const QString& metricName) const;
    QStringList metricNames() const;
    std::size_t seriesCount() const;
    std::size_t droppedSeries() const;
    std::size_t memoryBytes() const;
    const StoreOptions& options() const { return m_options; }

    // Reduces to at most maxPoints, keeping each bucket's extremes visible.
    static std::vector<Point> downsample(const std::vector<Point>& points, int maxPoints);

private:
    struct Impl;
    StoreOptions m_options;
    mutable std::shared_mutex m_mutex;
    std::unique_ptr<Impl> m_impl;
};

} // namespace querydeck
