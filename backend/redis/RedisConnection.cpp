#include "backend/redis/RedisConnection.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/time.h>

namespace querydeck {

struct RedisConnection::Context
{
    explicit Context(redisContext* c)
        : context(c)
    {
    }
    ~Context()
    {
        if (context)
            redisFree(context);
    }
    redisContext* context;
};

namespace {

timeval toTimeval(int ms)
{
    timeval tv;
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return tv;
}

QByteArray contextError(const redisContext* c)
{
    if (!c)
        return "out of memory";
    QByteArray why = RedisReply::readerError(c->errstr);
    if (c->err == REDIS_ERR_IO &&
        (why.contains("Resource temporarily unavailable") || why.contains("timed out")))
        return "timed out waiting for a reply";
    if (c->err == REDIS_ERR_PROTOCOL)
        return "not a Redis server (" + why + ")";
    if (c->err == REDIS_ERR_EOF)
        return "the server closed the connection";
    return why.isEmpty() ? QByteArray("connection error") : why;
}

} // namespace

RedisConnection::RedisConnection(std::unique_ptr<Context> context, RedisAddress address)
    : m_context(std::move(context))
    , m_address(std::move(address))
{
}

RedisConnection::~RedisConnection() = default;

std::unique_ptr<RedisConnection> RedisConnection::connect(const RedisEndpoint& endpoint,
                                                          QString* error)
{
    const QString where = endpoint.address.hostPort();
    auto fail = [&](const QString& why) {
        if (error)
            *error = QStringLiteral("redis %1: %2").arg(where, why);
        return nullptr;
    };
    const QByteArray host = endpoint.address.host.toUtf8();
    redisContext* raw = redisConnectWithTimeout(host.constData(), endpoint.address.port,
                                                toTimeval(endpoint.connectTimeoutMs));
    auto context = std::make_unique<Context>(raw);
    if (!raw || raw->err)
        return fail(QString::fromUtf8(contextError(raw)));
    if (redisSetTimeout(raw, toTimeval(endpoint.commandTimeoutMs)) != REDIS_OK)
        return fail(QStringLiteral("cannot set the command timeout"));
    redisEnableKeepAlive(raw);
    RedisReply::limitReader(raw->reader);

    std::unique_ptr<RedisConnection> connection(
        new RedisConnection(std::move(context), endpoint.address));
    if (!endpoint.password.isEmpty()) {
        const RedisReply auth = connection->command({"AUTH", endpoint.password});
        if (!auth.ok())
            return fail(auth.isFailed()
                            ? auth.errorText()
                            : QStringLiteral("authentication failed (%1); check the password in "
                                             "the keychain")
                                  .arg(auth.errorText().section(QLatin1Char(' '), 0, 0)));
    }
    if (endpoint.selectDb && endpoint.address.db != 0) {
        const RedisReply select =
            connection->command({"SELECT", QByteArray::number(endpoint.address.db)});
        if (!select.ok())
            return fail(QStringLiteral("cannot select database %1: %2")
                            .arg(endpoint.address.db)
                            .arg(select.errorText()));
    }
    const RedisReply pong = connection->command({"PING"});
    if (pong.isFailed())
        return fail(pong.errorText());
    if (pong.isError())
        return fail(
            pong.text.startsWith("NOAUTH")
                ? QStringLiteral("the server needs a password (NOAUTH); set cache.redis.password")
                : pong.errorText());
    if (pong.type != RedisReply::Type::Status || pong.text != "PONG")
        return fail(QStringLiteral("not a Redis server (PING was not answered with PONG)"));
    return connection;
}

RedisReply RedisConnection::readReply()
{
    void* reply = nullptr;
    if (redisGetReply(m_context->context, &reply) != REDIS_OK || !reply) {
        m_broken = true;
        return RedisReply::failed(contextError(m_context->context));
    }
    RedisReply out = RedisReply::fromHiredis(reply);
    freeReplyObject(reply);
    return out;
}

bool RedisConnection::send(const Args& args)
{
    if (m_broken)
        return false;
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (const QByteArray& a : args) {
        argv.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    if (redisAppendCommandArgv(m_context->context, int(argv.size()), argv.data(), lengths.data()) !=
        REDIS_OK) {
        m_broken = true;
        return false;
    }
    return true;
}

RedisReply RedisConnection::command(const Args& args)
{
    if (m_broken)
        return RedisReply::failed("connection already broken");
    if (!send(args))
        return RedisReply::failed(contextError(m_context->context));
    return readReply();
}

std::vector<RedisReply> RedisConnection::pipeline(const std::vector<Args>& commands)
{
    std::vector<RedisReply> replies;
    replies.reserve(commands.size());
    for (const Args& args : commands) {
        if (!send(args))
            break;
    }
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (m_broken) {
            replies.push_back(RedisReply::failed(contextError(m_context->context)));
            continue;
        }
        replies.push_back(readReply());
    }
    return replies;
}

std::optional<RedisReply> RedisConnection::waitReply(int timeoutMs)
{
    if (m_broken)
        return RedisReply::failed("connection already broken");
    redisContext* c = m_context->context;
    // Flush what send() queued, then serve a reply already buffered.
    int done = 0;
    while (!done) {
        if (redisBufferWrite(c, &done) != REDIS_OK) {
            m_broken = true;
            return RedisReply::failed(contextError(c));
        }
    }
    void* reply = nullptr;
    if (redisGetReplyFromReader(c, &reply) != REDIS_OK) {
        m_broken = true;
        return RedisReply::failed(contextError(c));
    }
    if (!reply) {
        pollfd pfd{c->fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, timeoutMs);
        if (ready == 0)
            return std::nullopt;
        if (ready < 0)
            return std::nullopt; // EINTR: the caller loops
        return readReply();
    }
    RedisReply out = RedisReply::fromHiredis(reply);
    freeReplyObject(reply);
    return out;
}

} // namespace querydeck
