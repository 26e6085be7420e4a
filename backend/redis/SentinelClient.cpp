#include "backend/redis/SentinelClient.h"

#include "backend/common/Backoff.h"

#include <spdlog/spdlog.h>

namespace querydeck {

namespace {
constexpr int kPollMs = 200;
// Between sentinels that cannot be reached, jittered so the console and the
// replicas do not all knock at once.
constexpr Backoff::Options kReconnectBackoff{100, 5000};
} // namespace

SentinelClient::SentinelClient(std::vector<RedisAddress> sentinels, QString masterName,
                               RedisEndpoint sentinel, RedisEndpoint master)
    : m_sentinels(std::move(sentinels))
    , m_masterName(std::move(masterName))
    , m_sentinelEndpoint(std::move(sentinel))
    , m_masterEndpoint(std::move(master))
{
}

SentinelClient::~SentinelClient()
{
    stopWatching();
}

QString SentinelClient::describe() const
{
    QStringList hosts;
    for (const RedisAddress& s : m_sentinels)
        hosts << s.hostPort();
    return QStringLiteral("sentinel master \"%1\" via %2").arg(m_masterName, hosts.join(u','));
}

bool SentinelClient::confirmMaster(const RedisAddress& address, QString* error) const
{
    RedisEndpoint endpoint = m_masterEndpoint;
    endpoint.address.host = address.host;
    endpoint.address.port = address.port;
    endpoint.selectDb = false;
    auto connection = RedisConnection::connect(endpoint, error);
    if (!connection)
        return false;
    const RedisReply role = connection->command({"ROLE"});
    if (role.type == RedisReply::Type::Array && !role.elements.empty() &&
        role.elements.front().text == "master")
        return true;
    if (error)
        *error =
            QStringLiteral("%1 is not a master (ROLE: %2)")
                .arg(address.hostPort(),
                     role.elements.empty() ? role.errorText() : role.elements.front().errorText());
    return false;
}

std::optional<RedisAddress> SentinelClient::locate(QString* error)
{
    QStringList problems;
    for (const RedisAddress& sentinel : m_sentinels) {
        RedisEndpoint endpoint = m_sentinelEndpoint;
        endpoint.address = sentinel;
        endpoint.selectDb = false;
        QString why;
        auto connection = RedisConnection::connect(endpoint, &why);
        if (!connection) {
            problems << why;
            continue;
        }
        const RedisReply reply =
            connection->command({"SENTINEL", "get-master-addr-by-name", m_masterName.toUtf8()});
        if (reply.type != RedisReply::Type::Array || reply.elements.size() != 2) {
            problems
                << QStringLiteral("sentinel %1: %2")
                       .arg(sentinel.hostPort(),
                            reply.isNil()
                                ? QStringLiteral("does not know master \"%1\"").arg(m_masterName)
                                : reply.errorText());
            continue;
        }
        bool ok = false;
        RedisAddress master;
        master.host = QString::fromUtf8(reply.elements[0].text);
        master.port = reply.elements[1].text.toInt(&ok);
        master.db = m_masterEndpoint.address.db;
        if (!ok || master.host.isEmpty()) {
            problems
                << QStringLiteral("sentinel %1: malformed address reply").arg(sentinel.hostPort());
            continue;
        }
        // Cross-check: during a failover a sentinel may still name the old master.
        if (!confirmMaster(master, &why)) {
            problems << QStringLiteral("sentinel %1 named %2: %3")
                            .arg(sentinel.hostPort(), master.hostPort(), why);
            continue;
        }
        return master;
    }
    if (error)
        *error = QStringLiteral("no sentinel could name master \"%1\": %2")
                     .arg(m_masterName, problems.join(QStringLiteral("; ")));
    return std::nullopt;
}

std::optional<RedisAddress> SentinelClient::parseSwitch(const QByteArray& payload,
                                                        const QString& masterName)
{
    const QList<QByteArray> parts = payload.split(' ');
    if (parts.size() != 5 || QString::fromUtf8(parts[0]) != masterName)
        return std::nullopt;
    bool ok = false;
    RedisAddress address;
    address.host = QString::fromUtf8(parts[3]);
    address.port = parts[4].toInt(&ok);
    if (!ok || address.port <= 0 || address.port > 65535 || address.host.isEmpty())
        return std::nullopt;
    return address;
}

void SentinelClient::startWatching(SwitchListener listener)
{
    stopWatching();
    m_listener = std::move(listener);
    m_stop.store(false);
    m_thread = std::thread([this] { watch(); });
}

void SentinelClient::stopWatching()
{
    m_stop.store(true);
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void SentinelClient::watch()
{
    Backoff backoff(kReconnectBackoff);
    std::size_t next = 0;
    while (!m_stop.load()) {
        const RedisAddress sentinel = m_sentinels[next % m_sentinels.size()];
        ++next;
        RedisEndpoint endpoint = m_sentinelEndpoint;
        endpoint.address = sentinel;
        endpoint.selectDb = false;
        QString why;
        auto connection = RedisConnection::connect(endpoint, &why);
        if (connection && connection->send({"SUBSCRIBE", "+switch-master"})) {
            backoff.reset();
            spdlog::debug("[redis] watching +switch-master on sentinel {}",
                          sentinel.hostPort().toStdString());
            while (!m_stop.load()) {
                const auto reply = connection->waitReply(kPollMs);
                if (!reply)
                    continue;
                if (reply->isFailed())
                    break;
                if (reply->type != RedisReply::Type::Array || reply->elements.size() != 3 ||
                    reply->elements[0].text != "message")
                    continue;
                const auto master = parseSwitch(reply->elements[2].text, m_masterName);
                if (!master)
                    continue;
                {
                    std::lock_guard lock(m_mutex);
                    if (m_announced == *master)
                        continue; // another sentinel already told us
                    m_announced = *master;
                }
                const QString text =
                    QStringLiteral("sentinel %1: +switch-master %2")
                        .arg(sentinel.hostPort(), QString::fromUtf8(reply->elements[2].text));
                if (m_listener)
                    m_listener(*master, text);
            }
        }
        if (m_stop.load())
            break;
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(backoff.next()),
                        [this] { return m_stop.load(); });
    }
}

} // namespace querydeck
