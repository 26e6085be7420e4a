#include "backend/service/PipelineFactory.h"

#include "backend/retrieval/CachingEmbedder.h"
#include "backend/retrieval/ExtractiveGenerator.h"
#include "backend/retrieval/HashingEmbedder.h"
#include "backend/retrieval/LatencyGenerator.h"
#include "backend/retrieval/OllamaEmbedder.h"
#include "backend/retrieval/OllamaGenerator.h"
#include "backend/retrieval/OpenAIGenerator.h"
#include "backend/secrets/SecretStore.h"

#include <spdlog/spdlog.h>

namespace querydeck {

PipelineFactory::Made PipelineFactory::make(const ServiceConfig& config, SecretStore& secrets)
{
    Made made;
    std::shared_ptr<Embedder> embedder;
    if (config.embedder.kind == QLatin1String("ollama")) {
        auto ollama = std::make_shared<OllamaEmbedder>(config.embedder.ollama);
        const QString probeError = ollama->probe();
        if (!probeError.isEmpty()) {
            made.error = QStringLiteral("embedder.ollama: %1").arg(probeError);
            return made;
        }
        embedder = ollama;
    } else {
        embedder = std::make_shared<HashingEmbedder>(config.embedder.dimension);
    }
    made.embedder = std::make_shared<CachingEmbedder>(embedder, config.embedder.cacheEntries);

    std::shared_ptr<Generator> generator;
    const GeneratorConfig& g = config.generator;
    if (g.kind == QLatin1String("ollama")) {
        generator = std::make_shared<OllamaGenerator>(g.ollama);
    } else if (g.kind == QLatin1String("openai")) {
        const SecretResult key = secrets.read(g.openai.apiKey);
        if (!key.ok()) {
            made.error = QStringLiteral("generator.openai.api_key: %1").arg(key.error);
            return made;
        }
        generator = std::make_shared<OpenAIGenerator>(g.openai, key.value);
    } else {
        generator = std::make_shared<ExtractiveGenerator>(g.maxSentences);
    }
    if (g.latency.enabled) {
        spdlog::warn("[service] latency drill on: generation gets {} latency, mean {} ms",
                     g.latency.distribution.toStdString(), g.latency.meanMs);
        generator = std::make_shared<LatencyGenerator>(generator, g.latency);
    }
    made.generator = generator;
    return made;
}

} // namespace querydeck
