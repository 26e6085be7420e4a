#pragma once

#include "backend/redis/RedisReply.h"
#include "backend/redisops/FailoverCheck.h"
#include "backend/redisops/FailoverReport.h"
#include "backend/redisops/FailoverRequest.h"
#include "backend/redisops/FailoverVerifier.h"
#include "backend/redisops/RedisTopology.h"
#include "backend/redisops/ServiceReplicaProbe.h"
#include "backend/redisops/ServiceWriteWatch.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <functional>

namespace querydeck {

class RedisAsyncClient;
class TopologyDiscovery;

// Executes a FailoverRequest: discover the topology, run the pre-checks,
// then, only when asked, trigger (SENTINEL FAILOVER name, or CLUSTER
// FAILOVER [FORCE|TAKEOVER] on the chosen replica), follow the progress
// (+switch-master from a sentinel and role polling every 250 ms) as a
// timeline, verify (FailoverVerifier) on the servers themselves (the new master accepts a
// write and reads it back, the old master is now its replica, the sentinels
// name the new master; every QueryDeck replica given to setServiceReplicas()
// says, in its /v1/info, that its cache uses the new master) and report,
// with the client requests that failed during the window: the growth of the
// replicas' 5xx counters for /v1/query from the trigger to the verification,
// and (ServiceWriteWatch, Sentinel mode) when the replicas' caches wrote to
// the new master and how long caching was degraded.
// Nothing on the servers changes before
// trigger(), so cancel() is safe until then; after it, cancel() refuses.
// Lives on the GUI thread: all Redis traffic is asynchronous.
class FailoverController : public QObject
{
    Q_OBJECT

public:
    enum class Phase
    {
        Idle,
        Discovering,
        Checked,
        Triggered,
        Verifying,
        Succeeded,
        Failed,
        Cancelled
    };
    Q_ENUM(Phase)

    using Event = FailoverEvent;
    using Report = FailoverReport;

    explicit FailoverController(QObject* parent = nullptr);
    ~FailoverController() override;

    void setRequest(const FailoverRequest& request) { m_request = request; }
    // The data servers' password (AUTH), from the SecretStore; never sent to sentinels.
    void setPassword(const QString& password) { m_password = password; }
    // The sentinels' own password (requirepass on sentinel); never sent to data servers.
    void setSentinelPassword(const QString& password) { m_sentinelPassword = password; }
    const FailoverRequest& request() const { return m_request; }
    Phase phase() const { return m_phase; }
    const RedisTopology& topology() const { return m_topology; }
    const QList<FailoverCheck>& checks() const { return m_checks; }
    const Report& report() const { return m_report; }

    void discover(); // Idle/Checked -> Discovering -> Checked
    void recheck();  // re-evaluates the checks for a changed request (no I/O)
    bool trigger();  // Checked with no failing check -> Triggered
    bool cancel();   // false once triggered
    void setPollIntervalMs(int ms) { m_poll.setInterval(ms); }
    // Base URLs (http://host:port) of the QueryDeck replicas whose Redis
    // master verify checks and whose 5xx counters the report reads; the
    // console passes its embedded service and its fleet's replicas.
    void setServiceReplicas(const QStringList& baseUrls) { m_serviceReplicas = baseUrls; }
    const QStringList& serviceReplicas() const { return m_serviceReplicas; }
    // How long verify waits for every replica to move to the new master.
    void setReplicaSwitchTimeoutMs(int ms);
    // How often the replicas are read from the trigger on (ServiceWriteWatch).
    void setWriteWatchIntervalMs(int ms) { m_writeWatch->setIntervalMs(ms); }

signals:
    void phaseChanged(querydeck::FailoverController::Phase phase);
    void topologyReady(const querydeck::RedisTopology& topology);
    void checksReady(const QList<querydeck::FailoverCheck>& checks);
    void progress(const querydeck::FailoverController::Event& event);
    void finished(const querydeck::FailoverController::Report& report);

private:
    using Handler = std::function<void(const RedisReply&)>;
    void setPhase(Phase phase);
    void note(const QString& text);
    void ask(const QString& address, const QByteArrayList& args, Handler handler);
    void adjustPriorities();
    void waitForSentinelPriority(int attemptsLeft);
    void startFailover();
    void sendTrigger();
    void pollProgress();
    void verify(); // hands over to the FailoverVerifier
    void finish(bool ok, const QString& error = {});
    QString sentinelAddress() const;
    bool isSentinel(const QString& address) const;

    FailoverRequest m_request;
    QString m_password;
    QString m_sentinelPassword;
    Phase m_phase = Phase::Idle;
    RedisTopology m_topology;
    QList<FailoverCheck> m_checks;
    Report m_report;
    TopologyDiscovery* m_discovery = nullptr;
    QHash<QString, RedisAsyncClient*> m_clients;
    RedisAsyncClient* m_events = nullptr; // subscribed to +switch-master
    QTimer m_poll;
    QTimer m_deadline;
    QElapsedTimer m_sinceTrigger;
    QString m_candidate;             // the replica expected to win (cluster: chosen)
    QString m_sentinelMaster;        // what the sentinel names as master now
    QHash<QString, QString> m_roles; // address -> last ROLE seen
    QHash<QString, QByteArray> m_savedPriorities;
    bool m_pollInFlight = false;
    QStringList m_serviceReplicas;
    ServiceReplicaProbe* m_replicaProbe = nullptr;
    QList<ServiceReplicaProbe::State> m_baseline; // the replicas' counters at the trigger
    FailoverVerifier* m_verifier = nullptr;
    ServiceWriteWatch* m_writeWatch = nullptr;
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::FailoverController::Event)
Q_DECLARE_METATYPE(querydeck::FailoverController::Report)
