#include "backend/redisops/FailoverController.h"

#include "backend/redis/RedisAsyncClient.h"
#include "backend/redisops/TopologyDiscovery.h"

namespace querydeck {

namespace {

constexpr int kPriorityWaitAttempts = 40; // x 500 ms: Sentinel refreshes replica INFO every 10 s

QString roleOf(const RedisReply& reply)
{
    return reply.isError() || reply.elements.isEmpty()
               ? QString()
               : QString::fromUtf8(reply.elements.first().text);
}

// ROLE of a replica: ["slave", host, port, state, offset].
QString masterOf(const RedisReply& reply)
{
    if (roleOf(reply) != QLatin1String("slave") || reply.elements.size() < 3)
        return {};
    return QStringLiteral("%1:%2")
        .arg(QString::fromUtf8(reply.elements.at(1).text))
        .arg(reply.elements.at(2).integer);
}

} // namespace

FailoverController::FailoverController(QObject* parent)
    : QObject(parent)
    , m_replicaProbe(new ServiceReplicaProbe(this))
{
    FailoverVerifier::Hooks hooks;
    hooks.ask = [this](const QString& address, const QByteArrayList& args, Handler handler) {
        ask(address, args, std::move(handler));
    };
    hooks.note = [this](const QString& text) { note(text); };
    hooks.finish = [this](bool ok, const QString& error) { finish(ok, error); };
    hooks.sinceTriggerMs = [this] {
        return m_sinceTrigger.isValid() ? m_sinceTrigger.elapsed() : -1;
    };
    m_writeWatch = new ServiceWriteWatch(hooks.sinceTriggerMs, this);
    m_verifier = new FailoverVerifier(std::move(hooks), m_replicaProbe, this);
    m_poll.setInterval(250);
    connect(&m_poll, &QTimer::timeout, this, &FailoverController::pollProgress);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        finish(false, QStringLiteral("not verified within %1 s; the servers may still be "
                                     "completing it: look at the topology view")
                          .arg(m_request.timeoutMs / 1000));
    });
}

FailoverController::~FailoverController() = default;

void FailoverController::setReplicaSwitchTimeoutMs(int ms)
{
    m_verifier->setReplicaSwitchTimeoutMs(ms);
}

void FailoverController::setPhase(Phase phase)
{
    m_phase = phase;
    emit phaseChanged(phase);
}

void FailoverController::note(const QString& text)
{
    const Event event{m_sinceTrigger.isValid() ? m_sinceTrigger.elapsed() : -1, text};
    m_report.timeline.append(event);
    emit progress(event);
}

void FailoverController::ask(const QString& address, const QByteArrayList& args, Handler handler)
{
    RedisAsyncClient*& client = m_clients[address];
    if (!client) {
        QString problem;
        const RedisAddress parsed = RedisAddress::parse(address, &problem);
        client = new RedisAsyncClient(parsed.host, parsed.port, this);
        client->setTimeouts(2000, 3000);
        client->setPassword(isSentinel(address) ? m_sentinelPassword : m_password);
    }
    QPointer<FailoverController> self(this);
    client->command(args, [self, handler = std::move(handler)](const RedisReply& reply) {
        if (self)
            handler(reply);
    });
}

bool FailoverController::isSentinel(const QString& address) const
{
    for (const RedisAddress& seed : m_request.sentinels) {
        if (seed.hostPort() == address)
            return true;
    }
    for (const SentinelState& s : m_topology.sentinels) {
        if (s.address == address)
            return true;
    }
    return false;
}

QString FailoverController::sentinelAddress() const
{
    for (const SentinelState& s : m_topology.sentinels) {
        if (s.reachable)
            return s.address;
    }
    return m_request.sentinels.isEmpty() ? QString() : m_request.sentinels.first().hostPort();
}

