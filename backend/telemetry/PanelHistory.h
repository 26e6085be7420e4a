#pragma once

#include "backend/metrics/Series.h"

#include <QStringList>
#include <vector>

namespace querydeck {

class Expression;
class MetricSource;

// Panel history from a source that keeps its own (a Prometheus server): for
// each panel target the source can answer (MetricSource::rangeQuery), one
// range query over the shown range, its step sized to the panel's width.
// merge() puts the points from before the source's first poll in front of
// what the store evaluated, so no instant is drawn twice. A query that
// failed (server down, 503) is asked again by retry() once its backoff has
// passed: doubling from the first delay up to the maximum, for as long as it
// fails. Owned by the TelemetryEngine and used on its thread only.
class PanelHistory
{
public:
    // Forgets every request and result: a new range or panel set asks again.
    void clear();
    // Asks `source` for the target's range when the range starts before
    // `sourceSinceMs` (the source's first data in the store); false when the
    // source cannot answer or nothing is missing.
    bool request(MetricSource* source, qint64 sourceSinceMs, const QString& panelId,
                 std::size_t target, const Expression& expression, qint64 fromMs, qint64 toMs,
                 int widthPixels);
    // Takes a reply; false when it answers no current request (an old range).
    // A failed one is due again at nowMs plus the backoff.
    bool receive(const MetricSource* source, int requestId, RangeResult result, qint64 nowMs);
    // Asks again, over fromMs..toMs, each failed query whose backoff has
    // passed; returns how many were sent. Its last error stays shown until
    // the new reply.
    int retry(qint64 nowMs, qint64 fromMs, qint64 toMs);
    // Drops the requests of a source that is going away.
    void forget(const MetricSource* source);
    void setRetryBackoff(qint64 firstMs, qint64 maxMs);
    // The wait after `failures` failures in a row (>= 1).
    qint64 retryDelayMs(int failures) const;
    // Adds the history of a target to its series evaluated from the store; a
    // failed query is named in `errors`.
    void merge(const QString& panelId, std::size_t target, const Expression& expression,
               const QString& legendTemplate, std::vector<EvaluatedSeries>& series,
               QStringList& errors) const;
    std::size_t pending() const;

private:
    struct Fill
    {
        MetricSource* source = nullptr;
        int requestId = 0;
        QString query;
        int widthPixels = 0;
        QString panelId;
        std::size_t target = 0;
        qint64 sinceMs = 0;
        bool done = false;     // has a result (merge() uses it)
        bool inFlight = false; // a request is out
        int failures = 0;      // in a row
        qint64 retryAtMs = 0;
        RangeResult result;
    };

    std::vector<Fill> m_fills;
    qint64 m_retryFirstMs = 5000;
    qint64 m_retryMaxMs = 5 * 60 * 1000;
};

} // namespace querydeck
