#include "backend/redisops/RedisTopologyMonitor.h"

#include "backend/redis/RedisAsyncClient.h"
#include "backend/redis/RedisAuthError.h"
#include "backend/redisops/TopologyDiscovery.h"
#include "backend/secrets/CachedSecret.h"

#include <QDateTime>

namespace querydeck {

namespace {

// "cannot connect to h:p: refused" -> "cannot connect: refused" when the
// sentence already starts with the address.
QString withoutAddress(QString error, const QString& address)
{
    return error.replace(QStringLiteral(" to %1").arg(address), QString());
}

} // namespace

RedisTopologyMonitor::RedisTopologyMonitor(Target target, std::shared_ptr<CachedSecret> password,
                                           QObject* parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_password(std::move(password))
    , m_timer(this)
    , m_discovery(new TopologyDiscovery(this))
{
    qRegisterMetaType<RedisTopologyStatus>();
    m_timer.setInterval(5000);
    connect(&m_timer, &QTimer::timeout, this, &RedisTopologyMonitor::refreshNow);
    connect(m_discovery, &TopologyDiscovery::finished, this, &RedisTopologyMonitor::discovered);
}

RedisTopologyMonitor::~RedisTopologyMonitor() = default;

QString RedisTopologyMonitor::describeTarget() const
{
    if (m_target.sentinels.isEmpty())
        return m_target.address.hostPort();
    QStringList sentinels;
    for (const RedisAddress& s : m_target.sentinels)
        sentinels << s.hostPort();
    return QStringLiteral("%1 via sentinels %2")
        .arg(m_target.masterName, sentinels.join(QStringLiteral(", ")));
}

void RedisTopologyMonitor::start()
{
    m_timer.start();
    refreshNow();
}

void RedisTopologyMonitor::stop()
{
    m_timer.stop();
}

QString RedisTopologyMonitor::explain(const QString& error) const
{
    return RedisAuthError::explain(error, m_passwordField,
                                   m_password ? m_password->describe() : QString());
}

void RedisTopologyMonitor::refreshNow()
{
    if (m_busy)
        return;
    m_busy = true;
    m_status = {};
    m_status.target = describeTarget();
    const SecretResult password = m_password ? m_password->read() : SecretResult{};
    if (!password.ok()) {
        m_status.error = QStringLiteral("%1: %2").arg(m_passwordField, password.error);
        publish();
        return;
    }
    m_discovery->setPassword(password.value);
    const SecretResult sentinelPassword =
        m_sentinelPassword ? m_sentinelPassword->read() : SecretResult{};
    m_discovery->setSentinelPassword(sentinelPassword.value); // a failed read: sentinels say NOAUTH
    m_discovery->setTimeoutMs(m_timeoutMs);
    if (!m_target.sentinels.isEmpty())
        m_discovery->discoverSentinel(m_target.sentinels, m_target.masterName);
    else
        m_discovery->discoverDirect(m_target.address);
}

void RedisTopologyMonitor::discovered(const RedisTopology& topology)
{
    m_status.topology = topology;
    const RedisNodeState& master = topology.master;
    if (master.address.isEmpty()) {
        m_status.error =
            QStringLiteral("no master found for %1: %2")
                .arg(m_status.target, topology.problems.isEmpty()
                                          ? QStringLiteral("no sentinel answered")
                                          : topology.problems.join(QStringLiteral("; ")));
    } else if (!master.reachable) {
        m_status.error =
            RedisAuthError::isAuthError(master.error)
                ? QStringLiteral("Redis %1: %2").arg(master.address, explain(master.error))
                : QStringLiteral("Redis %1 unreachable: %2")
                      .arg(master.address, withoutAddress(master.error, master.address));
    }
    bool authRefused = RedisAuthError::isAuthError(master.error);
    for (const RedisNodeState& replica : topology.replicas)
        authRefused = authRefused || RedisAuthError::isAuthError(replica.error);
    if (authRefused && m_password)
        m_password->forget(); // the keychain entry may be fixed by the next refresh
    if (master.reachable)
        checkSettings();
    else
        publish();
}

void RedisTopologyMonitor::checkSettings()
{
    QString problem;
    const RedisAddress master = RedisAddress::parse(m_status.topology.master.address, &problem);
    m_status.settingsServer = master.hostPort();
    auto* client = new RedisAsyncClient(master.host, master.port, this);
    client->setTimeouts(m_timeoutMs, m_timeoutMs);
    client->setPassword(m_password ? m_password->read().value : QString());
    client->command(RedisSettingsCheck::configGetCommand(),
                    [this, client](const RedisReply& reply) {
                        QString error;
                        m_status.settings = RedisSettingsCheck::compare(reply, &error);
                        if (!error.isEmpty())
                            m_status.settingsError = explain(error);
                        client->deleteLater();
                        publish();
                    });
}

void RedisTopologyMonitor::publish()
{
    m_status.refreshedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_busy = false;
    emit refreshed(m_status);
}

} // namespace querydeck
