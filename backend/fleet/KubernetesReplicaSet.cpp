#include "backend/fleet/KubernetesReplicaSet.h"

#include "backend/secrets/SecretStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QUrlQuery>
#include <algorithm>
#include <limits>

namespace querydeck {

namespace {

// RFC 1123 labels, as Kubernetes requires for namespaces and most names.
bool isDnsName(const QString& name)
{
    static const QRegularExpression re("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
    return re.match(name).hasMatch();
}

QString idOf(const QString& id)
{
    return QString(id).remove(QRegularExpression("[^a-z0-9.-]"));
}

} // namespace

QString KubernetesConfig::validate() const
{
    if (!apiServer.isValid() || apiServer.host().isEmpty() ||
        (apiServer.scheme() != "https" && apiServer.scheme() != "http"))
        return QStringLiteral("kubernetes.apiServer must be an http(s) URL with a host, got \"%1\"")
            .arg(apiServer.toString(QUrl::RemoveUserInfo).left(200));
    if (!isDnsName(ns))
        return QStringLiteral("kubernetes.namespace \"%1\" is not a valid name").arg(ns.left(100));
    if (!isDnsName(deployment))
        return QStringLiteral("kubernetes.deployment \"%1\" is not a valid name")
            .arg(deployment.left(100));
    if (timeoutMs < 100 || timeoutMs > 600000)
        return QStringLiteral("kubernetes.timeoutMs must be in 100..600000, got %1").arg(timeoutMs);
    if (pollIntervalMs < 50 || pollIntervalMs > 60000)
        return QStringLiteral("kubernetes.pollIntervalMs must be in 50..60000, got %1")
            .arg(pollIntervalMs);
    if (scaleTimeoutMs < 1000 || scaleTimeoutMs > 3600000)
        return QStringLiteral("kubernetes.scaleTimeoutMs must be in 1000..3600000, got %1")
            .arg(scaleTimeoutMs);
    return {};
}

KubernetesReplicaSet::KubernetesReplicaSet(KubernetesConfig config, SecretStore* secrets,
                                           QObject* parent)
    : ReplicaSet(parent)
    , m_config(std::move(config))
    , m_secrets(secrets)
    , m_network(new QNetworkAccessManager(this))
    , m_api(std::make_unique<KubernetesApi>(m_network, m_config.apiServer, m_config.timeoutMs))
{
    m_poll.setSingleShot(true);
    connect(&m_poll, &QTimer::timeout, this, &KubernetesReplicaSet::pollScale);
}

KubernetesReplicaSet::~KubernetesReplicaSet() = default;

QString KubernetesReplicaSet::scalePath() const
{
    return QStringLiteral("/apis/apps/v1/namespaces/%1/deployments/%2/scale")
        .arg(m_config.ns, m_config.deployment);
}

QString KubernetesReplicaSet::podsPath() const
{
    return QStringLiteral("/api/v1/namespaces/%1/pods").arg(m_config.ns);
}

QString KubernetesReplicaSet::what() const
{
    return QStringLiteral("deployment %1/%2").arg(m_config.ns, m_config.deployment);
}

bool KubernetesReplicaSet::prepare(QString* error)
{
    if (!m_prepared) {
        m_prepared = true;
        m_prepareError = m_config.validate();
        if (m_prepareError.isEmpty() && m_config.token.isSet()) {
            if (!m_secrets) {
                m_prepareError =
                    QStringLiteral("kubernetes.token is set but no secret store is available");
            } else {
                const SecretResult token = m_secrets->read(m_config.token);
                if (!token.ok())
                    m_prepareError = QStringLiteral("kubernetes.token: %1").arg(token.error);
                else
                    m_api->setToken(token.value);
            }
        }
        if (m_prepareError.isEmpty() && !m_config.caFile.isEmpty()) {
            const auto certificates = QSslCertificate::fromPath(m_config.caFile, QSsl::Pem);
            if (certificates.isEmpty())
                m_prepareError =
                    QStringLiteral("kubernetes.caFile \"%1\": no PEM certificate could "
                                   "be read from it")
                        .arg(m_config.caFile);
            else
                m_api->setCaCertificates(certificates);
        }
    }
    if (error)
        *error = m_prepareError;
    return m_prepareError.isEmpty();
}

void KubernetesReplicaSet::fail(const QString& error)
{
    m_lastError = error;
    emit event(error);
}

void KubernetesReplicaSet::refresh()
{
    QString error;
    if (!prepare(&error)) {
        m_lastError = error;
        emit refreshed(false, error);
        return;
    }
    if (m_refreshing)
        return;
    m_refreshing = true;
    m_api->send(
        "GET", scalePath(), {}, {}, {}, what() + " scale", this, [this](const KubeResult& r) {
            if (!r.ok()) {
                m_refreshing = false;
                m_lastError = r.error;
                emit refreshed(false, r.error);
                return;
            }
            const QJsonObject spec = r.json.value("spec").toObject();
            const QJsonObject status = r.json.value("status").toObject();
            if (!spec.value("replicas").isDouble() && !spec.isEmpty()) {
                m_refreshing = false;
                m_lastError = QStringLiteral("%1 scale: spec.replicas is not a number").arg(what());
                emit refreshed(false, m_lastError);
                return;
            }
            m_desired = spec.value("replicas").toInt(0);
            m_selector = status.value("selector").toString();
            if (m_selector.isEmpty()) {
                m_refreshing = false;
                m_lastError =
                    QStringLiteral("%1 scale has no status.selector; cannot find its pods")
                        .arg(what());
                emit refreshed(false, m_lastError);
                return;
            }
            QUrlQuery query;
            query.addQueryItem("labelSelector", m_selector);
            m_api->send("GET", podsPath(), query.toString(QUrl::FullyEncoded), {}, {},
                        QStringLiteral("pods of %1").arg(what()), this,
                        [this](const KubeResult& pods) {
                            m_refreshing = false;
                            if (!pods.ok()) {
                                m_lastError = pods.error;
                                emit refreshed(false, pods.error);
                                return;
                            }
                            m_replicas = parsePods(pods.json);
                            m_lastError.clear();
                            emit replicasChanged();
                            emit refreshed(true, {});
                        });
        });
}

QList<ReplicaInfo> KubernetesReplicaSet::parsePods(const QJsonObject& list)
{
    QList<ReplicaInfo> out;
    for (const QJsonValue& item : list.value("items").toArray()) {
        const QJsonObject pod = item.toObject();
        const QJsonObject meta = pod.value("metadata").toObject();
        const QJsonObject status = pod.value("status").toObject();
        ReplicaInfo info;
        info.id = meta.value("name").toString();
        info.address = status.value("podIP").toString();
        bool ready = false;
        for (const QJsonValue& c : status.value("conditions").toArray())
            if (c.toObject().value("type").toString() == "Ready")
                ready = c.toObject().value("status").toString() == "True";
        const QString phase = status.value("phase").toString();
        if (meta.contains("deletionTimestamp"))
            info.state = ReplicaState::Draining;
        else if (phase == "Failed")
            info.state = ReplicaState::Failed;
        else if (phase == "Succeeded")
            info.state = ReplicaState::Stopped;
        else if (phase == "Running" && ready)
            info.state = ReplicaState::Ready;
        else
            info.state = ReplicaState::Starting;
        // Summed wide and clamped: the counts are the API server's, not ours.
        qint64 restarts = 0;
        for (const QJsonValue& c : status.value("containerStatuses").toArray())
            restarts += std::max(0, c.toObject().value("restartCount").toInt());
        info.restarts = int(std::min<qint64>(restarts, std::numeric_limits<int>::max()));
        info.startedAt = QDateTime::fromString(status.value("startTime").toString(), Qt::ISODate);
        out.append(info);
    }
    std::sort(out.begin(), out.end(),
              [](const ReplicaInfo& a, const ReplicaInfo& b) { return a.id < b.id; });
    return out;
}

void KubernetesReplicaSet::scale(int count)
{
    QString error;
    if (!prepare(&error))
        return finishScale(false, error);
    if (count < 0 || count > 1000)
        return finishScale(false,
                           QStringLiteral("replica count %1 is out of range 0..1000").arg(count));
    patchReplicas(count, QStringLiteral("scale to %1").arg(count));
}

void KubernetesReplicaSet::patchReplicas(int count, const QString& because)
{
    const QJsonObject patch{{"spec", QJsonObject{{"replicas", count}}}};
    m_api->send("PATCH", scalePath(), {}, patch, "application/merge-patch+json", what() + " scale",
                this, [this, count, because](const KubeResult& r) {
                    if (!r.ok())
                        return finishScale(false, r.error);
                    m_desired = r.json.value("spec").toObject().value("replicas").toInt(count);
                    emit event(QStringLiteral("%1: %2 requested").arg(what(), because));
                    m_scaleTarget = count;
                    m_scaleDeadline = QDateTime::currentMSecsSinceEpoch() + m_config.scaleTimeoutMs;
                    checkHpa();
                    pollScale();
                });
}

void KubernetesReplicaSet::pollScale()
{
    if (m_scaleTarget < 0)
        return;
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(
        this, &KubernetesReplicaSet::refreshed, this, [this, once](bool ok, const QString&) {
            disconnect(*once);
            if (m_scaleTarget < 0)
                return;
            int ready = 0;
            int live = 0;
            for (const ReplicaInfo& r : std::as_const(m_replicas)) {
                if (r.state == ReplicaState::Ready)
                    ++ready;
                if (r.state != ReplicaState::Stopped && r.state != ReplicaState::Failed)
                    ++live;
            }
            if (ok && ready == m_scaleTarget && live == m_scaleTarget)
                return finishScale(true, {});
            if (QDateTime::currentMSecsSinceEpoch() >= m_scaleDeadline)
                return finishScale(
                    false, QStringLiteral("%1: %2 of %3 replicas ready after %4 s%5")
                               .arg(what())
                               .arg(ready)
                               .arg(m_scaleTarget)
                               .arg(m_config.scaleTimeoutMs / 1000)
                               .arg(ok ? QString() : QStringLiteral(" (") + m_lastError + ")"));
            m_poll.start(m_config.pollIntervalMs);
        });
    if (m_refreshing) // a refresh is under way; its answer serves this poll
        return;
    refresh();
}

void KubernetesReplicaSet::finishScale(bool ok, const QString& error)
{
    m_scaleTarget = -1;
    m_poll.stop();
    if (ok)
        emit event(QStringLiteral("%1: every requested replica is ready").arg(what()));
    else
        fail(error);
    emit scaleFinished(ok, error);
}

void KubernetesReplicaSet::checkHpa()
{
    QString error;
    if (!prepare(&error))
        return emit hpaChecked({}, error);
    m_api->send(
        "GET",
        QStringLiteral("/apis/autoscaling/v2/namespaces/%1/horizontalpodautoscalers")
            .arg(m_config.ns),
        {}, {}, {}, QStringLiteral("horizontal pod autoscalers in namespace %1").arg(m_config.ns),
        this, [this](const KubeResult& r) {
            if (!r.ok())
                return emit hpaChecked({}, r.error);
            for (const QJsonValue& item : r.json.value("items").toArray()) {
                const QJsonObject hpa = item.toObject();
                const QJsonObject spec = hpa.value("spec").toObject();
                const QJsonObject target = spec.value("scaleTargetRef").toObject();
                if (target.value("kind").toString() != "Deployment" ||
                    target.value("name").toString() != m_config.deployment)
                    continue;
                const QString warning =
                    QStringLiteral("HPA \"%1\" manages %2 (min %3, max %4): it will override "
                                   "a manual scale; change the HPA's bounds instead")
                        .arg(hpa.value("metadata").toObject().value("name").toString(), what())
                        .arg(spec.value("minReplicas").toInt(1))
                        .arg(spec.value("maxReplicas").toInt());
                emit event(warning);
                return emit hpaChecked(warning, {});
            }
            emit hpaChecked({}, {});
        });
}

void KubernetesReplicaSet::restart(const QString& id)
{
    QString error;
    if (!prepare(&error))
        return fail(error);
    const QString pod = idOf(id);
    m_api->send("DELETE", podsPath() + "/" + pod, {}, {}, {}, QStringLiteral("pod %1").arg(pod),
                this, [this, pod](const KubeResult& r) {
                    if (!r.ok())
                        return fail(r.error);
                    emit event(
                        QStringLiteral("pod %1 deleted; the deployment replaces it").arg(pod));
                    refresh();
                });
}

void KubernetesReplicaSet::drain(const QString& id)
{
    QString error;
    if (!prepare(&error))
        return fail(error);
    if (m_desired <= 0)
        return fail(
            QStringLiteral("drain %1: the replica count is not known yet; refresh first").arg(id));
    const QString pod = idOf(id);
    const QJsonObject patch{
        {"metadata",
         QJsonObject{{"annotations",
                      QJsonObject{{"controller.kubernetes.io/pod-deletion-cost", "-1000"}}}}}};
    m_api->send("PATCH", podsPath() + "/" + pod, {}, patch, "application/merge-patch+json",
                QStringLiteral("pod %1").arg(pod), this, [this, pod](const KubeResult& r) {
                    if (!r.ok())
                        return fail(r.error);
                    patchReplicas(m_desired - 1, QStringLiteral("drain of pod %1").arg(pod));
                });
}

} // namespace querydeck
