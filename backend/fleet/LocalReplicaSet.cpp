#include "backend/fleet/LocalReplicaSet.h"

#include "backend/fleet/LocalReplica.h"
#include "backend/fleet/NginxFrontDoor.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTimer>

namespace querydeck {

namespace {

bool counts(const LocalReplica* replica)
{
    // Replicas on their way out no longer count toward the desired number;
    // one draining for a restart does.
    return replica->restartAfterStop() || (replica->state() != ReplicaState::Draining &&
                                           replica->state() != ReplicaState::Stopped);
}

} // namespace

LocalReplicaSet::LocalReplicaSet(const LocalFleetOptions& options, QObject* parent)
    : ReplicaSet(parent)
    , m_options(options)
    , m_network(new QNetworkAccessManager(this))
    , m_metricsTimer(new QTimer(this))
{
    QDir().mkpath(m_options.runtimeDir);
    m_useNginx = !NginxFrontDoor::findBinary(m_options.nginxBinary).isEmpty();
    if (m_useNginx) {
        m_frontDoor = new NginxFrontDoor(m_options, m_network, this);
        connect(m_frontDoor, &NginxFrontDoor::event, this, &ReplicaSet::event);
        connect(m_frontDoor, &NginxFrontDoor::applied, this, [this](const QStringList& servers) {
            if (!m_frontDoorUp) {
                m_frontDoorUp = true;
                emit event(QStringLiteral("nginx front door on %1").arg(frontAddress()));
                reconcile();
            }
            for (LocalReplica* replica : std::as_const(m_replicas)) {
                if (replica->state() == ReplicaState::Draining &&
                    !servers.contains(replica->address()))
                    replica->stopWhenIdle();
            }
            checkScaleDone();
        });
        connect(m_frontDoor, &NginxFrontDoor::failed, this, [this](const QString& error) {
            // m_requestedRotation stays: the same list is not retried in a
            // loop; the next change of the list tries again.
            if (!m_frontDoorUp || !m_frontDoor->isRunning()) {
                m_frontDoorUp = false;
                if (m_scaling) {
                    m_desired = m_previousDesired;
                    failScale(error);
                }
            } else if (m_scaling) {
                failScale(error);
            }
            // Replicas waiting to leave the upstream drain anyway: nginx retries
            // their 503 answers on the other replicas.
            for (LocalReplica* replica : std::as_const(m_replicas)) {
                if (replica->state() == ReplicaState::Draining)
                    replica->stopWhenIdle();
            }
            if (m_shuttingDown)
                continueShutdown();
        });
        connect(m_frontDoor, &NginxFrontDoor::stopped, this, [this] {
            m_frontDoorUp = false;
            if (m_shuttingDown)
                emit shutdownFinished();
        });
    }
    QRandomGenerator* random = QRandomGenerator::system();
    for (int i = 0; i < 4; ++i)
        m_adminToken += QByteArray::number(random->generate64(), 16);
    m_metricsTimer->setInterval(1000);
    connect(m_metricsTimer, &QTimer::timeout, this, [this] {
        for (LocalReplica* replica : std::as_const(m_replicas)) {
            if (replica->state() == ReplicaState::Ready)
                replica->pollMetrics();
        }
    });
    m_metricsTimer->start();
}

LocalReplicaSet::~LocalReplicaSet()
{
    qDeleteAll(m_replicas); // kills what still runs
    m_replicas.clear();
    delete m_frontDoor; // then nginx
    m_frontDoor = nullptr;
}

QList<ReplicaInfo> LocalReplicaSet::replicas() const
{
    QList<ReplicaInfo> list;
    for (const LocalReplica* replica : m_replicas)
        list.append(replica->info());
    return list;
}

QString LocalReplicaSet::frontAddress() const
{
    return QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.frontPort);
}

QString LocalReplicaSet::logPath(const QString& id) const
{
    const LocalReplica* replica = find(id);
    return replica ? replica->logPath() : QString();
}

QStringList LocalReplicaSet::serversInRotation() const
{
    return m_frontDoor ? m_frontDoor->servers() : QStringList();
}

LocalReplica* LocalReplicaSet::find(const QString& id) const
{
    bool ok = false;
    const int number = id.toInt(&ok);
    return ok ? m_replicas.value(number) : nullptr;
}

