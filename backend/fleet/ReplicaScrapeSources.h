#pragma once

#include <QObject>
#include <QPointer>
#include <QSet>

namespace querydeck {

class ReplicaSet;
class TelemetryEngine;

// Keeps one ScrapeSource (label instance="host:port") per replica address of
// a ReplicaSet in a TelemetryEngine, so every replica's metrics reach the
// store — the auto-scaler and the scale wizard's verify step read them. A
// source is added when its address first appears; a stopped replica's source
// goes stale (shown as such) and is reused if the address comes back.
// Lives on the set's thread; sources are created on the engine's thread.
class ReplicaScrapeSources : public QObject
{
    Q_OBJECT

public:
    ReplicaScrapeSources(ReplicaSet* replicas, TelemetryEngine* engine, int intervalMs,
                         QObject* parent = nullptr);
    QSet<QString> addresses() const { return m_scraped; }

private:
    void update();

    QPointer<ReplicaSet> m_replicas;
    TelemetryEngine* m_engine;
    int m_intervalMs;
    QSet<QString> m_scraped;
};

} // namespace querydeck
