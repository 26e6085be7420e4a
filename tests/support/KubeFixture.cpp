#include "KubeFixture.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace querydeck {

KubeFixture::KubeFixture(FixtureHttpServer& server, QString ns, QString deployment)
    : m_server(server)
    , m_ns(std::move(ns))
    , m_deployment(std::move(deployment))
{
}

QByteArray KubeFixture::scalePath() const
{
    return QStringLiteral("/apis/apps/v1/namespaces/%1/deployments/%2/scale")
        .arg(m_ns, m_deployment)
        .toUtf8();
}

QByteArray KubeFixture::podsPath() const
{
    return QStringLiteral("/api/v1/namespaces/%1/pods").arg(m_ns).toUtf8();
}

QByteArray KubeFixture::hpaPath() const
{
    return QStringLiteral("/apis/autoscaling/v2/namespaces/%1/horizontalpodautoscalers")
        .arg(m_ns)
        .toUtf8();
}

FixtureResponse KubeFixture::status(int code, const QString& reason, const QString& message)
{
    return FixtureResponse::json(code, {{"kind", "Status"},
                                        {"apiVersion", "v1"},
                                        {"status", "Failure"},
                                        {"reason", reason},
                                        {"message", message},
                                        {"code", code}});
}

KubernetesConfig KubeFixture::config() const
{
    KubernetesConfig c;
    c.apiServer = m_server.url();
    c.ns = m_ns;
    c.deployment = m_deployment;
    c.token.envVar = QStringLiteral("QD_TEST_KUBE_TOKEN");
    c.timeoutMs = 2000;
    c.pollIntervalMs = 50;
    c.scaleTimeoutMs = 5000;
    return c;
}

void KubeFixture::install()
{
    for (const char* method : {"GET", "PATCH"})
        m_server.setHandler(method, scalePath(),
                            [this](const FixtureRequest& r) { return handleScale(r); });
    m_server.setHandler("GET", podsPath(),
                        [this](const FixtureRequest& r) { return handlePods(r); });
    m_server.setHandler("GET", hpaPath(), [this](const FixtureRequest& r) { return handleHpa(r); });
    QMutexLocker lock(&m_mutex);
    for (const Pod& pod : std::as_const(m_pods))
        for (const char* method : {"DELETE", "PATCH"})
            m_server.setHandler(method, podsPath() + "/" + pod.name.toUtf8(),
                                [this](const FixtureRequest& r) { return handlePod(r); });
}

bool KubeFixture::authorised(const FixtureRequest& request) const
{
    return request.header("Authorization") == QByteArray("Bearer ") + kToken;
}

void KubeFixture::resizeLocked(int count)
{
    m_replicas = count;
    // Pods marked cheapest to delete go first, as the ReplicaSet controller does.
    std::stable_sort(m_pods.begin(), m_pods.end(), [this](const Pod& a, const Pod& b) {
        return m_deletionCost.value(a.name, "0").toInt() >
               m_deletionCost.value(b.name, "0").toInt();
    });
    while (m_pods.size() > count)
        m_pods.removeLast();
    while (m_pods.size() < count) {
        const int n = m_nextPod++;
        Pod pod{QStringLiteral("%1-7d9f-%2").arg(m_deployment).arg(n), m_polls + m_readyAfter,
                QStringLiteral("10.0.0.%1").arg(n)};
        m_pods.append(pod);
        for (const char* method : {"DELETE", "PATCH"})
            m_server.setHandler(method, podsPath() + "/" + pod.name.toUtf8(),
                                [this](const FixtureRequest& r) { return handlePod(r); });
    }
}

void KubeFixture::setReplicas(int count)
{
    QMutexLocker lock(&m_mutex);
    resizeLocked(count);
}

int KubeFixture::replicas() const
{
    QMutexLocker lock(&m_mutex);
    return m_replicas;
}

QStringList KubeFixture::podNames() const
{
    QMutexLocker lock(&m_mutex);
    QStringList names;
    for (const Pod& pod : m_pods)
        names << pod.name;
    return names;
}

void KubeFixture::setReadyAfterPolls(int polls)
{
    QMutexLocker lock(&m_mutex);
    m_readyAfter = polls;
}

void KubeFixture::setPodsNeverReady(bool never)
{
    QMutexLocker lock(&m_mutex);
    m_neverReady = never;
}

void KubeFixture::setHpa(bool present)
{
    QMutexLocker lock(&m_mutex);
    m_hpa = present;
}

QHash<QString, QString> KubeFixture::deletionCosts() const
{
    QMutexLocker lock(&m_mutex);
    return m_deletionCost;
}