QString LocalReplicaSet::checkPortsFree(int count) const
{
    QList<int> ids;
    for (int id = 1; ids.size() < count; ++id) {
        if (!m_replicas.contains(id))
            ids.append(id);
    }
    QStringList taken;
    const QHostAddress host(m_options.host);
    for (int id : ids) {
        const int port = m_useNginx ? m_options.replicaPort(id) : m_options.frontPort;
        if (port > 65535) {
            taken
                << QStringLiteral("replica %1 would need port %2, beyond 65535").arg(id).arg(port);
            continue;
        }
        QTcpServer probe;
        if (!probe.listen(host, quint16(port)))
            taken << QStringLiteral("port %1 for replica %2 is in use (%3)")
                         .arg(port)
                         .arg(id)
                         .arg(probe.errorString());
    }
    return taken.join(QStringLiteral("; "));
}

void LocalReplicaSet::scale(int count)
{
    if (m_shuttingDown) {
        emit scaleFinished(false, QStringLiteral("the replica set is shutting down"));
        return;
    }
    if (count < 0 || count > m_options.maxReplicas) {
        emit scaleFinished(false, QStringLiteral("replica count %1 is outside 0..%2")
                                      .arg(count)
                                      .arg(m_options.maxReplicas));
        return;
    }
    if (!m_useNginx && count > 1) {
        const QString error =
            QStringLiteral("nginx not found (\"%1\"): without a front door only one replica runs, "
                           "directly on port %2; install nginx to run more")
                .arg(m_options.nginxBinary)
                .arg(m_options.frontPort);
        emit event(error);
        emit scaleFinished(false, error);
        return;
    }
    const int active = activeCount();
    if (count > active) {
        if (const QString error = checkPortsFree(count - active); !error.isEmpty()) {
            emit event(QStringLiteral("cannot scale to %1: %2").arg(count).arg(error));
            emit scaleFinished(false, error);
            return;
        }
    }
    if (!m_useNginx && m_replicas.isEmpty())
        emit event(QStringLiteral("nginx not found (\"%1\"): running one replica directly on "
                                  "port %2, without a front door")
                       .arg(m_options.nginxBinary)
                       .arg(m_options.frontPort));
    emit event(QStringLiteral("scaling from %1 to %2 replica(s)").arg(active).arg(count));
    m_previousDesired = m_desired;
    m_desired = count;
    m_scaling = true;

    // Scale down: replicas not yet serving go first, then the highest ids.
    QList<LocalReplica*> victims;
    for (LocalReplica* replica : std::as_const(m_replicas)) {
        if (counts(replica))
            victims.append(replica);
    }
    std::stable_sort(victims.begin(), victims.end(), [](LocalReplica* a, LocalReplica* b) {
        const bool aReady = a->state() == ReplicaState::Ready;
        const bool bReady = b->state() == ReplicaState::Ready;
        return aReady != bReady ? !aReady : a->id() > b->id();
    });
    for (int i = 0; i < active - count; ++i)
        startDrain(victims.at(i));

    if (m_useNginx && !m_frontDoorUp && count > 0)
        m_frontDoor->apply({}); // the front door first; replicas start once it is up
    reconcile();
    checkScaleDone();
}

void LocalReplicaSet::restart(const QString& id)
{
    LocalReplica* replica = find(id);
    if (!replica || m_shuttingDown) {
        emit event(QStringLiteral("restart: no replica \"%1\"").arg(id));
        return;
    }
    if (!replica->isRunning()) {
        replica->start();
        return;
    }
    emit event(QStringLiteral("replica %1 restarting").arg(id));
    replica->setRestartAfterStop(true);
    startDrain(replica);
}

void LocalReplicaSet::drain(const QString& id)
{
    LocalReplica* replica = find(id);
    if (!replica || !counts(replica)) {
        emit event(QStringLiteral("drain: no running replica \"%1\"").arg(id));
        return;
    }
    m_desired = std::max(0, m_desired - 1);
    startDrain(replica);
}

void LocalReplicaSet::shutdown()
{
    if (m_shuttingDown)
        return;
    emit event(QStringLiteral("shutting down: draining %1 replica(s)").arg(m_replicas.size()));
    m_shuttingDown = true;
    m_scaling = false;
    m_desired = 0;
    for (LocalReplica* replica : std::as_const(m_replicas)) {
        if (counts(replica))
            startDrain(replica);
    }
    continueShutdown();
}

