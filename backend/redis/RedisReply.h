#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace querydeck {

// One Redis reply as a plain value, so no hiredis type leaves the connection
// classes (RedisConnection, sync; RedisAsyncClient, async). `Failed` is not a
// Redis reply: the command never got one (connection refused, timeout,
// protocol error); `text` says why and the connection that produced it is
// broken. The async client reports such failures as `Error` replies made by
// error(), so its callers check one thing.
struct RedisReply
{
    enum class Type
    {
        Nil,
        Status,
        Error,
        Integer,
        String,
        Array,
        Failed
    };

    Type type = Type::Nil;
    QByteArray text; // Status, Error, String; Failed: the transport error
    long long integer = 0;
    QList<RedisReply> elements;

    bool isNil() const { return type == Type::Nil; }
    bool isError() const { return type == Type::Error; }
    bool isFailed() const { return type == Type::Failed; }
    // The server answered, and not with an error.
    bool ok() const { return type != Type::Error && type != Type::Failed; }
    // The master lost its role (failover): the caller should re-discover it.
    bool isReadOnly() const { return isError() && text.startsWith("READONLY"); }

    static RedisReply failed(const QByteArray& why)
    {
        RedisReply r;
        r.type = Type::Failed;
        r.text = why;
        return r;
    }
    QString errorText() const { return QString::fromUtf8(text); }
    // A flat array of field/value strings (SENTINEL MASTER, CONFIG GET, ...) as pairs.
    QList<QPair<QByteArray, QByteArray>> pairs() const;

    // A copy of the reply hiredis built (a `const redisReply*`, passed as void*
    // so no hiredis type appears in a header); nullptr is Failed "no reply".
    // Both connection classes convert with it.
    static RedisReply fromHiredis(const void* reply);

    // The complete replies in `wire` (RESP bytes), read with hiredis's
    // redisReader as a connection reads a socket: a protocol error ends the
    // list with a Failed reply naming it, an incomplete tail is left unread.
    // For tests and the fuzzer (tests/fuzz/fuzz_redis_reply.cpp).
    static QList<RedisReply> decode(QByteArrayView wire);

    static RedisReply error(const QString& message)
    {
        RedisReply r;
        r.type = Type::Error;
        r.text = message.toUtf8();
        return r;
    }
};

} // namespace querydeck
