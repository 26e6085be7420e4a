#include "backend/sources/RedisInfoSource.h"

#include "backend/redis/RedisAsyncClient.h"
#include "backend/redis/RedisAuthError.h"
#include "backend/redis/RedisInfo.h"
#include "backend/redis/SentinelMasterFinder.h"
#include "backend/redisops/RedisSettingsCheck.h"
#include "backend/secrets/CachedSecret.h"

#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

using Labels = QList<QPair<QString, QString>>;

class SampleWriter
{
public:
    SampleWriter(SourceResult& result, QString instance, qint64 nowMs, QString role = {})
        : m_result(result)
        , m_instance(std::move(instance))
        , m_role(std::move(role))
        , m_nowMs(nowMs)
    {
    }

    // Every series but querydeck_redis_up (which is about reaching the
    // server, whatever its role) carries role="master" or role="replica".
    void add(const char* name, MetricType type, double value, Labels labels = {})
    {
        const QString metric = QLatin1String(name);
        labels.append({QStringLiteral("instance"), m_instance});
        if (!m_role.isEmpty() && metric != QLatin1String("querydeck_redis_up"))
            labels.append({QStringLiteral("role"), m_role});
        m_result.samples.push_back({SeriesKey::make(metric, std::move(labels)), value, m_nowMs});
        m_result.types.insert(metric, type);
    }

    template <typename T>
    void addIf(const char* name, MetricType type, const std::optional<T>& value)
    {
        if (value)
            add(name, type, double(*value));
    }

private:
    SourceResult& m_result;
    QString m_instance;
    QString m_role;
    qint64 m_nowMs;
};

} // namespace

RedisInfoSource::RedisInfoSource(QString host, int port, QObject* parent)
    : MetricSource(parent)
    , m_host(std::move(host))
    , m_port(port)
    , m_instance(QStringLiteral("%1:%2").arg(m_host).arg(m_port))
    , m_clock(systemClock())
{
}

RedisInfoSource::~RedisInfoSource() = default;

QString RedisInfoSource::id() const
{
    return QStringLiteral("redis:") + (m_finder ? m_masterName : m_instance);
}

QString RedisInfoSource::description() const
{
    return QStringLiteral("Redis INFO %1").arg(target());
}

QString RedisInfoSource::target() const
{
    if (!m_finder)
        return m_instance;
    if (m_instance.isEmpty())
        return m_finder->describe();
    return QStringLiteral("%1 (master %2)").arg(m_finder->describe(), m_instance);
}

void RedisInfoSource::followSentinels(const QList<RedisAddress>& sentinels,
                                      const QString& masterName,
                                      std::shared_ptr<CachedSecret> sentinelPassword,
                                      const QString& sentinelPasswordField)
{
    m_masterName = masterName;
    m_host.clear();
    m_port = 0;
    m_instance.clear();
    m_finder = new SentinelMasterFinder(sentinels, masterName, this);
    m_finder->setTimeoutMs(m_timeoutMs);
    m_finder->setPasswordSecret(std::move(sentinelPassword), sentinelPasswordField);
    // Acted on at the next poll, not while an INFO may be on its way.
    connect(m_finder, &SentinelMasterFinder::masterSwitched, this,
            [this] { m_masterSwitched = true; });
}

SourceResult RedisInfoSource::samplesFrom(const RedisInfo& info, const QString& instance,
                                          qint64 nowMs)
{
    SourceResult result;
    result.timestampMs = nowMs;
    const QString role = info.role.isEmpty() ? QString()
                         : info.isMaster()   ? QStringLiteral("master")
                                             : QStringLiteral("replica");
    SampleWriter out(result, instance, nowMs, role);
    out.add("querydeck_redis_up", MetricType::Gauge, 1.0);
    out.addIf("querydeck_redis_used_memory_bytes", MetricType::Gauge, info.usedMemoryBytes);
    out.addIf("querydeck_redis_used_memory_rss_bytes", MetricType::Gauge, info.usedMemoryRssBytes);
    out.addIf("querydeck_redis_max_memory_bytes", MetricType::Gauge, info.maxMemoryBytes);
    out.addIf("querydeck_redis_mem_fragmentation_ratio", MetricType::Gauge,
              info.fragmentationRatio);
    out.addIf("querydeck_redis_keyspace_hits_total", MetricType::Counter, info.keyspaceHits);
    out.addIf("querydeck_redis_keyspace_misses_total", MetricType::Counter, info.keyspaceMisses);
    out.addIf("querydeck_redis_evicted_keys_total", MetricType::Counter, info.evictedKeys);
    out.addIf("querydeck_redis_expired_keys_total", MetricType::Counter, info.expiredKeys);
    out.addIf("querydeck_redis_connected_clients", MetricType::Gauge, info.connectedClients);
    out.addIf("querydeck_redis_replication_offset_bytes", MetricType::Gauge,
              info.isMaster() ? info.masterReplOffset : info.replicaOffset);
    if (!info.role.isEmpty())
        out.add("querydeck_redis_is_master", MetricType::Gauge, info.isMaster() ? 1.0 : 0.0);
    if (!info.isMaster() && !info.masterLinkStatus.isEmpty())
        out.add("querydeck_redis_master_link_up", MetricType::Gauge,
                info.masterLinkStatus == QLatin1String("up") ? 1.0 : 0.0);
    // Always written, so "no keys" reads as 0 and not as "no data".
    out.add("querydeck_redis_keys", MetricType::Gauge, double(info.totalKeys()),
            {{QStringLiteral("db"), QStringLiteral("all")}});
    for (const RedisDbKeys& db : info.databases) {
        const Labels labels{{QStringLiteral("db"), QString::number(db.db)}};
        out.add("querydeck_redis_keys", MetricType::Gauge, double(db.keys), labels);
        out.add("querydeck_redis_expiring_keys", MetricType::Gauge, double(db.expires), labels);
    }
    if (info.isMaster())
        out.add("querydeck_redis_connected_replicas", MetricType::Gauge,
                double(info.replicas.size()));
    for (const RedisReplicaLink& link : info.replicas) {
        const Labels labels{
            {QStringLiteral("replica"), QStringLiteral("%1:%2").arg(link.ip).arg(link.port)}};
        out.add("querydeck_redis_replica_lag_bytes", MetricType::Gauge, double(link.lagBytes),
                labels);
        if (link.lagSeconds >= 0)
            out.add("querydeck_redis_replica_lag_seconds", MetricType::Gauge,
                    double(link.lagSeconds), labels);
    }
    return result;
}

