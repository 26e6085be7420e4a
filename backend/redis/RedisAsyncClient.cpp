#include "backend/redis/RedisAsyncClient.h"

#include <QDateTime>
#include <QSet>
#include <hiredis/adapters/qt.h>
#include <hiredis/async.h>

namespace querydeck {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

// What one command waits with: its callback and when it was sent.
struct RedisAsyncClient::Pending
{
    RedisAsyncClient* owner = nullptr;
    Callback callback;
    qint64 startedMs = 0;
    bool persistent = false; // a subscription: called per message until the end
};

// The hiredis context and its Qt adapter. The adapter's destructor writes
// into the context it was given, so once hiredis has freed the context
// (always first: our close(), or hiredis itself after an error) the adapter
// is pointed at `parking`, a never-connected context that lives as long as
// the adapter does, before the adapter is deleted.
struct RedisAsyncClient::Connection
{
    redisAsyncContext* context = nullptr;
    RedisQtAdapter* adapter = nullptr;
    QSet<Pending*> pending;
    qint64 openedMs = 0;
    bool connected = false;
    bool closing = false; // inside close(): callbacks must not send on this context

    void retireAdapter()
    {
        if (!adapter)
            return;
        auto* parking = new redisAsyncContext{};
        adapter->setContext(parking);
        QObject::connect(adapter, &QObject::destroyed, [parking] { delete parking; });
        adapter->deleteLater(); // we may be inside one of its slots
        adapter = nullptr;
    }

    static RedisAsyncClient* ownerOf(const redisAsyncContext* context)
    {
        return static_cast<RedisAsyncClient*>(context->data);
    }

    static void onConnect(const redisAsyncContext* context, int status)
    {
        RedisAsyncClient* owner = ownerOf(context);
        if (!owner || !owner->m_connection)
            return;
        if (status == REDIS_OK) {
            owner->m_connection->connected = true;
            return;
        }
        // hiredis frees the context when this returns; its callbacks run with no reply.
        owner->m_closeReason = QStringLiteral("cannot connect to %1: %2")
                                   .arg(owner->address(), QString::fromUtf8(context->errstr));
        owner->m_connection->context = nullptr;
        owner->m_connection->retireAdapter();
        QMetaObject::invokeMethod(
            owner, [owner] { owner->forget(owner->m_closeReason); }, Qt::QueuedConnection);
    }

    static void onDisconnect(const redisAsyncContext* context, int status)
    {
        RedisAsyncClient* owner = ownerOf(context);
        if (!owner || !owner->m_connection)
            return;
        if (status != REDIS_OK && owner->m_closeReason.isEmpty())
            owner->m_closeReason =
                QStringLiteral("connection to %1 lost: %2")
                    .arg(owner->address(),
                         QString::fromUtf8(RedisReply::readerError(context->errstr)));
        owner->m_connection->context = nullptr;
        owner->m_connection->retireAdapter();
        if (!owner->m_destroying)
            QMetaObject::invokeMethod(
                owner, [owner] { owner->forget(owner->m_closeReason); }, Qt::QueuedConnection);
    }