void LocalReplicaSet::continueShutdown()
{
    if (!m_replicas.isEmpty())
        return;
    if (m_frontDoor && m_frontDoor->isRunning())
        m_frontDoor->stop(); // emits stopped → shutdownFinished
    else
        QTimer::singleShot(0, this, &LocalReplicaSet::shutdownFinished);
}

LocalReplica* LocalReplicaSet::createReplica(int id)
{
    const int port = m_useNginx ? m_options.replicaPort(id) : m_options.frontPort;
    LocalFleetOptions options = m_options;
    // Behind nginx every request arrives from nginx's address, and nginx
    // reports the client in X-Forwarded-For: the replicas trust exactly that
    // address, so their rate limit keys on the client. Without nginx, none.
    if (m_useNginx)
        options.extraArguments << QStringLiteral("--trusted-proxy") << m_options.frontDoorSource();
    auto* replica = new LocalReplica(id, port, options, m_adminToken, m_network, this);
    m_replicas.insert(id, replica);
    connect(replica, &LocalReplica::event, this, &ReplicaSet::event);
    connect(replica, &LocalReplica::output, this,
            [this, id](const QString& line) { emit replicaOutput(QString::number(id), line); });
    connect(replica, &LocalReplica::stateChanged, this, [this] {
        emit replicasChanged();
        reconcile();
        checkScaleDone();
    });
    connect(replica, &LocalReplica::stopped, this, [this, replica] { onReplicaStopped(replica); });
    connect(replica, &LocalReplica::gaveUp, this, [this](const QString& reason) {
        if (m_scaling)
            failScale(reason);
    });
    return replica;
}

void LocalReplicaSet::startDrain(LocalReplica* replica)
{
    replica->beginDrain();
    if (!m_useNginx || !m_frontDoorUp || !m_frontDoor->servers().contains(replica->address()))
        replica->stopWhenIdle(); // not in the upstream: nothing to take it out of
    // Otherwise it stops once a reload without it is live (see the applied handler).
    reconcile();
}

void LocalReplicaSet::onReplicaStopped(LocalReplica* replica)
{
    if (replica->restartAfterStop() && !m_shuttingDown) {
        replica->start();
        return;
    }
    m_replicas.remove(replica->id());
    replica->deleteLater();
    emit replicasChanged();
    reconcile();
    checkScaleDone();
    if (m_shuttingDown)
        continueShutdown();
}

int LocalReplicaSet::activeCount() const
{
    int active = 0;
    for (const LocalReplica* replica : m_replicas)
        active += counts(replica) ? 1 : 0;
    return active;
}

void LocalReplicaSet::reconcile()
{
    // Starting a replica changes its state, which calls back in here.
    if (m_reconciling)
        return;
    m_reconciling = true;
    // Start what is missing, once the front door (if any) is up.
    if (!m_shuttingDown && (!m_useNginx || m_frontDoorUp)) {
        for (int id = 1; activeCount() < m_desired; ++id) {
            if (m_replicas.contains(id))
                continue;
            createReplica(id)->start();
            emit replicasChanged();
        }
    }
    m_reconciling = false;
    if (!m_useNginx || !m_frontDoorUp)
        return;
    QStringList rotation;
    for (const LocalReplica* replica : std::as_const(m_replicas)) {
        if (replica->state() == ReplicaState::Ready)
            rotation.append(replica->address());
    }
    if (rotation != m_requestedRotation) {
        m_requestedRotation = rotation;
        m_frontDoor->apply(rotation);
    }
}

void LocalReplicaSet::checkScaleDone()
{
    if (!m_scaling)
        return;
    int active = 0;
    for (const LocalReplica* replica : std::as_const(m_replicas)) {
        if (!counts(replica))
            return; // a drain is still in progress
        if (replica->state() != ReplicaState::Ready)
            return;
        if (m_useNginx && !m_frontDoor->servers().contains(replica->address()))
            return;
        ++active;
    }
    if (active != m_desired)
        return;
    m_scaling = false;
    emit event(QStringLiteral("%1 replica(s) ready and in rotation").arg(active));
    emit scaleFinished(true, {});
}

void LocalReplicaSet::failScale(const QString& error)
{
    m_scaling = false;
    emit scaleFinished(false, error);
}

} // namespace querydeck
