#pragma once

#include "telemetry/Series.h"

#include <QStringList>
#include <vector>

namespace querydeck {

class Expression;
class MetricSource;

// Panel history from a source that keeps its own (a Prometheus server): for
// each panel target the source can answer (MetricSource::rangeQuery), one
// range query over the shown range, its step sized to the panel's width.
// merge() puts the points from before the source's first poll in front of
// what the store evaluated, so no instant is drawn twice. Owned by the
// TelemetryEngine and used on its thread only.
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
    bool receive(const MetricSource* source, int requestId, RangeResult result);
    // Adds the history of a target to its series evaluated from the store; a
    // failed query is named in `errors`.
    void merge(const QString& panelId, std::size_t target, const Expression& expression,
               const QString& legendTemplate, std::vector<EvaluatedSeries>& series,
               QStringList& errors) const;
    std::size_t pending() const;

private:
    struct Fill
    {
        const MetricSource* source = nullptr;
        int requestId = 0;
        QString panelId;
        std::size_t target = 0;
        qint64 sinceMs = 0;
        bool done = false;
        RangeResult result;
    };

    std::vector<Fill> m_fills;
};

} // namespace querydeck
