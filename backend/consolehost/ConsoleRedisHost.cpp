#include "backend/consolehost/ConsoleRedisHost.h"

#include "backend/redis/RedisAddress.h"
#include "backend/redisops/RedisTopologyMonitor.h"
#include "backend/secrets/CachedSecret.h"
#include "backend/sources/RedisInfoSource.h"
#include "backend/telemetry/TelemetryEngine.h"

#include <QThread>
#include <spdlog/spdlog.h>

namespace querydeck {

ConsoleRedisHost::ConsoleRedisHost(const ConsoleConfig& console, const RedisConfig& serviceRedis,
                                   std::shared_ptr<SecretStore> secrets, TelemetryEngine* engine,
                                   QThread* controlThread, QObject* parent)
    : QObject(parent)
    , m_target(ConsoleRedisTarget::resolve(console, serviceRedis))
    , m_console(m_target.console)
    , m_password(std::make_shared<CachedSecret>(secrets, m_console.redisOptions.password))
    , m_sentinelPassword(
          std::make_shared<CachedSecret>(secrets, m_console.redisOptions.sentinelPassword))
{
    if (!m_console.redisConfigured())
        return;
    if (m_target.fromService)
        spdlog::info("[redis] watching the service's Redis (cache.redis): {}",
                     (m_console.redis.isEmpty() ? m_console.redisOptions.masterName + " via " +
                                                      m_console.redisOptions.sentinels
                                                : m_console.redis)
                         .toStdString());
    if (RedisInfoSource* source = m_target.makeInfoSource(m_password, m_sentinelPassword))
        engine->addSource(source, m_console.sampleIntervalMs);
    // Addresses were validated when the config was loaded.
    QString problem;
    RedisTopologyMonitor::Target target;
    if (!m_console.redis.isEmpty())
        target.address = RedisAddress::parse(m_console.redis, &problem);
    if (!m_console.redisOptions.sentinels.isEmpty()) {
        for (const RedisAddress& s :
             RedisAddressParser::parseList(m_console.redisOptions.sentinels, 26379).addresses)
            target.sentinels << s;
        target.masterName = m_console.redisOptions.masterName;
    }
    m_monitor = new RedisTopologyMonitor(target, m_password);
    m_monitor->setIntervalMs(m_console.redisOptions.refreshMs);
    m_monitor->setSentinelPassword(m_sentinelPassword);
    m_monitor->setPasswordField(m_target.passwordField);
    m_monitor->moveToThread(controlThread);
    connect(controlThread, &QThread::finished, m_monitor, &QObject::deleteLater);
}

ConsoleRedisHost::~ConsoleRedisHost() = default;

void ConsoleRedisHost::startMonitor()
{
    if (m_monitor)
        QMetaObject::invokeMethod(m_monitor, &RedisTopologyMonitor::start, Qt::QueuedConnection);
}

void ConsoleRedisHost::readPasswords(PasswordsCallback done)
{
    if (!m_monitor || (!m_password->isSet() && !m_sentinelPassword->isSet())) {
        done({}, {});
        return;
    }
    const std::shared_ptr<CachedSecret> secret = m_password;
    const std::shared_ptr<CachedSecret> sentinelSecret = m_sentinelPassword;
    QMetaObject::invokeMethod(m_monitor, [this, secret, sentinelSecret, done] {
        const SecretResult password = secret->read();
        const SecretResult sentinel = sentinelSecret->read();
        QMetaObject::invokeMethod(
            this, [done, password, sentinel] { done(password, sentinel); }, Qt::QueuedConnection);
    });
}

} // namespace querydeck
