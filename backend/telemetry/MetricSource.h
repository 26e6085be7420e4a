#pragma once

#include "telemetry/Series.h"

#include <QObject>

namespace querydeck {

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

signals:
    void finished(const querydeck::SourceResult& result);
};

} // namespace querydeck
