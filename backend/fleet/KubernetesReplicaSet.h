#pragma once

#include "backend/common/SecretRef.h"
#include "backend/fleet/KubernetesApi.h"
#include "backend/fleet/ReplicaSet.h"

#include <QTimer>
#include <memory>

class QNetworkAccessManager;

namespace querydeck {

class SecretStore;

// Where the Deployment of the query service lives and how to reach its API server.
struct KubernetesConfig
{
    QUrl apiServer; // https://kube.example:6443
    QString ns = QStringLiteral("default");
    QString deployment;          // name of the Deployment
    SecretRef token;             // bearer token (keychain or env), never in the file
    QString caFile;              // PEM bundle for the API server's certificate; empty: system CAs
    int timeoutMs = 10000;       // each API call
    int pollIntervalMs = 2000;   // pod readiness while a scale runs
    int scaleTimeoutMs = 300000; // a scale gives up after this

    QString validate() const; // names the first bad field, or empty

    friend bool operator==(const KubernetesConfig&, const KubernetesConfig&) = default;
};

// ReplicaSet over a Kubernetes Deployment, through the documented API:
//   GET/PATCH /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale (merge-patch spec.replicas)
//   GET /api/v1/namespaces/{ns}/pods?labelSelector=<status.selector of the scale>
//   GET /apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers (HPA conflict)
//   DELETE a pod (restart); drain marks the pod the cheapest to delete
//   (controller.kubernetes.io/pod-deletion-cost) and scales down by one, so
//   the pod's preStop hook drains it.
// Every call is asynchronous with a timeout; errors name the object and the cause.
// The token is read from the SecretStore once, on the first call (that read may block
// briefly on the keychain). Lives on the thread that created it.
class KubernetesReplicaSet final : public ReplicaSet
{
    Q_OBJECT

public:
    KubernetesReplicaSet(KubernetesConfig config, SecretStore* secrets, QObject* parent = nullptr);
    ~KubernetesReplicaSet() override;

    QString kind() const override { return QStringLiteral("kubernetes"); }
    QList<ReplicaInfo> replicas() const override { return m_replicas; }
    int desiredCount() const override { return m_desired; }
    const KubernetesConfig& config() const { return m_config; }
    QString lastError() const { return m_lastError; }

    void scale(int count) override;
    void restart(const QString& id) override;
    void drain(const QString& id) override;

public slots:
    // Reads the scale and the pods; emits refreshed() and replicasChanged().
    void refresh();
    // Looks for an HPA targeting the deployment; emits hpaChecked().
    void checkHpa();

signals:
    void refreshed(bool ok, const QString& error);
    // warning: empty when no HPA manages the deployment; error: the check itself failed.
    void hpaChecked(const QString& warning, const QString& error);

public:
    // The replicas in a pod list reply (GET /api/v1/namespaces/<ns>/pods);
    // public so the fuzzer can feed it replies.
    static QList<ReplicaInfo> parsePods(const QJsonObject& list);

private:
    QString scalePath() const;
    QString podsPath() const;
    QString what() const;
    bool prepare(QString* error); // token and CA, once
    void patchReplicas(int count, const QString& because);
    void pollScale();
    void finishScale(bool ok, const QString& error);
    void fail(const QString& error);

    KubernetesConfig m_config;
    SecretStore* m_secrets;
    QNetworkAccessManager* m_network;
    std::unique_ptr<KubernetesApi> m_api;
    bool m_prepared = false;
    QString m_prepareError;
    QList<ReplicaInfo> m_replicas;
    int m_desired = -1;
    QString m_selector;
    QString m_lastError;
    bool m_refreshing = false;
    // A running scale: its target and deadline.
    int m_scaleTarget = -1;
    qint64 m_scaleDeadline = 0;
    QTimer m_poll;
};

} // namespace querydeck
