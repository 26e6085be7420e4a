#include "backend/redis/RedisReply.h"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#include <memory>
#include <utility>

namespace querydeck {

namespace {

RedisReply convert(const redisReply* r, int depth)
{
    RedisReply out;
    if (!r)
        return RedisReply::failed("no reply");
    switch (r->type) {
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.text = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.text = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.text = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ARRAY:
        if (depth >= RedisReply::kMaxDepth)
            return RedisReply::failed("reply nested deeper than " +
                                      QByteArray::number(RedisReply::kMaxDepth) + " levels");
        out.type = RedisReply::Type::Array;
        out.elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i) {
            RedisReply element = convert(r->element[i], depth + 1);
            if (element.isFailed())
                return element; // the whole reply is unusable; say why once
            out.elements.push_back(std::move(element));
        }
        break;
    default:
        out.type = RedisReply::Type::Nil;
        break;
    }
    return out;
}

// The declared length of the last array this thread refused; hiredis reports
// the refusal only as "Out of memory", so readerError() tells the two apart.
thread_local long long t_refusedElements = 0;

// hiredis's own reply constructors: its table is static in the library, so
// it is read off a reader once and delegated to.
const redisReplyObjectFunctions* hiredisFunctions()
{
    static const redisReplyObjectFunctions* functions = [] {
        redisReader* reader = redisReaderCreate();
        const redisReplyObjectFunctions* fn = reader ? reader->fn : nullptr;
        redisReaderFree(reader);
        return fn;
    }();
    return functions;
}

void* createCappedArray(const redisReadTask* task, int elements)
{
    if (elements > RedisReply::kMaxElements) {
        t_refusedElements = elements;
        return nullptr; // hiredis stops with an out-of-memory error
    }
    return hiredisFunctions()->createArray(task, elements);
}

redisReplyObjectFunctions* cappedFunctions()
{
    static redisReplyObjectFunctions functions = [] {
        redisReplyObjectFunctions f = *hiredisFunctions();
        f.createArray = &createCappedArray;
        return f;
    }();
    return &functions;
}

struct ReaderDeleter
{
    void operator()(redisReader* reader) const { redisReaderFree(reader); }
};

} // namespace

RedisReply RedisReply::fromHiredis(const void* reply)
{
    return convert(static_cast<const redisReply*>(reply), 0);
}

void RedisReply::limitReader(void* reader)
{
    if (reader && hiredisFunctions())
        static_cast<redisReader*>(reader)->fn = cappedFunctions();
}

QByteArray RedisReply::readerError(const char* hiredisError)
{
    const long long refused = std::exchange(t_refusedElements, 0);
    if (refused > 0)
        return "reply declares " + QByteArray::number(refused) + " elements, more than " +
               QByteArray::number(kMaxElements);
    return QByteArray(hiredisError ? hiredisError : "");
}

QList<RedisReply> RedisReply::parse(QByteArrayView bytes, QString* error)
{
    QList<RedisReply> replies;
    const std::unique_ptr<redisReader, ReaderDeleter> reader(redisReaderCreate());
    if (!reader) {
        *error = QStringLiteral("out of memory");
        return replies;
    }
    limitReader(reader.get());
    if (redisReaderFeed(reader.get(), bytes.data(), size_t(bytes.size())) != REDIS_OK) {
        *error = QString::fromUtf8(reader->errstr);
        return replies;
    }
    for (;;) {
        void* reply = nullptr;
        if (redisReaderGetReply(reader.get(), &reply) != REDIS_OK) {
            *error = QString::fromUtf8(readerError(reader->errstr));
            return replies;
        }
        if (!reply)
            return replies; // the rest, if any, is an incomplete reply
        replies.append(fromHiredis(reply));
        freeReplyObject(reply);
    }
}

QList<QPair<QByteArray, QByteArray>> RedisReply::pairs() const
{
    QList<QPair<QByteArray, QByteArray>> result;
    if (type != Type::Array)
        return result;
    for (qsizetype i = 0; i + 1 < elements.size(); i += 2)
        result.append({elements.at(i).text, elements.at(i + 1).text});
    return result;
}

} // namespace querydeck
