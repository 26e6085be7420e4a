// INFO replies (RedisInfo: replication, memory, keyspace sections).
#include "FuzzSupport.h"
#include "backend/redis/RedisInfo.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const querydeck::RedisInfo info =
        querydeck::RedisInfo::parse(querydeck::fuzz::bytes(data, size));
    info.totalKeys();
    return 0;
}
