#include "backend/redisops/FailoverVerifier.h"

#include <QDateTime>
#include <QTimer>

namespace querydeck {

namespace {

constexpr int kReplicaPollMs = 500;

} // namespace

FailoverVerifier::FailoverVerifier(Hooks hooks, ServiceReplicaProbe* replicaProbe, QObject* parent)
    : QObject(parent)
    , m_hooks(std::move(hooks))
    , m_replicaProbe(replicaProbe)
{
}

void FailoverVerifier::start(const FailoverRequest& request, const RedisTopology& topology,
                             const QStringList& serviceReplicas,
                             const QList<ServiceReplicaProbe::State>& baseline,
                             FailoverReport* report)
{
    m_request = request;
    m_topology = topology;
    m_serviceReplicas = serviceReplicas;
    m_baseline = baseline;
    m_report = report;
    m_active = true;
    m_sinceVerify.invalidate();
    if (m_request.mode == FailoverRequest::Mode::Cluster)
        verifyCluster();
    else
        verifySentinels();
}

void FailoverVerifier::stop()
{
    m_active = false;
    m_sinceVerify.invalidate();
}

void FailoverVerifier::verifySentinels()
{
    probeNewMaster(
        "querydeck:failover:probe:" + QByteArray::number(QDateTime::currentMSecsSinceEpoch()),
        [this] {
            auto remaining = std::make_shared<int>(int(m_topology.sentinels.size()));
            auto agreeing = std::make_shared<int>(0);
            for (const SentinelState& s : std::as_const(m_topology.sentinels)) {
                m_hooks.ask(
                    s.address,
                    {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", m_request.masterName.toUtf8()},
                    [this, remaining, agreeing](const RedisReply& r) {
                        if (r.elements.size() == 2 &&
                            QStringLiteral("%1:%2").arg(QString::fromUtf8(r.elements[0].text),
                                                        QString::fromUtf8(r.elements[1].text)) ==
                                m_report->newMaster)
                            ++*agreeing;
                        if (--*remaining > 0)
                            return;
                        m_report->verified << QStringLiteral("%1 of %2 sentinels name %3")
                                                  .arg(*agreeing)
                                                  .arg(m_topology.sentinels.size())
                                                  .arg(m_report->newMaster);
                        if (*agreeing < m_topology.quorum)
                            m_hooks.finish(false,
                                           QStringLiteral("only %1 sentinels name the new master")
                                               .arg(*agreeing));
                        else
                            verifyServiceReplicas();
                    });
            }
        });
}

void FailoverVerifier::verifyCluster()
{
    // A key in a slot the new master serves, so that the write lands there.
    m_hooks.ask(m_report->newMaster, {"CLUSTER", "NODES"}, [this](const RedisReply& reply) {
        const ClusterNodes nodes = ClusterNodes::parse(reply.text);
        const ClusterNode* self = nullptr;
        for (const ClusterNode& node : nodes.nodes) {
            if (node.isMyself())
                self = &node;
        }
        if (!self || !self->isMaster() || self->slotRanges.isEmpty()) {
            m_hooks.finish(
                false,
                QStringLiteral("%1 does not own slots as a master").arg(m_report->newMaster));
            return;
        }
        m_report->verified
            << QStringLiteral("%1 owns %2 slots").arg(m_report->newMaster).arg(self->slotCount());
        QByteArray key;
        for (int i = 0; i < 100000 && key.isEmpty(); ++i) {
            const QByteArray candidate = "querydeck:failover:probe:" + QByteArray::number(i);
            const int slot = ClusterNodes::keySlot(candidate);
            for (const auto& [from, to] : self->slotRanges) {
                if (slot >= from && slot <= to)
                    key = candidate;
            }
        }
        probeNewMaster(key, [this] { verifyServiceReplicas(); });
    });
}

void FailoverVerifier::verifyServiceReplicas()
{
    if (!m_active)
        return;
    if (m_serviceReplicas.isEmpty()) {
        m_report->failedRequestsDetail =
            QStringLiteral("not measured: no QueryDeck replica was given to check");
        m_hooks.finish(true, {});
        return;
    }
    if (!m_sinceVerify.isValid()) {
        m_sinceVerify.start();
        m_hooks.note(QStringLiteral("checking that %1 QueryDeck replica(s) use %2")
                         .arg(m_serviceReplicas.size())
                         .arg(m_report->newMaster));
    }
    m_replicaProbe->read(
        m_serviceReplicas, true, [this](const QList<ServiceReplicaProbe::State>& states) {
            if (!m_active)
                return;
            // Cluster mode: the service speaks to one server (no cluster
            // client), so only the counts apply.
            const bool checkMaster = m_request.mode == FailoverRequest::Mode::Sentinel;
            QStringList behind;
            for (const ServiceReplicaProbe::State& s : states) {
                if (!s.error.isEmpty())
                    behind << QStringLiteral("QueryDeck replica %1 did not answer: %2")
                                  .arg(s.url, s.error);
                else if (checkMaster && s.usesRedis && s.redisMaster != m_report->newMaster)
                    behind << QStringLiteral(
                                  "QueryDeck replica %1 still uses %2, not the new master %3")
                                  .arg(s.url,
                                       s.redisMaster.isEmpty() ? QStringLiteral("no Redis master")
                                                               : s.redisMaster,
                                       m_report->newMaster);
            }
            if (!behind.isEmpty() && m_sinceVerify.elapsed() < m_replicaSwitchTimeoutMs) {
                QTimer::singleShot(kReplicaPollMs, this, &FailoverVerifier::verifyServiceReplicas);
                return;
            }
            for (const ServiceReplicaProbe::State& s : states) {
                if (!s.error.isEmpty() || !checkMaster)
                    continue;
                if (!s.usesRedis)
                    m_report->verified << QStringLiteral("QueryDeck replica %1 uses no Redis cache "
                                                         "(nothing to move)")
                                              .arg(s.url);
                else if (s.redisMaster == m_report->newMaster)
                    m_report->verified
                        << QStringLiteral("QueryDeck replica %1 uses the new master %2")
                               .arg(s.url, s.redisMaster);
            }
            countFailedRequests(states);
            if (!behind.isEmpty())
                m_hooks.finish(false, QStringLiteral("after %1 s: %2")
                                          .arg(m_replicaSwitchTimeoutMs / 1000)
                                          .arg(behind.join(QStringLiteral("; "))));
            else
                m_hooks.finish(true, {});
        });
}

void FailoverVerifier::countFailedRequests(const QList<ServiceReplicaProbe::State>& now)
{
    m_report->failedRequests =
        ServiceReplicaProbe::failedBetween(m_baseline, now, &m_report->failedRequestsDetail);
}

void FailoverVerifier::probeNewMaster(const QByteArray& key, std::function<void()> then)
{
    const QByteArray value = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    m_hooks.ask(
        m_report->newMaster, {"SET", key, value, "EX", "300"},
        [this, key, value, then = std::move(then)](const RedisReply& set) {
            if (set.isError()) {
                m_hooks.finish(false, QStringLiteral("the new master %1 refused a write: %2")
                                          .arg(m_report->newMaster, set.errorText()));
                return;
            }
            m_report->durationMs = m_hooks.sinceTriggerMs();
            m_report->verified << QStringLiteral("%1 accepted a write").arg(m_report->newMaster);
            m_hooks.ask(
                m_report->newMaster, {"GET", key}, [this, value, then](const RedisReply& get) {
                    if (get.text != value) {
                        m_hooks.finish(false, QStringLiteral("reading back from %1 failed: %2")
                                                  .arg(m_report->newMaster, get.errorText()));
                        return;
                    }
                    m_report->verified
                        << QStringLiteral("cache read from %1 succeeded").arg(m_report->newMaster);
                    m_report->verified << QStringLiteral("%1 is a replica of %2")
                                              .arg(m_report->oldMaster, m_report->newMaster);
                    then();
                });
        });
}

} // namespace querydeck
