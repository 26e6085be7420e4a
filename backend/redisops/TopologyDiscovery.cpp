#include "backend/redisops/TopologyDiscovery.h"

#include "backend/redis/RedisAsyncClient.h"
#include "backend/redis/RedisInfo.h"

namespace querydeck {

namespace {

QHash<QByteArray, QByteArray> toHash(const RedisReply& reply)
{
    QHash<QByteArray, QByteArray> out;
    for (const auto& [key, value] : reply.pairs())
        out.insert(key, value);
    return out;
}

QString addressOf(const QHash<QByteArray, QByteArray>& fields)
{
    return QStringLiteral("%1:%2").arg(QString::fromUtf8(fields.value("ip")),
                                       QString::fromUtf8(fields.value("port")));
}

} // namespace

TopologyDiscovery::TopologyDiscovery(QObject* parent)
    : QObject(parent)
{
}

TopologyDiscovery::~TopologyDiscovery() = default;

void TopologyDiscovery::ask(const QString& address, const QByteArrayList& args, Handler handler)
{
    RedisAsyncClient*& client = m_clients[address];
    if (!client) {
        QString problem;
        const RedisAddress parsed = RedisAddress::parse(address, &problem);
        client = new RedisAsyncClient(parsed.host, parsed.port, this);
        client->setTimeouts(m_timeoutMs, m_timeoutMs);
        client->setPassword(isSentinel(address) ? m_sentinelPassword : m_password);
    }
    ++m_pending;
    client->command(args, [this, handler = std::move(handler)](const RedisReply& reply) {
        handler(reply);
        done();
    });
}

bool TopologyDiscovery::isSentinel(const QString& address) const
{
    for (const SentinelState& sentinel : m_topology.sentinels) {
        if (sentinel.address == address)
            return true;
    }
    return false;
}

void TopologyDiscovery::whenDone(std::function<void()> next)
{
    m_next = std::move(next);
    if (m_pending == 0)
        done();
}

void TopologyDiscovery::done()
{
    if (m_pending > 0)
        --m_pending;
    if (m_pending == 0 && m_next) {
        // Run the next phase outside the hiredis callback that finished this one.
        auto next = std::move(m_next);
        m_next = nullptr;
        QMetaObject::invokeMethod(this, std::move(next), Qt::QueuedConnection);
    }
}

void TopologyDiscovery::discoverSentinel(const QList<RedisAddress>& sentinels,
                                         const QString& masterName)
{
    if (m_running)
        return;
    m_running = true;
    m_topology = {};
    m_topology.kind = RedisTopology::Kind::Sentinel;
    m_topology.masterName = masterName;
    m_sentinelSeeds = sentinels;
    for (const RedisAddress& seed : sentinels)
        m_topology.sentinels.append({seed.hostPort(), false, {}, false, {}});
    if (sentinels.isEmpty()) {
        m_topology.problems << QStringLiteral("no sentinel address given");
        finish();
        return;
    }
    trySentinel(0);
}

void TopologyDiscovery::trySentinel(int index)
{
    if (index >= m_sentinelSeeds.size()) {
        m_topology.problems
            << QStringLiteral("no sentinel knows a master named \"%1\"").arg(m_topology.masterName);
        finish();
        return;
    }
    const QString sentinel = m_sentinelSeeds.at(index).hostPort();
    ask(sentinel, {"SENTINEL", "MASTER", m_topology.masterName.toUtf8()},
        [this, index, sentinel](const RedisReply& reply) {
            SentinelState& state = m_topology.sentinels[index];
            if (reply.isError() || reply.type != RedisReply::Type::Array) {
                state.error = reply.isError() ? reply.errorText()
                                              : QStringLiteral("SENTINEL MASTER gave no map");
                state.reachable = !reply.errorText().contains(QLatin1String("connect"));
                m_topology.problems << QStringLiteral("sentinel %1: %2").arg(sentinel, state.error);
                whenDone([this, index] { trySentinel(index + 1); });
                return;
            }
            state.reachable = true;
            const auto fields = toHash(reply);
            m_topology.master.address = addressOf(fields);
            m_topology.master.sentinelFlags =
                QString::fromUtf8(fields.value("flags")).split(QLatin1Char(','));
            m_topology.quorum = fields.value("quorum").toInt();
            whenDone([this, sentinel] { readSentinelReplies(sentinel); });
        });
}

void TopologyDiscovery::readSentinelReplies(const QString& sentinel)
{
    const QByteArray name = m_topology.masterName.toUtf8();
    ask(sentinel, {"SENTINEL", "REPLICAS", name}, [this](const RedisReply& reply) {
        for (const RedisReply& entry : reply.elements) {
            const auto fields = toHash(entry);
            RedisNodeState node;
            node.address = addressOf(fields);
            node.sentinelFlags = QString::fromUtf8(fields.value("flags")).split(QLatin1Char(','));
            node.priority = fields.value("slave-priority", "-1").toInt();
            node.linkStatus = fields.value("master-link-status") == "ok" ? QStringLiteral("up")
                                                                         : QStringLiteral("down");
            m_topology.replicas.append(node);
        }
    });
    ask(sentinel, {"SENTINEL", "SENTINELS", name}, [this](const RedisReply& reply) {
        for (const RedisReply& entry : reply.elements) {
            const QString address = addressOf(toHash(entry));
            bool known = false;
            for (const SentinelState& s : std::as_const(m_topology.sentinels))
                known = known || s.address == address;
            if (!known)
                m_topology.sentinels.append({address, false, {}, false, {}});
        }
    });
    ask(sentinel, {"SENTINEL", "CKQUORUM", name}, [this](const RedisReply& reply) {
        m_topology.quorumOk = !reply.isError();
        m_topology.quorumText = QString::fromUtf8(reply.text);
    });
    whenDone([this] { readServers(); });
}

void TopologyDiscovery::readServers()
{
    for (SentinelState& sentinel : m_topology.sentinels) {
        if (sentinel.reachable)
            continue;
        SentinelState* target = &sentinel; // the list does not change from here on
        ask(sentinel.address, {"PING"}, [target](const RedisReply& reply) {
            target->reachable = !reply.isError();
            target->error = reply.errorText();
        });
    }
    // Each sentinel's own verdict: one that cannot reach the others says so here.
    for (SentinelState& sentinel : m_topology.sentinels) {
        SentinelState* target = &sentinel;
        ask(sentinel.address, {"SENTINEL", "CKQUORUM", m_topology.masterName.toUtf8()},
            [target](const RedisReply& reply) {
                target->quorumOk = !reply.isError();
                target->quorumText = QString::fromUtf8(reply.text);
            });
    }
    readNode(m_topology.master);
    ask(m_topology.master.address, {"CONFIG", "GET", "min-replicas-to-write"},
        [this](const RedisReply& reply) {
            const auto pairs = reply.pairs();
            if (!pairs.isEmpty())
                m_topology.minReplicasToWrite = pairs.first().second.toInt();
        });
    for (RedisNodeState& replica : m_topology.replicas)
        readNode(replica);
    whenDone([this] {
        computeLag();
        finish();
    });
}

// Lag as the master sees it, where its INFO did not list the replica: its
// offset minus what the replica reports.
void TopologyDiscovery::computeLag()
{
    for (RedisNodeState& replica : m_topology.replicas) {
        if (m_topology.master.offset >= 0 && replica.offset >= 0 && replica.lagBytes < 0)
            replica.lagBytes = qMax<qint64>(0, m_topology.master.offset - replica.offset);
    }
}

// INFO of one server into its state; on a master also the lag of each
// replica it lists (matched by address). The default sections, not just
// replication: the dock shows memory and clients, and INFO with several
// section names is Redis 7 only.
void TopologyDiscovery::readNode(RedisNodeState& node)
{
    RedisNodeState* target = &node; // m_topology's lists do not change while pending
    ask(node.address, {"INFO"}, [this, target](const RedisReply& reply) {
        if (reply.isError() || reply.type != RedisReply::Type::String) {
            target->reachable = false;
            target->error =
                reply.isError() ? reply.errorText() : QStringLiteral("INFO gave no text");
            return;
        }
        const RedisInfo info = RedisInfo::parse(reply.text);
        target->reachable = true;
        target->role = info.role;
        target->usedMemoryBytes = info.usedMemoryBytes.value_or(-1);
        target->connectedClients = info.connectedClients.value_or(-1);
        if (info.isMaster()) {
            target->offset = info.masterReplOffset.value_or(-1);
            for (const RedisReplicaLink& link : info.replicas) {
                const QString address = QStringLiteral("%1:%2").arg(link.ip).arg(link.port);
                for (RedisNodeState& replica : m_topology.replicas) {
                    if (replica.address == address) {
                        replica.lagBytes = link.lagBytes;
                        replica.lagSeconds = link.lagSeconds;
                    }
                }
            }
        } else {
            target->offset = info.replicaOffset.value_or(-1);
            target->linkStatus = info.masterLinkStatus;
            target->followsMaster =
                QStringLiteral("%1:%2").arg(info.masterHost).arg(info.masterPort);
            bool ok = false;
            const int priority = info.fields.value(QStringLiteral("slave_priority")).toInt(&ok);
            if (ok)
                target->priority = priority;
        }
    });
}

void TopologyDiscovery::discoverCluster(const RedisAddress& seed, const QString& focusReplica)
{
    if (m_running)
        return;
    m_running = true;
    m_topology = {};
    m_topology.kind = RedisTopology::Kind::Cluster;
    ask(seed.hostPort(), {"CLUSTER", "NODES"}, [this, seed](const RedisReply& reply) {
        if (reply.isError() || reply.type != RedisReply::Type::String) {
            m_topology.problems << QStringLiteral("CLUSTER NODES at %1: %2")
                                       .arg(seed.hostPort(), reply.isError()
                                                                 ? reply.errorText()
                                                                 : QStringLiteral("no text"));
            return;
        }
        m_topology.cluster = ClusterNodes::parse(reply.text);
        m_topology.problems << m_topology.cluster.problems;
    });
    whenDone([this, focusReplica] { readClusterNodes(focusReplica); });
}

void TopologyDiscovery::readClusterNodes(const QString& focusReplica)
{
    const ClusterNodes& cluster = m_topology.cluster;
    if (cluster.nodes.isEmpty()) {
        finish();
        return;
    }
    // The shard to describe: the focus replica's, else the first master with a replica.
    QString masterId;
    for (const ClusterNode& node : cluster.nodes) {
        if (node.isReplica() && node.address() == focusReplica)
            masterId = node.masterId;
    }
    for (const ClusterNode& node : cluster.nodes) {
        if (masterId.isEmpty() && node.isMaster() && !cluster.replicasOf(node.id).isEmpty())
            masterId = node.id;
    }
    for (const ClusterNode& node : cluster.nodes) {
        RedisNodeState state;
        state.address = node.address();
        state.sentinelFlags = node.flags; // the cluster's view, shown the same way
        m_topology.clusterNodeStates.append(state);
        if (node.id == masterId)
            m_topology.master = state;
        else if (node.isReplica() && node.masterId == masterId)
            m_topology.replicas.append(state);
    }
    readNode(m_topology.master);
    for (RedisNodeState& replica : m_topology.replicas)
        readNode(replica);
    for (RedisNodeState& state : m_topology.clusterNodeStates) {
        RedisNodeState* target = &state;
        ask(state.address, {"ROLE"}, [target](const RedisReply& reply) {
            target->reachable = !reply.isError();
            target->error = reply.errorText();
            if (!reply.elements.isEmpty())
                target->role = QString::fromUtf8(reply.elements.first().text);
        });
    }
    whenDone([this] {
        computeLag();
        finish();
    });
}

void TopologyDiscovery::discoverDirect(const RedisAddress& address)
{
    if (m_running)
        return;
    m_running = true;
    m_topology = {};
    m_topology.kind = RedisTopology::Kind::Direct;
    readDirect(address, false);
}

// The server's INFO replication: a master lists its replicas; a replica
// names the master it follows, which is then read the same way (once).
void TopologyDiscovery::readDirect(const RedisAddress& address, bool followed)
{
    const QString where = address.hostPort();
    ask(where, {"INFO", "replication"}, [this, where, followed](const RedisReply& reply) {
        if (reply.isError() || reply.type != RedisReply::Type::String) {
            m_topology.master.address = where;
            m_topology.master.error =
                reply.isError() ? reply.errorText() : QStringLiteral("INFO gave no text");
            m_topology.problems << QStringLiteral("%1: %2").arg(where, m_topology.master.error);
            whenDone([this] { finish(); });
            return;
        }
        const RedisInfo info = RedisInfo::parse(reply.text);
        if (!info.isMaster() && !followed && !info.masterHost.isEmpty()) {
            RedisAddress master;
            master.host = info.masterHost;
            master.port = info.masterPort;
            whenDone([this, master] { readDirect(master, true); });
            return;
        }
        m_topology.master.address = where;
        for (const RedisReplicaLink& link : info.replicas) {
            RedisNodeState replica;
            replica.address = QStringLiteral("%1:%2").arg(link.ip).arg(link.port);
            m_topology.replicas.append(replica);
        }
        whenDone([this] {
            readNode(m_topology.master);
            for (RedisNodeState& replica : m_topology.replicas)
                readNode(replica);
            whenDone([this] {
                computeLag();
                finish();
            });
        });
    });
}

void TopologyDiscovery::finish()
{
    m_running = false;
    // Connections are per discovery: the next one may see a different topology.
    for (RedisAsyncClient* client : std::as_const(m_clients))
        client->deleteLater();
    m_clients.clear();
    emit finished(m_topology);
}

} // namespace querydeck
