#include "redis/RedisReply.h"

#include <hiredis/hiredis.h>
#include <memory>

namespace querydeck {

QList<QPair<QByteArray, QByteArray>> RedisReply::pairs() const
{
    QList<QPair<QByteArray, QByteArray>> result;
    if (type != Type::Array)
        return result;
    for (qsizetype i = 0; i + 1 < elements.size(); i += 2)
        result.append({elements.at(i).text, elements.at(i + 1).text});
    return result;
}

RedisReply RedisReply::fromHiredis(const void* reply)
{
    const auto* r = static_cast<const redisReply*>(reply);
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
        out.type = RedisReply::Type::Array;
        out.elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.push_back(fromHiredis(r->element[i]));
        break;
    default:
        out.type = RedisReply::Type::Nil;
        break;
    }
    return out;
}

QList<RedisReply> RedisReply::decode(QByteArrayView wire)
{
    QList<RedisReply> replies;
    const std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(redisReaderCreate(),
                                                                          &redisReaderFree);
    if (!reader) {
        replies.append(failed("out of memory"));
        return replies;
    }
    if (redisReaderFeed(reader.get(), wire.data(), size_t(wire.size())) != REDIS_OK) {
        replies.append(failed(QByteArray(reader->errstr)));
        return replies;
    }
    for (;;) {
        void* reply = nullptr;
        if (redisReaderGetReply(reader.get(), &reply) != REDIS_OK) {
            replies.append(failed("protocol error: " + QByteArray(reader->errstr)));
            return replies;
        }
        if (!reply)
            return replies; // nothing more that is complete
        replies.append(fromHiredis(reply));
        freeReplyObject(reply);
    }
}

} // namespace querydeck