FixtureResponse KubeFixture::handleScale(const FixtureRequest& request)
{
    if (!authorised(request))
        return status(401, "Unauthorized", "Unauthorized");
    QMutexLocker lock(&m_mutex);
    if (request.method == "PATCH") {
        if (request.header("Content-Type") != "application/merge-patch+json")
            return status(415, "UnsupportedMediaType",
                          "the body of the request was in an unknown format");
        const QJsonValue replicas = request.json().value("spec").toObject().value("replicas");
        if (!replicas.isDouble() || replicas.toInt() < 0)
            return status(422, "Invalid", "spec.replicas: Invalid value");
        resizeLocked(replicas.toInt());
    }
    int ready = 0;
    for (const Pod& pod : std::as_const(m_pods))
        if (!m_neverReady && pod.readyAtPoll <= m_polls)
            ++ready;
    return FixtureResponse::json(
        200,
        {{"kind", "Scale"},
         {"apiVersion", "autoscaling/v1"},
         {"metadata", QJsonObject{{"name", m_deployment}, {"namespace", m_ns}}},
         {"spec", QJsonObject{{"replicas", m_replicas}}},
         {"status", QJsonObject{{"replicas", ready}, {"selector", "app=querydeck,tier=api"}}}});
}

FixtureResponse KubeFixture::handlePods(const FixtureRequest& request)
{
    if (!authorised(request))
        return status(401, "Unauthorized", "Unauthorized");
    QMutexLocker lock(&m_mutex);
    ++m_polls;
    QJsonArray items;
    const QString selector = QUrlQuery(QString::fromUtf8(request.query))
                                 .queryItemValue("labelSelector", QUrl::FullyDecoded);
    if (selector == "app=querydeck,tier=api") {
        for (const Pod& pod : std::as_const(m_pods)) {
            const bool ready = !m_neverReady && pod.readyAtPoll < m_polls;
            items.append(QJsonObject{
                {"metadata",
                 QJsonObject{{"name", pod.name},
                             {"namespace", m_ns},
                             {"labels", QJsonObject{{"app", "querydeck"}, {"tier", "api"}}}}},
                {"status",
                 QJsonObject{
                     {"phase", ready ? "Running" : "Pending"},
                     {"podIP", pod.ip},
                     {"startTime", "2026-11-29T10:00:00Z"},
                     {"conditions", QJsonArray{QJsonObject{{"type", "Ready"},
                                                           {"status", ready ? "True" : "False"}}}},
                     {"containerStatuses",
                      QJsonArray{QJsonObject{{"name", "querydeck"}, {"restartCount", 1}}}}}}});
        }
    }
    return FixtureResponse::json(200,
                                 {{"kind", "PodList"}, {"apiVersion", "v1"}, {"items", items}});
}

FixtureResponse KubeFixture::handlePod(const FixtureRequest& request)
{
    if (!authorised(request))
        return status(401, "Unauthorized", "Unauthorized");
    QMutexLocker lock(&m_mutex);
    const QString name = QString::fromUtf8(request.path.mid(podsPath().size() + 1));
    const auto it =
        std::find_if(m_pods.begin(), m_pods.end(), [&](const Pod& p) { return p.name == name; });
    if (it == m_pods.end())
        return status(404, "NotFound", QStringLiteral("pods \"%1\" not found").arg(name));
    if (request.method == "PATCH") {
        const QJsonObject annotations =
            request.json().value("metadata").toObject().value("annotations").toObject();
        m_deletionCost.insert(
            name, annotations.value("controller.kubernetes.io/pod-deletion-cost").toString());
        return FixtureResponse::json(200,
                                     {{"kind", "Pod"}, {"metadata", QJsonObject{{"name", name}}}});
    }
    m_pods.erase(it);
    resizeLocked(m_replicas); // the ReplicaSet controller replaces it
    return FixtureResponse::json(200, {{"kind", "Pod"}, {"metadata", QJsonObject{{"name", name}}}});
}

FixtureResponse KubeFixture::handleHpa(const FixtureRequest& request)
{
    if (!authorised(request))
        return status(401, "Unauthorized", "Unauthorized");
    QMutexLocker lock(&m_mutex);
    QJsonArray items;
    items.append(QJsonObject{
        {"metadata", QJsonObject{{"name", "other-hpa"}}},
        {"spec",
         QJsonObject{{"scaleTargetRef", QJsonObject{{"kind", "Deployment"}, {"name", "other"}}},
                     {"minReplicas", 1},
                     {"maxReplicas", 3}}}});
    if (m_hpa)
        items.append(QJsonObject{
            {"metadata", QJsonObject{{"name", "querydeck-hpa"}}},
            {"spec", QJsonObject{{"scaleTargetRef", QJsonObject{{"apiVersion", "apps/v1"},
                                                                {"kind", "Deployment"},
                                                                {"name", m_deployment}}},
                                 {"minReplicas", 2},
                                 {"maxReplicas", 10}}}});
    return FixtureResponse::json(200, {{"kind", "HorizontalPodAutoscalerList"},
                                       {"apiVersion", "autoscaling/v2"},
                                       {"items", items}});
}

} // namespace querydeck
