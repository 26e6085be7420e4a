#pragma once

#include "FixtureHttpServer.h"
#include "backend/fleet/KubernetesReplicaSet.h"

#include <QMutex>
#include <QStringList>

namespace querydeck {

// A small in-memory Kubernetes API for one Deployment, served by a
// FixtureHttpServer: the scale subresource (GET, merge-patch PATCH), pods by
// label selector (ready after a number of list calls), pod DELETE and
// annotation PATCH, and autoscaling/v2 HPAs. Replies are shaped as the API
// documents them (Scale, PodList, HorizontalPodAutoscalerList, Status on
// errors) and the bearer token is checked. Thread-safe: handlers run on the
// server thread.
class KubeFixture
{
public:
    static constexpr auto kToken = "fixture-token-123";

    KubeFixture(FixtureHttpServer& server, QString ns = QStringLiteral("prod"),
                QString deployment = QStringLiteral("querydeck"));
    // A replica set config for this fixture: token from QD_TEST_KUBE_TOKEN
    // (set it to kToken), fast polls.
    KubernetesConfig config() const;
    // Routes the API paths to this fixture (after a server reset()).
    void install();

    void setReplicas(int count);
    int replicas() const;
    QStringList podNames() const;
    // New pods become Ready after this many pod list calls (0: at once).
    void setReadyAfterPolls(int polls);
    // Pods that never become Ready (a bad image, say).
    void setPodsNeverReady(bool never);
    void setHpa(bool present);
    // Deletion cost annotations seen (pod -> value).
    QHash<QString, QString> deletionCosts() const;

    QByteArray scalePath() const;
    QByteArray podsPath() const;
    QByteArray hpaPath() const;
    static FixtureResponse status(int code, const QString& reason, const QString& message);

private:
    struct Pod
    {
        QString name;
        int readyAtPoll = 0;
        QString ip;
    };
    FixtureResponse handleScale(const FixtureRequest& request);
    FixtureResponse handlePods(const FixtureRequest& request);
    FixtureResponse handlePod(const FixtureRequest& request);
    FixtureResponse handleHpa(const FixtureRequest& request);
    bool authorised(const FixtureRequest& request) const;
    void resizeLocked(int count);

    FixtureHttpServer& m_server;
    QString m_ns;
    QString m_deployment;
    mutable QMutex m_mutex;
    QList<Pod> m_pods;
    int m_replicas = 0;
    int m_polls = 0;
    int m_readyAfter = 0;
    bool m_neverReady = false;
    bool m_hpa = false;
    int m_nextPod = 1;
    QHash<QString, QString> m_deletionCost;
};

} // namespace querydeck
