#pragma once

#include "backend/service/ServiceConfig.h"

#include <QString>
#include <memory>

namespace querydeck {

class Embedder;
class Generator;
class SecretStore;

// Turns the embedder and generator sections of the config into concrete
// objects, so the service and `querydeck query` build them the same way.
// Called once at start-up on the controlling thread.
class PipelineFactory
{
public:
    struct Made
    {
        std::shared_ptr<Embedder> embedder;
        std::shared_ptr<Generator> generator;
        QString error; // names the config field at fault
    };

    static Made make(const ServiceConfig& config, SecretStore& secrets);
};

} // namespace querydeck
