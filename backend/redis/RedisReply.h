#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace querydeck {

// A Redis reply copied out of hiredis into Qt types, so that no hiredis type
// appears in a header. Error covers both "-ERR ..." replies and failures of
// the connection (refused, timeout, closed), with the message in text.
struct RedisReply
{
    enum class Type
    {
        Nil,
        Status,
        Error,
        Integer,
        String,
        Array
    };

    Type type = Type::Nil;
    QByteArray text; // String, Status and Error
    qint64 integer = 0;
    QList<RedisReply> elements;

    bool isError() const { return type == Type::Error; }
    QString errorText() const { return isError() ? QString::fromUtf8(text) : QString(); }
    // A flat array of field/value strings (SENTINEL MASTER, CONFIG GET, ...) as pairs.
    QList<QPair<QByteArray, QByteArray>> pairs() const;

    static RedisReply error(const QString& message)
    {
        return RedisReply{Type::Error, message.toUtf8(), 0, {}};
    }
};

} // namespace querydeck
