#include "backend/metrics/TimeSeriesStore.h"

#include "backend/metrics/StaleMarker.h"

#include <QHash>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <mutex>

namespace querydeck {

namespace {

qint64 bucketStart(qint64 t, qint64 resolution)
{
    // Floor division, so timestamps before the epoch bucket correctly too.
    qint64 q = t / resolution;
    if (t % resolution != 0 && t < 0)
        --q;
    return q * resolution;
}

// Points in time order with a fixed capacity; storage grows on demand up to
// the capacity, then the oldest point is overwritten.
class Ring
{
public:
    explicit Ring(std::size_t capacity)
        : m_capacity(std::max<std::size_t>(1, capacity))
    {
    }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const Point& at(std::size_t i) const { return m_data[(m_head + i) % m_data.size()]; }
    Point& back() { return m_data[(m_head + m_size - 1) % m_data.size()]; }
    const Point& front() const { return at(0); }
    std::size_t bytes() const { return m_data.capacity() * sizeof(Point); }

    void push(Point p)
    {
        if (m_data.size() < m_capacity) {
            // Still growing: the ring has never wrapped, head is 0.
            m_data.push_back(p);
            ++m_size;
            return;
        }
        if (m_size < m_data.size()) {
            m_data[(m_head + m_size) % m_data.size()] = p;
            ++m_size;
            return;
        }
        m_data[m_head] = p;
        m_head = (m_head + 1) % m_data.size();
    }

    void popFront()
    {
        m_head = (m_head + 1) % m_data.size();
        --m_size;
    }

    // Index of the first point with t >= from.
    std::size_t lowerBound(qint64 from) const
    {
        std::size_t lo = 0;
        std::size_t hi = m_size;
        while (lo < hi) {
            const std::size_t mid = (lo + hi) / 2;
            if (at(mid).t < from)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    void copy(qint64 from, qint64 to, std::vector<Point>& out) const
    {
        for (std::size_t i = lowerBound(from); i < m_size && at(i).t <= to; ++i)
            out.push_back(at(i));
    }

private:
    std::vector<Point> m_data;
    std::size_t m_capacity;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
};

struct Series
{
    Series(SeriesKey k, std::size_t fineCapacity, std::size_t coarseCapacity)
        : key(std::move(k))
        , fine(fineCapacity)
        , coarse(coarseCapacity)
    {
    }

    SeriesKey key;
    Ring fine;
    Ring coarse;
    // The coarse bucket being filled: the average of its fine values so far.
    qint64 pendingStart = 0;
    double pendingSum = 0.0;
    int pendingCount = 0;
};

} // namespace

struct TimeSeriesStore::Impl
{
    std::vector<std::unique_ptr<Series>> series;
    QHash<QString, std::size_t> byKey;
    QHash<QString, std::vector<std::size_t>> byName;
    // Hashes of dropped keys so each is counted once; bounded, after which
    // every dropped sample of an unseen key counts (an over-estimate).
    QSet<std::size_t> droppedKeys;
    std::size_t dropped = 0;
    std::size_t fineCapacity = 0;
    std::size_t coarseCapacity = 0;

