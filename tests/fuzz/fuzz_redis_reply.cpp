// RESP bytes as a Redis server (or anything on its port) sends them, read by
// hiredis's redisReader and copied into RedisReply as both connections do.
#include "FuzzSupport.h"
#include "backend/redis/RedisReply.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    QString error;
    for (const querydeck::RedisReply& reply :
         querydeck::RedisReply::parse(querydeck::fuzz::bytes(data, size), &error)) {
        reply.pairs();
        reply.isReadOnly();
    }
    return 0;
}
