#pragma once

#include "backend/common/JsonFieldReader.h"
#include "backend/service/ServiceConfig.h"

namespace querydeck {

// Reads the service's sections of the config document (http, auth,
// rate_limit, corpus, embedder, generator, queue, retrieval, cache, logging)
// into a ServiceConfig, one reader per block, with every problem recorded by
// the JsonFieldReader under its dotted path. Sections other loaders own
// (console, fleet, ...) pass without warnings. ConfigLoader handles the file
// and the JSON syntax around it.
//
// Thread rules: stateless; call from any thread.
class ServiceConfigReader
{
public:
    static void read(JsonFieldReader root, ServiceConfig& config);
};

} // namespace querydeck