    void appendLocked(const StoreOptions& options, const SeriesKey& key, const QString& canonical,
                      qint64 t, double v);
    void markStaleLocked(const StoreOptions& options, const QString& canonical, qint64 t);
    void flushPending(Series& s, const StoreOptions& options, qint64 now);
    void addPending(Series& s, const StoreOptions& options, qint64 coarseT, double v);
};

TimeSeriesStore::TimeSeriesStore(StoreOptions options)
    : m_options(options)
    , m_impl(std::make_unique<Impl>())
{
    m_options.fineResolutionMs = std::max<qint64>(1, m_options.fineResolutionMs);
    m_options.coarseResolutionMs =
        std::max(m_options.fineResolutionMs, m_options.coarseResolutionMs);
    m_options.fineRetentionMs = std::max(m_options.fineResolutionMs, m_options.fineRetentionMs);
    m_options.coarseRetentionMs =
        std::max(m_options.coarseResolutionMs, m_options.coarseRetentionMs);
    m_options.maxSeries = std::max(0, m_options.maxSeries);
    m_impl->fineCapacity = std::size_t(m_options.fineRetentionMs / m_options.fineResolutionMs);
    m_impl->coarseCapacity =
        std::size_t(m_options.coarseRetentionMs / m_options.coarseResolutionMs);
}

TimeSeriesStore::~TimeSeriesStore() = default;

void TimeSeriesStore::Impl::flushPending(Series& s, const StoreOptions& options, qint64 now)
{
    if (s.pendingCount == 0)
        return;
    s.coarse.push({s.pendingStart, s.pendingSum / s.pendingCount});
    s.pendingCount = 0;
    s.pendingSum = 0.0;
    const qint64 oldest = now - options.coarseRetentionMs;
    while (!s.coarse.empty() && s.coarse.front().t <= oldest)
        s.coarse.popFront();
}

void TimeSeriesStore::Impl::addPending(Series& s, const StoreOptions& options, qint64 coarseT,
                                       double v)
{
    if (s.pendingCount > 0 && coarseT != s.pendingStart)
        flushPending(s, options, coarseT);
    if (s.pendingCount == 0)
        s.pendingStart = coarseT;
    s.pendingSum += v;
    ++s.pendingCount;
}

void TimeSeriesStore::Impl::appendLocked(const StoreOptions& options, const SeriesKey& key,
                                         const QString& canonical, qint64 t, double v)
{
    if (isStaleMarker(v)) {
        markStaleLocked(options, canonical, t);
        return;
    }
    auto found = byKey.constFind(canonical);
    Series* s = nullptr;
    if (found == byKey.cend()) {
        if (series.size() >= std::size_t(options.maxSeries)) {
            const std::size_t h = qHash(canonical);
            if (!droppedKeys.contains(h)) {
                ++dropped;
                if (droppedKeys.size() < 100000)
                    droppedKeys.insert(h);
            }
            return;
        }
        byKey.insert(canonical, series.size());
        byName[key.name].push_back(series.size());
        series.push_back(std::make_unique<Series>(key, fineCapacity, coarseCapacity));
        s = series.back().get();
    } else {
        s = series[found.value()].get();
    }

    const qint64 fineT = bucketStart(t, options.fineResolutionMs);
    const qint64 coarseT = bucketStart(t, options.coarseResolutionMs);
    if (!s->fine.empty()) {
        Point& last = s->fine.back();
        if (fineT < last.t)
            return; // out of order: the rings only grow forwards
        if (fineT == last.t) {
            if (isStaleMarker(last.v)) {
                // Back within the second it ended: the value replaces the
                // marker and counts towards the coarse average again.
                last.v = v;
                addPending(*s, options, coarseT, v);
                return;
            }
            // Same bucket: the newer value replaces the older, in the
            // pending coarse average too.
            if (s->pendingCount > 0 && coarseT == s->pendingStart)
                s->pendingSum += v - last.v;
            last.v = v;
            return;
        }
    }
    s->fine.push({fineT, v});
    const qint64 oldest = fineT - options.fineRetentionMs;
    while (s->fine.front().t <= oldest)
        s->fine.popFront();
    addPending(*s, options, coarseT, v);
}

void TimeSeriesStore::Impl::markStaleLocked(const StoreOptions& options, const QString& canonical,
                                            qint64 t)
{
    const auto found = byKey.constFind(canonical);
    if (found == byKey.cend())
        return;
    Series& s = *series[found.value()];
    if (s.fine.empty())
        return;
    Point& last = s.fine.back();
    if (isStaleMarker(last.v))
        return; // already ended
    const qint64 fineT = bucketStart(t, options.fineResolutionMs);
    if (fineT <= last.t) {
        // The marker falls in (or, from a slower clock, before) the last
        // sample's second: that sample gives way, so the series still ends,
        // and leaves the pending coarse average.
        if (s.pendingCount > 0 &&
            bucketStart(last.t, options.coarseResolutionMs) == s.pendingStart) {
            s.pendingSum -= last.v;
            --s.pendingCount;
            if (s.pendingCount == 0)
                s.pendingSum = 0.0;
        }
        last.v = staleMarker();
        return;
    }
    s.fine.push({fineT, staleMarker()});
    const qint64 oldest = fineT - options.fineRetentionMs;
    while (s.fine.front().t <= oldest)
        s.fine.popFront();
}

void TimeSeriesStore::append(const SeriesKey& key, qint64 t, double v)
{
    const QString canonical = key.toString();
    std::unique_lock lock(m_mutex);
    m_impl->appendLocked(m_options, key, canonical, t, v);
}

void TimeSeriesStore::append(const std::vector<Sample>& samples)
{
    std::unique_lock lock(m_mutex);
    for (const Sample& sample : samples)
        m_impl->appendLocked(m_options, sample.key, sample.key.toString(), sample.timestampMs,
                             sample.value);
}

void TimeSeriesStore::appendPoll(const std::vector<Sample>& samples, qint64 t,
                                 QSet<QString>& previous)
{
    QSet<QString> current;
    current.reserve(qsizetype(samples.size()));
    std::unique_lock lock(m_mutex);
    for (const Sample& sample : samples) {
        const QString canonical = sample.key.toString();
        m_impl->appendLocked(m_options, sample.key, canonical, sample.timestampMs, sample.value);
        current.insert(canonical);
    }
    for (const QString& canonical : std::as_const(previous)) {
        if (!current.contains(canonical))
            m_impl->markStaleLocked(m_options, canonical, t);
    }
    previous = std::move(current);
}

void TimeSeriesStore::markStale(const QSet<QString>& canonicalKeys, qint64 t)
{
    std::unique_lock lock(m_mutex);
    for (const QString& canonical : canonicalKeys)
        m_impl->markStaleLocked(m_options, canonical, t);
}

std::vector<Point> TimeSeriesStore::window(const QString& canonicalKey, qint64 from,
                                           qint64 to) const
{
    std::vector<Point> out;
    if (to < from)
        return out;
    std::shared_lock lock(m_mutex);
    const auto found = m_impl->byKey.constFind(canonicalKey);
    if (found == m_impl->byKey.cend())
        return out;
    const Series& s = *m_impl->series[found.value()];
    if (s.fine.empty())
        return out;

    const qint64 fineStart = s.fine.front().t;
    if (fineStart <= from) {
        out.reserve(std::size_t(
            std::min<qint64>((to - from) / m_options.fineResolutionMs + 1, qint64(s.fine.size()))));
        s.fine.copy(from, to, out);
        return out;
    }
    // The fine ring starts after `from`: older minutes come from the coarse
    // ring, the recent part stays fine. Only coarse buckets that end before
    // the fine data are used, so no time is counted twice (the bucket still
    // being averaged always overlaps the fine ring).
    s.coarse.copy(from, std::min(to, fineStart - m_options.coarseResolutionMs), out);
    s.fine.copy(fineStart, to, out);
    return out;
}

QStringList TimeSeriesStore::seriesOf(const QString& metricName) const
{
    std::shared_lock lock(m_mutex);
    QStringList out;
    const auto found = m_impl->byName.constFind(metricName);
    if (found == m_impl->byName.cend())
        return out;
    out.reserve(qsizetype(found->size()));
    for (std::size_t index : *found)
        out.append(m_impl->series[index]->key.toString());
    return out;
}

std::vector<SeriesKey> TimeSeriesStore::keysOf(const QString& metricName) const
{
    std::shared_lock lock(m_mutex);
    std::vector<SeriesKey> out;
    const auto found = m_impl->byName.constFind(metricName);
    if (found == m_impl->byName.cend())
        return out;
    out.reserve(found->size());
    for (std::size_t index : *found)
        out.push_back(m_impl->series[index]->key);
    return out;
}

QStringList TimeSeriesStore::metricNames() const
{
    std::shared_lock lock(m_mutex);
    QStringList names = m_impl->byName.keys();
    names.sort();
    return names;
}

std::size_t TimeSeriesStore::seriesCount() const
{
    std::shared_lock lock(m_mutex);
    return m_impl->series.size();
}

std::size_t TimeSeriesStore::droppedSeries() const
{
    std::shared_lock lock(m_mutex);
    return m_impl->dropped;
}

std::size_t TimeSeriesStore::memoryBytes() const
{
    std::shared_lock lock(m_mutex);
    std::size_t bytes = sizeof(Impl) + m_impl->series.capacity() * sizeof(void*);
    for (const auto& s : m_impl->series) {
        bytes += sizeof(Series) + s->fine.bytes() + s->coarse.bytes();
        // Key strings: stored in the series and again as the hash key.
        qsizetype chars = 2 * s->key.name.size() + 32;
        for (const auto& [name, value] : s->key.labels)
            chars += 2 * (name.size() + value.size() + 4);
        bytes += std::size_t(chars) * sizeof(QChar) + 64; // + hash node overhead
    }
    bytes += std::size_t(m_impl->droppedKeys.size()) * 16;
    return bytes;
}

std::vector<Point> TimeSeriesStore::downsample(const std::vector<Point>& points, int maxPoints)
{
    if (maxPoints <= 0)
        return {};
    if (points.size() <= std::size_t(maxPoints))
        return points;
    if (maxPoints == 1)
        return {points.back()};

    // Each bucket contributes its minimum and maximum in time order, so a
    // one-sample spike survives any reduction.
    const std::size_t buckets = std::size_t(maxPoints) / 2;
    std::vector<Point> out;
    out.reserve(buckets * 2);
    const std::size_t n = points.size();
    for (std::size_t b = 0; b < buckets; ++b) {
        const std::size_t begin = b * n / buckets;
        const std::size_t end = (b + 1) * n / buckets;
        if (begin >= end)
            continue;
        std::size_t lo = begin;
        std::size_t hi = begin;
        for (std::size_t i = begin; i < end; ++i) {
            const double v = points[i].v;
            if (std::isnan(v))
                continue;
            if (std::isnan(points[lo].v) || v < points[lo].v)
                lo = i;
            if (std::isnan(points[hi].v) || v > points[hi].v)
                hi = i;
        }
        if (lo == hi) {
            out.push_back(points[lo]);
        } else {
            out.push_back(points[std::min(lo, hi)]);
            out.push_back(points[std::max(lo, hi)]);
        }
    }
    return out;
}

} // namespace querydeck
