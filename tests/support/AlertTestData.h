#pragma once

// Synthetic alert data for the alert UI tests: a TimeSeriesStore with 24 h of
// history holding latency spikes at known times, rules and instances.

#include "backend/alerting/AlertInstance.h"
#include "backend/metrics/TimeSeriesStore.h"

namespace querydeck::testing {

// test_latency_seconds: 1.0 with 10-minute spikes to 10.0 starting 40 min,
// 3 h, 5 h, 10 h, 15 h and 20 h before `now` (so one spike in the last hour,
// three in 6 h, six in 24 h); one point every 5 s.
inline void fillLatencyHistory(TimeSeriesStore& store, qint64 now)
{
    const qint64 minute = 60 * 1000;
    const qint64 spikeStarts[] = {40 * minute,  180 * minute, 300 * minute,
                                  600 * minute, 900 * minute, 1200 * minute};
    const SeriesKey key = SeriesKey::make(QStringLiteral("test_latency_seconds"), {});
    for (qint64 t = now - 24 * 60 * minute; t <= now; t += 5000) {
        double v = 1.0 + 0.2 * std::sin(double(t) / 600000.0);
        for (qint64 start : spikeStarts) {
            if (t >= now - start && t < now - start + 10 * minute)
                v = 10.0;
        }
        store.append(key, t, v);
    }
}

inline AlertRule makeRule(const QString& name, const QString& expr, double threshold,
                          AlertSeverity severity = AlertSeverity::Warning, qint64 forMs = 300000)
{
    AlertRule r;
    r.name = name;
    r.expression = expr;
    r.threshold = threshold;
    r.forMs = forMs;
    r.severity = severity;
    r.summary = QStringLiteral("{{value}} over {{threshold}}");
    return r;
}

inline AlertInstance makeInstance(const QString& rule, AlertSeverity severity, AlertState state,
                                  qint64 sinceMs, double value, const QString& instance = {})
{
    AlertInstance a;
    a.ruleName = rule;
    if (!instance.isEmpty())
        a.labels.insert(QStringLiteral("instance"), instance);
    a.severity = severity;
    a.status.state = state;
    a.status.stateSinceMs = sinceMs;
    a.status.activeSinceMs = sinceMs;
    a.status.firingSinceMs = state == AlertState::Firing ? sinceMs : 0;
    a.status.value = value;
    a.summary = QStringLiteral("%1 is %2").arg(rule).arg(value);
    return a;
}

} // namespace querydeck::testing