void FailoverController::discover()
{
    if (m_phase != Phase::Idle && m_phase != Phase::Checked && m_phase != Phase::Cancelled)
        return;
    setPhase(Phase::Discovering);
    delete m_discovery;
    m_discovery = new TopologyDiscovery(this);
    m_discovery->setPassword(m_password);
    m_discovery->setSentinelPassword(m_sentinelPassword);
    connect(m_discovery, &TopologyDiscovery::finished, this, [this](const RedisTopology& topology) {
        m_discovery->deleteLater();
        m_discovery = nullptr;
        if (m_phase != Phase::Discovering)
            return; // cancelled meanwhile
        m_topology = topology;
        emit topologyReady(m_topology);
        setPhase(Phase::Checked);
        recheck();
    });
    if (m_request.mode == FailoverRequest::Mode::Sentinel)
        m_discovery->discoverSentinel(m_request.sentinels, m_request.masterName);
    else
        m_discovery->discoverCluster(m_request.clusterSeed, m_request.replica);
}

void FailoverController::recheck()
{
    m_checks = FailoverCheck::evaluate(m_topology, m_request);
    emit checksReady(m_checks);
}

bool FailoverController::cancel()
{
    if (m_phase == Phase::Triggered || m_phase == Phase::Verifying) {
        note(QStringLiteral("cancel refused: the failover is already triggered"));
        return false;
    }
    if (m_phase == Phase::Succeeded || m_phase == Phase::Failed)
        return false;
    if (m_discovery) {
        m_discovery->deleteLater();
        m_discovery = nullptr;
    }
    setPhase(Phase::Cancelled);
    return true;
}

bool FailoverController::trigger()
{
    recheck();
    if (m_phase != Phase::Checked || !FailoverCheck::allowTrigger(m_checks))
        return false;
    m_report = {};
    m_report.oldMaster = m_topology.master.address;
    m_roles.clear();
    m_sentinelMaster = m_topology.master.address;
    m_candidate = m_request.replica;
    m_baseline.clear();
    m_sinceTrigger.start();
    // Cluster mode: the service speaks to one server, not to "the master".
    if (m_request.mode == FailoverRequest::Mode::Sentinel)
        m_writeWatch->start(m_serviceReplicas, m_report.oldMaster);
    setPhase(Phase::Triggered);
    m_deadline.start(m_request.timeoutMs);
    if (m_serviceReplicas.isEmpty()) {
        startFailover();
        return true;
    }
    // The replicas' counters before anything moves, the start of the window.
    note(QStringLiteral("reading the request counters of %1 QueryDeck replica(s)")
             .arg(m_serviceReplicas.size()));
    m_replicaProbe->read(m_serviceReplicas, false,
                         [this](const QList<ServiceReplicaProbe::State>& states) {
                             m_baseline = states;
                             startFailover();
                         });
    return true;
}

void FailoverController::startFailover()
{
    if (m_request.mode == FailoverRequest::Mode::Sentinel && !m_request.replica.isEmpty())
        adjustPriorities();
    else
        sendTrigger();
}

// Sentinel promotes the replica with the lowest non-zero priority: give the
// chosen one 1 and the others at least 100, remembering what they had so
// that verify() can put it back.
void FailoverController::adjustPriorities()
{
    note(QStringLiteral("setting replica-priority so that Sentinel promotes %1")
             .arg(m_request.replica));
    for (const RedisNodeState& replica : std::as_const(m_topology.replicas)) {
        const bool chosen = replica.address == m_request.replica;
        if (!chosen && (replica.priority == 0 || replica.priority >= 100))
            continue;
        m_savedPriorities.insert(replica.address, QByteArray::number(replica.priority));
        ask(replica.address, {"CONFIG", "SET", "replica-priority", chosen ? "1" : "100"},
            [this, address = replica.address](const RedisReply& reply) {
                if (reply.isError())
                    finish(false, QStringLiteral("CONFIG SET replica-priority on %1: %2")
                                      .arg(address, reply.errorText()));
            });
    }
    note(QStringLiteral("waiting for Sentinel to see the new priorities"));
    waitForSentinelPriority(kPriorityWaitAttempts);
}

