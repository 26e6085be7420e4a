// Dashboard files (console.dashboard, View > Dashboard): DashboardLoader,
// which also parses every panel's target expression.
#include "FuzzSupport.h"
#include "backend/dashboards/DashboardLoader.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    querydeck::DashboardLoader::loadJson(querydeck::fuzz::bytes(data, size),
                                         QStringLiteral("fuzz.json"));
    return 0;
}
