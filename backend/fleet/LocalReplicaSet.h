#pragma once

#include "backend/fleet/LocalFleetOptions.h"
#include "backend/fleet/ReplicaSet.h"

#include <QMap>

class QNetworkAccessManager;
class QTimer;

namespace querydeck {

class LocalReplica;
class NginxFrontDoor;

// Replicas as `querydeck serve` child processes on one host, behind a managed
// nginx front door (see NginxFrontDoor). Scale-up: start, wait for /ready,
// then add to the upstream. Scale-down: drain (/admin/drain → /ready 503),
// remove from the upstream and reload, wait for in-flight requests to reach 0,
// SIGTERM, SIGKILL last. Without nginx it runs one replica directly on the
// front port. Lives on the thread that created it; never blocks except in the
// destructor, which kills what still runs.
class LocalReplicaSet : public ReplicaSet
{
    Q_OBJECT

public:
    explicit LocalReplicaSet(const LocalFleetOptions& options, QObject* parent = nullptr);
    ~LocalReplicaSet() override;

    QString kind() const override { return QStringLiteral("local"); }
    QList<ReplicaInfo> replicas() const override;
    int desiredCount() const override { return m_desired; }

    void scale(int count) override;
    // Drains the replica and starts it again under the same id.
    void restart(const QString& id) override;
    // Drains and stops the replica for good: the desired count drops by one.
    void drain(const QString& id) override;

    // Extensions of ReplicaSet for the local set.
    bool hasFrontDoor() const { return m_useNginx; }
    QString frontAddress() const;
    QString logPath(const QString& id) const;
    QStringList serversInRotation() const;
    // Drains every replica, stops nginx; emits shutdownFinished().
    void shutdown();

signals:
    void shutdownFinished();
    // One line a replica wrote to stdout/stderr (also in its log file), for the log dock.
    void replicaOutput(const QString& id, const QString& line);

private:
    LocalReplica* createReplica(int id);
    void startDrain(LocalReplica* replica);
    void onReplicaStopped(LocalReplica* replica);
    void reconcile();
    void checkScaleDone();
    void failScale(const QString& error);
    void continueShutdown();
    QString checkPortsFree(int count) const;
    LocalReplica* find(const QString& id) const;
    int activeCount() const;

    LocalFleetOptions m_options;
    QNetworkAccessManager* m_network;
    NginxFrontDoor* m_frontDoor = nullptr;
    QMap<int, LocalReplica*> m_replicas;
    QStringList m_requestedRotation;
    QByteArray m_adminToken;
    QTimer* m_metricsTimer;
    int m_desired = 0;
    int m_previousDesired = 0;
    bool m_useNginx = false;
    bool m_frontDoorUp = false;
    bool m_scaling = false;
    bool m_shuttingDown = false;
    bool m_reconciling = false;
};

} // namespace querydeck