    static void onReply(redisAsyncContext* context, void* reply, void* privdata)
    {
        Q_UNUSED(context);
        auto* pending = static_cast<Pending*>(privdata);
        RedisAsyncClient* owner = pending->owner;
        const bool ending = reply == nullptr;
        if (ending || !pending->persistent)
            owner->m_connection->pending.remove(pending);
        if (!owner->m_destroying) {
            if (reply)
                pending->callback(RedisReply::fromHiredis(reply));
            else
                pending->callback(RedisReply::error(
                    owner->m_closeReason.isEmpty()
                        ? QStringLiteral("connection to %1 closed").arg(owner->address())
                        : owner->m_closeReason));
        }
        if (ending || !pending->persistent)
            delete pending;
    }
};

RedisAsyncClient::RedisAsyncClient(QString host, int port, QObject* parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_port(port)
{
    m_timeoutTimer.setInterval(100);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &RedisAsyncClient::checkTimeouts);
}

RedisAsyncClient::~RedisAsyncClient()
{
    m_destroying = true;
    if (m_connection && m_connection->context)
        redisAsyncFree(m_connection->context); // context first, then the adapter
    if (m_connection)
        m_connection->retireAdapter();
}

void RedisAsyncClient::setTimeouts(int connectMs, int commandMs)
{
    m_connectTimeoutMs = connectMs;
    m_commandTimeoutMs = commandMs;
}

bool RedisAsyncClient::isOpen() const
{
    return m_connection && m_connection->context && m_connection->connected;
}

bool RedisAsyncClient::open()
{
    if (m_connection && m_connection->context)
        return !m_connection->closing;
    m_connection = std::make_unique<Connection>();
    m_closeReason.clear();
    redisAsyncContext* context = redisAsyncConnect(m_host.toUtf8().constData(), m_port);
    if (!context || context->err) {
        m_closeReason = QStringLiteral("cannot connect to %1: %2")
                            .arg(address(), context ? QString::fromUtf8(context->errstr)
                                                    : QStringLiteral("out of memory"));
        if (context)
            redisAsyncFree(context);
        return false;
    }
    context->data = this;
    RedisReply::limitReader(context->c.reader);
    m_connection->context = context;
    m_connection->openedMs = nowMs();
    m_connection->adapter = new RedisQtAdapter(this);
    m_connection->adapter->setContext(context);
    redisAsyncSetConnectCallback(context, &Connection::onConnect);
    redisAsyncSetDisconnectCallback(context, &Connection::onDisconnect);
    m_timeoutTimer.start();
    if (!m_password.isEmpty()) {
        send(
            {QByteArrayLiteral("AUTH"), m_password.toUtf8()},
            [this](const RedisReply& reply) {
                if (reply.isError() && isOpen())
                    close(
                        QStringLiteral("AUTH at %1 refused: %2").arg(address(), reply.errorText()));
            },
            false);
    }
    return true;
}

void RedisAsyncClient::command(const QByteArrayList& args, Callback callback)
{
    if (!open()) {
        callback(RedisReply::error(m_closeReason));
        return;
    }
    send(args, std::move(callback), false);
}

void RedisAsyncClient::subscribe(const QByteArray& channel, Callback onMessage)
{
    if (!open()) {
        onMessage(RedisReply::error(m_closeReason));
        return;
    }
    send({QByteArrayLiteral("SUBSCRIBE"), channel}, std::move(onMessage), true);
}

void RedisAsyncClient::send(const QByteArrayList& args, Callback callback, bool persistent)
{
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const QByteArray& arg : args) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    auto* pending = new Pending{this, std::move(callback), nowMs(), persistent};
    m_connection->pending.insert(pending);
    const int status = redisAsyncCommandArgv(m_connection->context, &Connection::onReply, pending,
                                             int(argv.size()), argv.data(), lengths.data());
    if (status != REDIS_OK) {
        m_connection->pending.remove(pending);
        const Callback failed = std::move(pending->callback);
        delete pending;
        failed(RedisReply::error(
            QStringLiteral("%1: cannot send %2").arg(address(), QString::fromUtf8(args.value(0)))));
    }
}

void RedisAsyncClient::close(const QString& why)
{
    if (!m_connection || !m_connection->context)
        return;
    m_closeReason = QStringLiteral("closed: %1").arg(why);
    redisAsyncContext* context = m_connection->context;
    m_connection->closing = true;
    const bool wasConnected = m_connection->connected;
    redisAsyncFree(context); // runs pending callbacks with the reason, then onDisconnect
    if (!wasConnected) {     // no onDisconnect for a context that never connected
        m_connection->context = nullptr;
        m_connection->retireAdapter();
    }
    forget(m_closeReason);
}

void RedisAsyncClient::forget(const QString& reason)
{
    if (!m_connection || m_connection->context)
        return;
    m_timeoutTimer.stop();
    m_connection.reset();
    emit connectionLost(reason);
}

void RedisAsyncClient::checkTimeouts()
{
    if (!m_connection || !m_connection->context) {
        m_timeoutTimer.stop();
        return;
    }
    const qint64 now = nowMs();
    if (!m_connection->connected && now - m_connection->openedMs > m_connectTimeoutMs) {
        close(QStringLiteral("no connection to %1 after %2 ms")
                  .arg(address())
                  .arg(m_connectTimeoutMs));
        return;
    }
    for (const Pending* pending : std::as_const(m_connection->pending)) {
        if (!pending->persistent && now - pending->startedMs > m_commandTimeoutMs) {
            close(QStringLiteral("timeout after %1 ms waiting for %2")
                      .arg(m_commandTimeoutMs)
                      .arg(address()));
            return;
        }
    }
}

} // namespace querydeck
