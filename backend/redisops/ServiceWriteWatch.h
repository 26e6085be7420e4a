#pragma once

#include "backend/redisops/FailoverReport.h"
#include "backend/redisops/ServiceReplicaProbe.h"

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <functional>

namespace querydeck {

// The failover as the QueryDeck replicas lived it, not as the console chose
// to test it: from the trigger until stop(), reads every replica's /v1/info
// (the master its cache connections use) and /metrics (cache fallbacks to
// memory, the degraded flag) every interval, and keeps per replica when its
// cache first named a master other than the old one and when it was
// degraded. A read's time is when its answers came back, so each figure is
// late by at most one interval plus a round trip, never early. Reads go
// through a probe of its own, one round at a time (a slow replica delays
// the next round instead of piling requests up).
// Lives on the FailoverController's thread (the GUI thread), asynchronous.
class ServiceWriteWatch : public QObject
{
    Q_OBJECT

public:
    explicit ServiceWriteWatch(std::function<qint64()> sinceTriggerMs, QObject* parent = nullptr);

    void setIntervalMs(int ms);
    int intervalMs() const { return m_timer.interval(); }
    void start(const QStringList& serviceReplicas, const QString& oldMaster);
    void stop();
    bool isRunning() const { return m_running; }

    // Writes what was seen into `report`, whose newMaster must be set: per
    // replica, and the fleet's figures (writesResumedMs, the degraded window,
    // fallbacks, writesDetail).
    void fill(FailoverReport* report) const;

    // One round of answers, for tests: `atMs` since the trigger.
    void record(const QList<ServiceReplicaProbe::State>& states, qint64 atMs);

private:
    struct Track
    {
        FailoverReport::ReplicaWrites writes;
        bool usesRedis = true;
        double lastFallbacks = -1;
        qint64 lastReadMs = 0; // the trigger counts as the first read
    };
    void poll();

    std::function<qint64()> m_sinceTriggerMs;
    ServiceReplicaProbe* m_probe;
    QTimer m_timer;
    QString m_oldMaster;
    QStringList m_urls;
    QList<Track> m_tracks;
    bool m_running = false;
    bool m_inFlight = false;
    int m_generation = 0; // bumps on start/stop so late answers are dropped
};

} // namespace querydeck
