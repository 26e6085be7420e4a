#include "backend/redis/SentinelMasterFinder.h"

#include "backend/redis/RedisAsyncClient.h"
#include "backend/redis/RedisAuthError.h"
#include "backend/redis/SentinelClient.h"
#include "backend/secrets/CachedSecret.h"

namespace querydeck {

SentinelMasterFinder::SentinelMasterFinder(QList<RedisAddress> sentinels, QString masterName,
                                           QObject* parent)
    : QObject(parent)
    , m_sentinels(std::move(sentinels))
    , m_masterName(std::move(masterName))
{
    for (int i = 0; i < m_sentinels.size(); ++i)
        m_clients << nullptr;
}

SentinelMasterFinder::~SentinelMasterFinder() = default;

void SentinelMasterFinder::setPasswordSecret(std::shared_ptr<CachedSecret> secret,
                                             const QString& field)
{
    m_secret = std::move(secret);
    m_passwordField = field;
}

QString SentinelMasterFinder::describe() const
{
    QStringList addresses;
    for (const RedisAddress& sentinel : m_sentinels)
        addresses << sentinel.hostPort();
    return QStringLiteral("%1 via sentinels %2")
        .arg(m_masterName, addresses.join(QLatin1Char(',')));
}

RedisAsyncClient* SentinelMasterFinder::client(int index)
{
    if (!m_clients[index]) {
        const RedisAddress& sentinel = m_sentinels.at(index);
        m_clients[index] = new RedisAsyncClient(sentinel.host, sentinel.port, this);
        m_clients[index]->setTimeouts(m_timeoutMs, m_timeoutMs);
        m_clients[index]->setPassword(m_password);
    }
    return m_clients[index];
}

void SentinelMasterFinder::locate(Located done)
{
    if (m_sentinels.isEmpty()) {
        done({}, QStringLiteral("%1: no sentinels configured").arg(describe()));
        return;
    }
    if (m_locating) {
        done({}, QStringLiteral("%1: still asking the sentinels").arg(describe()));
        return;
    }
    if (m_secret && m_secret->isSet() && !m_passwordRead) {
        const SecretResult password = m_secret->read();
        if (!password.ok()) {
            done({}, QStringLiteral("%1: %2").arg(m_passwordField, password.error));
            return;
        }
        m_password = password.value;
        m_passwordRead = true;
    }
    m_locating = true;
    ask(0, {}, std::move(done));
}

void SentinelMasterFinder::ask(int index, QStringList problems, Located done)
{
    if (index >= m_sentinels.size()) {
        m_locating = false;
        done({}, QStringLiteral("no sentinel named the master \"%1\": %2")
                     .arg(m_masterName, problems.join(QStringLiteral("; "))));
        return;
    }
    const QString sentinel = m_sentinels.at(index).hostPort();
    client(index)->command(
        {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", m_masterName.toUtf8()},
        [this, index, sentinel, problems, done](const RedisReply& reply) mutable {
            bool ok = false;
            RedisAddress master;
            if (!reply.isError() && reply.type == RedisReply::Type::Array &&
                reply.elements.size() == 2) {
                master.host = QString::fromUtf8(reply.elements.at(0).text);
                master.port = reply.elements.at(1).text.toInt(&ok);
            }
            if (ok && master.isValid() && master.port <= 65535) {
                m_locating = false;
                m_answered = true;
                done(master, {});
                return;
            }
            QString problem =
                reply.isError() ? reply.errorText() : QStringLiteral("does not know that master");
            if (reply.isError() && RedisAuthError::isAuthError(problem)) {
                // Read the secret again (and reconnect with it) next time.
                if (m_secret)
                    m_secret->forget();
                m_passwordRead = false;
                m_clients[index]->deleteLater();
                m_clients[index] = nullptr;
                problem = RedisAuthError::explain(problem,
                                                  m_passwordField.isEmpty()
                                                      ? QStringLiteral("sentinel_password")
                                                      : m_passwordField,
                                                  m_secret ? m_secret->describe() : QString());
            }
            problems << QStringLiteral("sentinel %1: %2").arg(sentinel, problem);
            ask(index + 1, std::move(problems), std::move(done));
        });
}

void SentinelMasterFinder::watch()
{
    if (m_subscription || m_sentinels.isEmpty() || !m_answered)
        return;
    subscribe(m_watchIndex % m_sentinels.size());
}

void SentinelMasterFinder::subscribe(int index)
{
    const RedisAddress& sentinel = m_sentinels.at(index);
    m_subscription = new RedisAsyncClient(sentinel.host, sentinel.port, this);
    m_subscription->setTimeouts(m_timeoutMs, m_timeoutMs);
    m_subscription->setPassword(m_password);
    RedisAsyncClient* subscription = m_subscription;
    subscription->subscribe("+switch-master", [this, index, subscription](const RedisReply& reply) {
        if (reply.isError()) {
            // Ended (sentinel gone): the next watch() tries the next sentinel.
            if (m_subscription == subscription) {
                m_subscription = nullptr;
                m_watchIndex = index + 1;
                subscription->deleteLater();
            }
            return;
        }
        if (reply.elements.size() != 3 || reply.elements.first().text != "message")
            return;
        if (const auto master =
                SentinelClient::parseSwitch(reply.elements.at(2).text, m_masterName))
            emit masterSwitched(*master);
    });
}

} // namespace querydeck
