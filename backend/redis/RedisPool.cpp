#include "backend/redis/RedisPool.h"

#include <spdlog/spdlog.h>
#include <type_traits>

namespace querydeck {

namespace {
using Clock = std::chrono::steady_clock;

bool needsRediscovery(const RedisReply& reply)
{
    return reply.isFailed() || reply.isReadOnly() ||
           (reply.isError() && reply.text.startsWith("LOADING"));
}

RedisReply failedReply(const QString& why)
{
    return RedisReply::failed(why.toUtf8());
}

std::vector<RedisReply> failedReplies(const QString& why)
{
    return {RedisReply::failed(why.toUtf8())};
}
} // namespace

RedisPool::RedisPool(std::shared_ptr<MasterLocator> locator, RedisPoolOptions options)
    : m_locator(std::move(locator))
    , m_options(std::move(options))
    , m_backoff({m_options.backoffMinMs, m_options.backoffMaxMs, 2.0, m_options.backoffJitter})
{
}

RedisPool::~RedisPool() = default;

QString RedisPool::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

QString RedisPool::currentMaster() const
{
    std::lock_guard lock(m_mutex);
    return m_lastMaster;
}

QString RedisPool::take(Lease& lease, bool mayProbe)
{
    std::optional<RedisAddress> master;
    {
        std::lock_guard lock(m_mutex);
        lease.generation = m_generation;
        if (!m_idle.empty()) {
            lease.connection = std::move(m_idle.back());
            m_idle.pop_back();
            return {};
        }
        if (m_backoff.failures() > 0) {
            // Backing off: one caller probes when the time has come, the rest fail fast.
            if (!mayProbe || m_probing || Clock::now() < m_retryAt)
                return QStringLiteral("redis unavailable: %1").arg(m_lastError);
            m_probing = true;
        }
        master = m_master;
    }
    QString error;
    if (!master) {
        master = m_locator->locate(&error);
        if (master) {
            std::lock_guard lock(m_mutex);
            if (lease.generation == m_generation)
                m_master = master;
        }
    }
    if (master) {
        RedisEndpoint endpoint = m_options.endpoint;
        endpoint.address.host = master->host;
        endpoint.address.port = master->port;
        lease.connection = RedisConnection::connect(endpoint, &error);
    }
    if (!lease.connection) {
        fail(lease.generation, error);
        return error;
    }
    std::lock_guard lock(m_mutex);
    m_probing = false;
    m_lastMaster = master->hostPort();
    return {};
}

void RedisPool::give(Lease lease)
{
    if (!lease.connection || lease.connection->isBroken())
        return;
    std::lock_guard lock(m_mutex);
    if (lease.generation == m_generation && int(m_idle.size()) < m_options.maxIdle)
        m_idle.push_back(std::move(lease.connection));
}

void RedisPool::fail(quint64 generation, const QString& why)
{
    std::vector<std::unique_ptr<RedisConnection>> dropped;
    std::lock_guard lock(m_mutex);
    m_probing = false;
    if (generation == m_generation) {
        ++m_generation;
        m_master.reset();
        dropped.swap(m_idle);
    }
    const bool first = m_backoff.failures() == 0;
    const qint64 waitMs = m_backoff.next();
    m_retryAt = Clock::now() + std::chrono::milliseconds(waitMs);
    if (first || why != m_lastError)
        spdlog::warn("[redis] {} (next attempt in {} ms)", why.toStdString(), waitMs);
    m_lastError = why;
    m_available.store(false, std::memory_order_release);
}

void RedisPool::succeeded()
{
    if (m_available.load(std::memory_order_acquire))
        return;
    std::lock_guard lock(m_mutex);
    if (m_backoff.failures() > 0) {
        spdlog::info("[redis] connected to {} again",
                     m_master ? m_master->hostPort().toStdString() : std::string("redis"));
        m_reconnects.fetch_add(1, std::memory_order_relaxed);
    }
    m_backoff.reset();
    m_available.store(true, std::memory_order_release);
}

void RedisPool::masterChanged(const QString& why)
{
    std::vector<std::unique_ptr<RedisConnection>> dropped;
    std::lock_guard lock(m_mutex);
    ++m_generation;
    m_master.reset();
    dropped.swap(m_idle);
    // A new master is worth trying at once.
    m_retryAt = Clock::now();
    spdlog::info("[redis] master changed: {}", why.toStdString());
}

template <typename Result, typename Call>
Result RedisPool::withRetry(Call call, Result (*failed)(const QString&))
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        Lease lease;
        if (QString error = take(lease, true); !error.isEmpty())
            return failed(error);
        Result result = call(*lease.connection);
        const RedisReply* bad = nullptr;
        if constexpr (std::is_same_v<Result, RedisReply>) {
            if (needsRediscovery(result))
                bad = &result;
        } else {
            for (const RedisReply& r : result)
                if (needsRediscovery(r)) {
                    bad = &r;
                    break;
                }
        }
        if (!bad) {
            give(std::move(lease));
            succeeded();
            return result;
        }
        const QString why = QStringLiteral("redis %1: %2")
                                .arg(lease.connection->address().hostPort(), bad->errorText());
        lease.connection.reset();
        fail(lease.generation, why);
        if (attempt == 1)
            return result;
        // One immediate retry against a freshly located master.
        std::lock_guard lock(m_mutex);
        m_retryAt = Clock::now();
    }
    return failed(QStringLiteral("unreachable"));
}

RedisReply RedisPool::run(const Args& args)
{
    return withRetry<RedisReply>([&](RedisConnection& c) { return c.command(args); }, &failedReply);
}

std::vector<RedisReply> RedisPool::runPipeline(const std::vector<Args>& commands)
{
    return withRetry<std::vector<RedisReply>>(
        [&](RedisConnection& c) { return c.pipeline(commands); }, &failedReplies);
}

std::unique_ptr<RedisConnection> RedisPool::connectDedicated(QString* error)
{
    std::optional<RedisAddress> cached;
    {
        std::lock_guard lock(m_mutex);
        cached = m_master;
    }
    auto connectTo = [&](const RedisAddress& master) {
        RedisEndpoint endpoint = m_options.endpoint;
        endpoint.address.host = master.host;
        endpoint.address.port = master.port;
        return RedisConnection::connect(endpoint, error);
    };
    if (cached) {
        if (auto connection = connectTo(*cached))
            return connection;
    }
    // No master known, or it went away: ask the locator (Sentinel) again.
    const auto master = m_locator->locate(error);
    return master ? connectTo(*master) : nullptr;
}

} // namespace querydeck
