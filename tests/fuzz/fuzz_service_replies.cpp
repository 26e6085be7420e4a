// JSON replies from the services QueryDeck calls: Prometheus (query API),
// Kubernetes (API server), Ollama (embeddings, generate) and OpenAI-compatible
// servers (chat completions). One target with a leading selector byte because
// they are siblings of one format: HTTP JSON bodies that each client reads
// with QJsonDocument and then walks for its own fields, so a corpus entry for
// one is a good mutation start for another.
//   byte 0 % 4: 0 Prometheus, 1 Kubernetes, 2 Ollama, 3 OpenAI
//   byte 1: the HTTP status the body came with (200 most of the time)
#include "FuzzSupport.h"
#include "backend/fleet/KubernetesApi.h"
#include "backend/fleet/KubernetesReplicaSet.h"
#include "backend/retrieval/HttpJsonResponse.h"
#include "backend/retrieval/OllamaEmbedder.h"
#include "backend/retrieval/OllamaGenerator.h"
#include "backend/retrieval/OpenAIGenerator.h"
#include "backend/sources/PrometheusSource.h"

QUERYDECK_FUZZ_QUIET

namespace {

int statusFrom(uint8_t byte)
{
    static const int kStatuses[] = {200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 503};
    return byte < 128 ? 200 : kStatuses[byte % (sizeof kStatuses / sizeof kStatuses[0])];
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace querydeck;
    if (size < 2)
        return 0;
    const int status = statusFrom(data[1]);
    const QByteArray body = fuzz::copy(data + 2, size - 2);
    switch (data[0] % 4) {
    case 0:
        PrometheusSource::parse(body);
        break;
    case 1: {
        const KubeResult result =
            KubernetesApi::readReply(status, body, "GET", QStringLiteral("pods"),
                                     QStringLiteral("GET /api/v1/namespaces/q/pods"));
        KubernetesReplicaSet::parsePods(result.json);
        break;
    }
    case 2: {
        HttpJsonResponse response;
        response.status = status;
        response.raw = body;
        response.readBody(QStringLiteral("http://127.0.0.1:11434/api/embeddings"));
        response.describe();
        std::vector<float> vector;
        OllamaEmbedder::readEmbedding(response.body.object(), &vector);
        QString answer;
        OllamaGenerator::readAnswer(response.body.object(), &answer);
        break;
    }
    default: {
        HttpJsonResponse response;
        response.status = status;
        response.raw = body;
        response.readBody(QStringLiteral("http://127.0.0.1:8000/v1/chat/completions"));
        QString answer;
        OpenAIGenerator::readAnswer(response, &answer);
        break;
    }
    }
    return 0;
}
