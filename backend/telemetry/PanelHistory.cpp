#include "backend/telemetry/PanelHistory.h"

#include "backend/common/Backoff.h"
#include "backend/metrics/Expression.h"
#include "backend/sources/MetricSource.h"

#include <algorithm>

namespace querydeck {

void PanelHistory::clear()
{
    m_fills.clear();
}

bool PanelHistory::request(MetricSource* source, qint64 sourceSinceMs, const QString& panelId,
                           std::size_t target, const Expression& expression, qint64 fromMs,
                           qint64 toMs, int widthPixels)
{
    if (sourceSinceMs <= 0 || fromMs >= sourceSinceMs)
        return false;
    const QString query = source->rangeQuery(expression);
    if (query.isEmpty())
        return false;
    Fill fill;
    fill.source = source;
    fill.query = query;
    fill.widthPixels = widthPixels;
    fill.inFlight = true;
    fill.panelId = panelId;
    fill.target = target;
    fill.sinceMs = sourceSinceMs;
    // The whole shown range, so the step is the panel's; merge() keeps only
    // what the store lacks.
    fill.requestId = source->queryRange(query, fromMs, toMs, widthPixels);
    m_fills.push_back(std::move(fill));
    return true;
}

bool PanelHistory::receive(const MetricSource* source, int requestId, RangeResult result,
                           qint64 nowMs)
{
    for (Fill& fill : m_fills) {
        if (fill.source == source && fill.requestId == requestId && fill.inFlight) {
            fill.inFlight = false;
            fill.done = true;
            fill.failures = result.error.isEmpty() ? 0 : fill.failures + 1;
            if (fill.failures > 0)
                fill.retryAtMs = nowMs + retryDelayMs(fill.failures);
            fill.result = std::move(result);
            return true;
        }
    }
    return false;
}

int PanelHistory::retry(qint64 nowMs, qint64 fromMs, qint64 toMs)
{
    int sent = 0;
    for (Fill& fill : m_fills) {
        if (fill.inFlight || fill.failures == 0 || nowMs < fill.retryAtMs)
            continue;
        fill.requestId = fill.source->queryRange(fill.query, fromMs, toMs, fill.widthPixels);
        fill.inFlight = true;
        ++sent;
    }
    return sent;
}

void PanelHistory::forget(const MetricSource* source)
{
    std::erase_if(m_fills, [source](const Fill& fill) { return fill.source == source; });
}

void PanelHistory::setRetryBackoff(qint64 firstMs, qint64 maxMs)
{
    m_retryFirstMs = std::max<qint64>(1, firstMs);
    m_retryMaxMs = std::max(m_retryFirstMs, maxMs);
}

qint64 PanelHistory::retryDelayMs(int failures) const
{
    // No jitter: the queries of one console, retried on its own poll tick.
    const Backoff backoff({m_retryFirstMs, m_retryMaxMs, 2.0, Backoff::Jitter::None});
    return backoff.delayMs(failures);
}

std::size_t PanelHistory::pending() const
{
    return std::size_t(std::count_if(m_fills.begin(), m_fills.end(),
                                     [](const Fill& fill) { return fill.inFlight; }));
}

void PanelHistory::merge(const QString& panelId, std::size_t target, const Expression& expression,
                         const QString& legendTemplate, std::vector<EvaluatedSeries>& series,
                         QStringList& errors) const
{
    const auto fill = std::find_if(m_fills.begin(), m_fills.end(), [&](const Fill& f) {
        return f.done && f.panelId == panelId && f.target == target;
    });
    if (fill == m_fills.end())
        return;
    if (!fill->result.error.isEmpty())
        errors << fill->result.error;
    const RangeResult& result = fill->result;
    bool added = false;
    for (std::size_t i = 0; i < result.keys.size() && i < result.series.size(); ++i) {
        const QString legend = expression.legend(result.keys[i], legendTemplate);
        auto local = std::find_if(series.begin(), series.end(),
                                  [&](const EvaluatedSeries& s) { return s.legend == legend; });
        // History ends where the store's own data begins.
        qint64 cutoff = fill->sinceMs;
        if (local != series.end() && !local->points.empty())
            cutoff = std::min(cutoff, local->points.front().t);
        const std::vector<Point>& points = result.series[i].points;
        const auto end = std::lower_bound(points.begin(), points.end(), cutoff,
                                          [](const Point& p, qint64 t) { return p.t < t; });
        if (end == points.begin())
            continue;
        if (local == series.end()) {
            series.push_back({legend, std::vector<Point>(points.begin(), end)});
            added = true;
            continue;
        }
        local->points.insert(local->points.begin(), points.begin(), end);
    }
    // In legend order, as Expression::range gives them.
    if (added)
        std::stable_sort(
            series.begin(), series.end(),
            [](const EvaluatedSeries& a, const EvaluatedSeries& b) { return a.legend < b.legend; });
}

} // namespace querydeck