void RedisInfoSource::poll()
{
    if (m_busy) {
        finish({}, QStringLiteral("previous INFO still running"));
        return;
    }
    if (m_finder) {
        if (m_masterSwitched) {
            m_masterSwitched = false;
            dropClient();
        }
        m_finder->watch();
        if (!m_client) {
            locateAndSample(false);
            return;
        }
    }
    sample(false);
}

void RedisInfoSource::locateAndSample(bool again)
{
    m_busy = true;
    m_finder->locate([this, again](const RedisAddress& master, const QString& error) {
        m_busy = false;
        if (!error.isEmpty()) {
            finish({}, error);
            return;
        }
        m_host = master.host;
        m_port = master.port;
        m_instance = master.hostPort();
        sample(again);
    });
}

void RedisInfoSource::dropClient()
{
    if (!m_client)
        return;
    m_client->deleteLater();
    m_client = nullptr;
}

void RedisInfoSource::sample(bool again)
{
    if (!m_client) {
        QString password = m_password;
        if (m_secret && m_secret->isSet()) {
            const SecretResult secret = m_secret->read();
            if (!secret.ok()) {
                finish({}, QStringLiteral("%1: %2").arg(m_passwordField, secret.error));
                return;
            }
            password = secret.value;
        }
        m_client = new RedisAsyncClient(m_host, m_port, this);
        m_client->setTimeouts(m_timeoutMs, m_timeoutMs);
        m_client->setPassword(password);
    }
    m_busy = true;
    m_client->command({QByteArrayLiteral("INFO")}, [this, again](const RedisReply& reply) {
        m_busy = false;
        m_infoAnswered = !reply.isError();
        if (reply.isError()) {
            const QString error = reply.errorText();
            if (RedisAuthError::isAuthError(error)) {
                // A new connection, with the secret read again, on the next poll.
                if (m_secret)
                    m_secret->forget();
                dropClient();
            } else if (m_finder) {
                dropClient(); // the master may have moved: ask the sentinels again
            }
            finish({}, RedisAuthError::explain(error, m_passwordField,
                                               m_secret ? m_secret->describe() : QString()));
            return;
        }
        if (reply.type != RedisReply::Type::String) {
            finish({}, QStringLiteral("INFO did not return text"));
            return;
        }
        const RedisInfo info = RedisInfo::parse(reply.text);
        if (m_finder && !info.role.isEmpty() && !info.isMaster()) {
            // Demoted since the sentinels named it (a failover under way).
            dropClient();
            if (!again) {
                locateAndSample(true);
                return;
            }
            finish({}, QStringLiteral("the sentinels name it master but its INFO says role %1")
                           .arg(info.role));
            return;
        }
        SourceResult result = samplesFrom(info, m_instance, m_clock());
        result.malformedLines = int(info.problems.size());
        finish(std::move(result), info.problems.isEmpty()
                                      ? QString()
                                      : QStringLiteral("INFO: %1").arg(info.problems.first()));
    });
    if (!again && m_polls++ % kSettingsEveryPolls == 0)
        checkSettings();
}

void RedisInfoSource::checkSettings()
{
    if (!m_client)
        return; // dropped after a refused password; the next connection checks
    m_client->command(RedisSettingsCheck::configGetCommand(), [this](const RedisReply& reply) {
        if (!m_infoAnswered)
            return; // the INFO before it on this connection already reported the error
        const QStringList differences = RedisSettingsCheck::differences(reply);
        if (differences != m_lastDifferences) {
            for (const QString& difference : differences)
                spdlog::warn("[redis] {}: {}", m_instance.toStdString(), difference.toStdString());
            m_lastDifferences = differences;
        }
        emit settingsChecked(differences);
    });
}

void RedisInfoSource::finish(SourceResult result, const QString& problem)
{
    result.sourceId = id();
    if (result.timestampMs == 0)
        result.timestampMs = m_clock();
    if (!problem.isEmpty()) {
        result.error = QStringLiteral("redis %1: %2").arg(target(), problem);
        if (result.samples.empty()) {
            SampleWriter(result, m_instance.isEmpty() ? m_masterName : m_instance,
                         result.timestampMs)
                .add("querydeck_redis_up", MetricType::Gauge, 0.0);
        }
    }
    emit finished(result);
}

} // namespace querydeck
