#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace querydeck {

class ReplicaSet;
class TelemetryEngine;

// Keeps one ScrapeSource (label instance="host:port"; its up series has
// job="service", as the embedded service's, so the default ServiceDown and
// ReplicaDown rules watch the replicas) per serving replica address of a
// ReplicaSet in a TelemetryEngine, so every replica's metrics reach the
// store — the auto-scaler and the scale wizard's verify step read them.
// Target lifecycle:
//   - a new replica is scraped once it reports ready (its /ready answered
//     200): while it starts it has no up series at all, so its status chip
//     does not turn red and ReplicaDown does not go pending on a scale-up;
//   - a replica that was ready and crashed (failed, or starting again after
//     the crash) keeps its source, and one that failed before it was ever
//     ready gets one: those really are down (up 0), and ReplicaDown fires;
//   - a replica that leaves on purpose (draining for a scale-down or a
//     restart, stopped, or gone from the set) loses its source at once, and
//     the engine marks its series (up included) stale.
// Lives on the set's thread; sources are handed to the engine's thread.
class ReplicaScrapeSources : public QObject
{
    Q_OBJECT

public:
    ReplicaScrapeSources(ReplicaSet* replicas, TelemetryEngine* engine, int intervalMs,
                         QObject* parent = nullptr);
    // Addresses that have a source now.
    QSet<QString> addresses() const;

private:
    void update();

    QPointer<ReplicaSet> m_replicas;
    TelemetryEngine* m_engine;
    int m_intervalMs;
    QHash<QString, QString> m_sourceIds; // replica address -> the engine's source id
    QSet<QString> m_wasReady; // addresses whose replica was ready since it last left on purpose
};

} // namespace querydeck
