#pragma once

#include <QByteArray>
#include <QString>
#include <vector>

namespace querydeck {

// One Redis reply as a plain value, so no hiredis type leaves
// RedisConnection.cpp. `Failed` is not a Redis reply: the command never got
// one (connection refused, timeout, protocol error); `text` says why and the
// connection that produced it is broken.
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
    std::vector<RedisReply> elements;

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
};

} // namespace querydeck
