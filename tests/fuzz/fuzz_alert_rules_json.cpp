// The console's alert-rules file (AlertRuleJson), with every rule validated
// and its expression parsed. A set that loads must serialize and load again.
#include "FuzzSupport.h"
#include "backend/alerting/AlertRuleJson.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    namespace json = querydeck::AlertRuleJson;
    const json::LoadResult loaded = json::parse(querydeck::fuzz::bytes(data, size));
    if (loaded.errors.isEmpty() && !loaded.value.empty())
        json::parse(json::serialize(loaded.value));
    return 0;
}
