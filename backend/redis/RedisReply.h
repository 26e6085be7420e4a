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

    static RedisReply error(const QString& message)
    {
        RedisReply r;
        r.type = Type::Error;
        r.text = message.toUtf8();
        return r;
    }

    // Nesting our conversion accepts. hiredis 0.14 itself refuses multi-bulk
    // replies deeper than 7; newer hiredis grows its stack without a limit, so
    // the copy below is bounded on its own rather than trusting the library.
    static constexpr int kMaxDepth = 16;
    // Copies a hiredis `redisReply*` (passed as void* so hiredis types stay out
    // of headers). A reply nested deeper than kMaxDepth becomes Failed, naming
    // the limit; a null reply is Failed too. Used by both connection classes.
    static RedisReply fromHiredis(const void* reply);
    // Elements one array reply may declare. hiredis 0.14 allocates the
    // declared count before any element arrives, so "*1111111112" from a broken
    // or hostile server asked for 8.9 GB; a million covers any reply we ask for
    // (SCAN and XRANGE pages, CLUSTER SLOTS) with room to spare.
    static constexpr int kMaxElements = 1 << 20;
    // Makes a hiredis reader (a redisReader*, as void*) refuse longer arrays
    // before allocating them. Every reader the connections and parse() use is
    // limited this way.
    static void limitReader(void* reader);
    // hiredis's error text for a failed read, or the limit's name when the
    // last refusal on this thread was an array over kMaxElements.
    static QByteArray readerError(const char* hiredisError);
    // Reads RESP bytes with the hiredis reader the connections use: every
    // complete reply in order. Stops at the first protocol error, setting
    // *error (naming what hiredis refused). An entry point for tests and fuzzers.
    static QList<RedisReply> parse(QByteArrayView bytes, QString* error);
};

} // namespace querydeck