void FailoverController::waitForSentinelPriority(int attemptsLeft)
{
    if (m_phase != Phase::Triggered)
        return;
    ask(sentinelAddress(), {"SENTINEL", "REPLICAS", m_request.masterName.toUtf8()},
        [this, attemptsLeft](const RedisReply& reply) {
            for (const RedisReply& entry : reply.elements) {
                QHash<QByteArray, QByteArray> f;
                for (const auto& [k, v] : entry.pairs())
                    f.insert(k, v);
                const QString address = QStringLiteral("%1:%2").arg(
                    QString::fromUtf8(f.value("ip")), QString::fromUtf8(f.value("port")));
                if (address == m_request.replica && f.value("slave-priority") == "1") {
                    note(QStringLiteral("Sentinel sees priority 1 on %1").arg(address));
                    sendTrigger();
                    return;
                }
            }
            if (attemptsLeft <= 0) {
                finish(false,
                       QStringLiteral("Sentinel did not see the new replica-priority in time"));
                return;
            }
            QTimer::singleShot(500, this,
                               [this, attemptsLeft] { waitForSentinelPriority(attemptsLeft - 1); });
        });
}

void FailoverController::sendTrigger()
{
    if (m_phase != Phase::Triggered)
        return;
    if (m_request.mode == FailoverRequest::Mode::Sentinel) {
        const QString sentinel = sentinelAddress();
        // Subscribe first so that the switch cannot happen before we listen.
        QString problem;
        const RedisAddress address = RedisAddress::parse(sentinel, &problem);
        m_events = new RedisAsyncClient(address.host, address.port, this);
        m_events->setPassword(m_sentinelPassword);
        m_events->subscribe("+switch-master", [this, sentinel](const RedisReply& reply) {
            if (reply.elements.size() == 3 && reply.elements.first().text == "message") {
                // "<name> <old-ip> <old-port> <new-ip> <new-port>"
                const QList<QByteArray> f = reply.elements.at(2).text.split(' ');
                if (f.size() == 5 && f.first() == m_request.masterName.toUtf8())
                    note(QStringLiteral("+switch-master from sentinel %1: %2:%3 -> %4:%5")
                             .arg(sentinel, QString::fromUtf8(f[1]), QString::fromUtf8(f[2]),
                                  QString::fromUtf8(f[3]), QString::fromUtf8(f[4])));
            }
        });
        ask(sentinel, {"SENTINEL", "FAILOVER", m_request.masterName.toUtf8()},
            [this, sentinel](const RedisReply& reply) {
                if (reply.isError()) {
                    finish(false, QStringLiteral("SENTINEL FAILOVER at %1: %2")
                                      .arg(sentinel, reply.errorText()));
                    return;
                }
                note(QStringLiteral("SENTINEL FAILOVER %1 accepted by %2")
                         .arg(m_request.masterName, sentinel));
                m_poll.start();
            });
        return;
    }
    QByteArrayList command{"CLUSTER", "FAILOVER"};
    if (m_request.clusterOption == FailoverRequest::ClusterOption::Force)
        command << "FORCE";
    else if (m_request.clusterOption == FailoverRequest::ClusterOption::Takeover)
        command << "TAKEOVER";
    ask(m_request.replica, command, [this, command](const RedisReply& reply) {
        if (reply.isError()) {
            finish(false, QStringLiteral("%1 at %2: %3")
                              .arg(QString::fromUtf8(command.join(' ')), m_request.replica,
                                   reply.errorText()));
            return;
        }
        note(QStringLiteral("%1 accepted by %2")
                 .arg(QString::fromUtf8(command.join(' ')), m_request.replica));
        m_poll.start();
    });
}

