// The service config file: one JSON document read by three loaders, each for
// its own sections (service, console, fleet commands), so each gets the bytes.
#include "FuzzSupport.h"
#include "backend/config/ConfigLoader.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/config/FleetCommandConfig.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input = querydeck::fuzz::bytes(data, size);
    const querydeck::ConfigLoadResult service =
        querydeck::ConfigLoader::loadJson(input, QStringLiteral("fuzz.json"));
    // A config that loads writes back to JSON (the settings dialog saves it).
    if (service.ok())
        querydeck::ConfigLoader::toJson(service.value);
    querydeck::ConsoleConfigLoader::loadJson(input);
    querydeck::FleetCommandConfigLoader::loadJson(input);
    return 0;
}
