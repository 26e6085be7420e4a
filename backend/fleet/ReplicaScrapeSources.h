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
// ReplicaDown rules watch the replicas) per live replica
// address of a ReplicaSet in a TelemetryEngine, so every replica's metrics
// reach the store — the auto-scaler and the scale wizard's verify step read
// them. A source is added when a replica with its address starts, and
// removed as soon as the replica leaves on purpose (draining for a scale-down
// or a restart, stopped, or gone from the set): its up series then ends at
// its last value (1, the replica still answered while draining) instead of
// turning into an up=0 target that fires ReplicaDown forever. A crashed
// replica (failed, restarting or out of restart budget) keeps its source:
// that one really is down. Lives on the set's thread; sources are handed to
// the engine's thread.
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
};

} // namespace querydeck