// One round of progress polling: who the sentinel names as master, and the
// ROLE of the old master and of every replica. Done when a former replica
// is master and the old master follows it.
void FailoverController::pollProgress()
{
    if (m_phase != Phase::Triggered || m_pollInFlight)
        return;
    m_pollInFlight = true;
    QStringList servers{m_report.oldMaster};
    for (const RedisNodeState& replica : std::as_const(m_topology.replicas))
        servers << replica.address;
    auto remaining = std::make_shared<int>(
        int(servers.size()) + (m_request.mode == FailoverRequest::Mode::Sentinel ? 1 : 0));
    auto roundDone = [this, remaining] {
        if (--*remaining > 0)
            return;
        m_pollInFlight = false;
        const QString oldRole = m_roles.value(m_report.oldMaster);
        QString newMaster;
        for (const RedisNodeState& replica : std::as_const(m_topology.replicas)) {
            if (m_roles.value(replica.address) == QLatin1String("master"))
                newMaster = replica.address;
        }
        const bool sentinelAgrees =
            m_request.mode == FailoverRequest::Mode::Cluster || m_sentinelMaster == newMaster;
        if (!newMaster.isEmpty() && sentinelAgrees &&
            oldRole == QStringLiteral("a replica of %1").arg(newMaster)) {
            m_poll.stop();
            m_report.newMaster = newMaster;
            verify();
        }
    };
    if (m_request.mode == FailoverRequest::Mode::Sentinel) {
        ask(sentinelAddress(),
            {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", m_request.masterName.toUtf8()},
            [this, roundDone](const RedisReply& reply) {
                if (reply.elements.size() == 2) {
                    const QString now =
                        QStringLiteral("%1:%2").arg(QString::fromUtf8(reply.elements[0].text),
                                                    QString::fromUtf8(reply.elements[1].text));
                    if (now != m_sentinelMaster)
                        note(QStringLiteral("Sentinel now names %1 as master").arg(now));
                    m_sentinelMaster = now;
                }
                roundDone();
            });
    }
    for (const QString& server : servers) {
        ask(server, {"ROLE"}, [this, server, roundDone](const RedisReply& reply) {
            QString role = roleOf(reply);
            if (role == QLatin1String("slave"))
                role = QStringLiteral("a replica of ") + masterOf(reply);
            if (reply.isError())
                role = QStringLiteral("unreachable");
            if (role == QLatin1String("master") && server != m_report.oldMaster &&
                m_report.promotedMs < 0)
                m_report.promotedMs = m_sinceTrigger.elapsed();
            if (m_roles.value(server) != role) {
                if (m_roles.contains(server) || server == m_report.oldMaster ||
                    role == QLatin1String("master"))
                    note((server == m_report.oldMaster ? QStringLiteral("old master %1 is %2")
                                                       : QStringLiteral("%1 is %2"))
                             .arg(server, role));
                m_roles.insert(server, role);
            }
            roundDone();
        });
    }
}

void FailoverController::verify()
{
    setPhase(Phase::Verifying);
    note(QStringLiteral("verifying on the servers"));
    m_verifier->start(m_request, m_topology, m_serviceReplicas, m_baseline, &m_report);
}

void FailoverController::finish(bool ok, const QString& error)
{
    if (m_phase == Phase::Succeeded || m_phase == Phase::Failed)
        return;
    m_poll.stop();
    m_deadline.stop();
    // Put back the priorities changed to steer Sentinel, whatever happened.
    for (auto it = m_savedPriorities.cbegin(); it != m_savedPriorities.cend(); ++it)
        ask(it.key(), {"CONFIG", "SET", "replica-priority", it.value()}, [](const RedisReply&) {});
    m_savedPriorities.clear();
    m_report.ok = ok;
    m_report.error = error;
    m_report.windowMs = m_sinceTrigger.isValid() ? m_sinceTrigger.elapsed() : -1;
    m_verifier->stop();
    m_writeWatch->stop();
    if (m_request.mode == FailoverRequest::Mode::Sentinel)
        m_writeWatch->fill(&m_report);
    else
        m_report.writesDetail = QStringLiteral("not measured in cluster mode: the QueryDeck "
                                               "replicas speak to one server, not to a master");
    note(ok ? QStringLiteral("failover verified: %1 is the master").arg(m_report.newMaster)
            : QStringLiteral("failover failed: %1").arg(error));
    if (m_events) {
        m_events->deleteLater();
        m_events = nullptr;
    }
    setPhase(ok ? Phase::Succeeded : Phase::Failed);
    emit finished(m_report);
}

} // namespace querydeck
