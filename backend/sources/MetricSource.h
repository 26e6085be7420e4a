#pragma once

#include "backend/metrics/Series.h"

#include <QObject>

namespace querydeck {

class Expression;

// Something that produces samples: the embedded service's registry, /proc,
// an HTTP scrape target, later Redis INFO and a Prometheus server. Lives on
// the telemetry thread. poll() must not block: it starts a collection and
// emits finished() exactly once for it (synchronously or later).
class MetricSource : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~MetricSource() override = default;

    virtual QString id() const = 0;          // stable, e.g. "service", "proc", "scrape:host:9100"
    virtual QString description() const = 0; // for the status bar
    virtual void poll() = 0;
    // Labels of the Prometheus-style up{job, instance} series the
    // TelemetryEngine records for each poll (1 worked, 0 failed or stale).
    virtual QString job() const { return id().section(QLatin1Char(':'), 0, 0); }
    virtual QString upInstance() const { return id(); }

    // A source that keeps history of its own (a Prometheus server) can give a
    // panel its range from before the console started. rangeQuery() is the
    // query to run for a dashboard expression, empty when this source does not
    // serve every series the expression reads; queryRange() starts it, with the
    // step sized to the panel's width, and emits rangeFinished() exactly once
    // (never synchronously) with the id it returned. Both never block.
    virtual QString rangeQuery(const Expression& expression) const;
    virtual int queryRange(const QString& query, qint64 fromMs, qint64 toMs, int widthPixels);

signals:
    void finished(const querydeck::SourceResult& result);
    void rangeFinished(int requestId, const querydeck::RangeResult& result);
};

} // namespace querydeck
