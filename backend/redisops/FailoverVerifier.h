#pragma once

#include "backend/redis/RedisReply.h"
#include "backend/redisops/FailoverReport.h"
#include "backend/redisops/FailoverRequest.h"
#include "backend/redisops/RedisTopology.h"
#include "backend/redisops/ServiceReplicaProbe.h"

#include <QElapsedTimer>
#include <QObject>
#include <functional>

namespace querydeck {

// The last step of a failover, once the progress polling saw a replica
// promoted: checks on the servers themselves that it took (the new master
// accepts a write and reads it back; Sentinel: a quorum of sentinels name it;
// Cluster: it owns slots), then that every QueryDeck replica uses the new
// master (polled within the switch timeout) and counts the requests that
// failed in the window. It writes what it read into the FailoverReport given
// to start() and ends through the finish hook; it talks to Redis only through
// the ask hook, so connections and passwords stay the controller's.
// Lives on the FailoverController's thread (the GUI thread); stop() makes any
// answer still in flight a no-op.
class FailoverVerifier : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const RedisReply&)>;
    struct Hooks
    {
        std::function<void(const QString& address, const QByteArrayList& args, Handler handler)>
            ask;
        std::function<void(const QString& text)> note;             // a timeline line
        std::function<void(bool ok, const QString& error)> finish; // ends the failover
        std::function<qint64()> sinceTriggerMs;
    };

    FailoverVerifier(Hooks hooks, ServiceReplicaProbe* replicaProbe, QObject* parent = nullptr);

    // How long to wait for every QueryDeck replica to move to the new master.
    void setReplicaSwitchTimeoutMs(int ms) { m_replicaSwitchTimeoutMs = ms; }
    // report->newMaster names the promoted server; report must outlive the run.
    void start(const FailoverRequest& request, const RedisTopology& topology,
               const QStringList& serviceReplicas,
               const QList<ServiceReplicaProbe::State>& baseline, FailoverReport* report);
    void stop();

private:
    void verifySentinels();
    void verifyCluster();
    // Every QueryDeck replica on the new master (polled until it is, within
    // the switch timeout), then the failed requests; finishes the failover.
    void verifyServiceReplicas();
    void countFailedRequests(const QList<ServiceReplicaProbe::State>& now);
    // Writes `key` on the new master and reads it back, then calls `then`.
    void probeNewMaster(const QByteArray& key, std::function<void()> then);

    Hooks m_hooks;
    ServiceReplicaProbe* m_replicaProbe;
    FailoverRequest m_request;
    RedisTopology m_topology;
    QStringList m_serviceReplicas;
    QList<ServiceReplicaProbe::State> m_baseline; // the replicas' counters at the trigger
    FailoverReport* m_report = nullptr;
    bool m_active = false;
    QElapsedTimer m_sinceVerify;
    int m_replicaSwitchTimeoutMs = 15000;
};

} // namespace querydeck
