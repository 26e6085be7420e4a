// Prometheus text exposition (the /metrics pages the console scrapes).
#include "FuzzSupport.h"
#include "backend/metrics/ExpositionParser.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    querydeck::ExpositionParser::parse(querydeck::fuzz::bytes(data, size), 1'700'000'000'000,
                                       QStringLiteral("127.0.0.1:9090"));
    return 0;
}
