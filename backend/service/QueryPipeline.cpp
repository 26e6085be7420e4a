#include "backend/service/QueryPipeline.h"

#include "backend/cache/SemanticCache.h"
#include "backend/retrieval/Embedder.h"
#include "backend/retrieval/Generator.h"
#include "backend/retrieval/Retriever.h"
#include "backend/service/GenerationQueue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <charconv>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

using SteadyClock = std::chrono::steady_clock;

double secondsSince(SteadyClock::time_point start)
{
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

const char* lookupName(LookupResult result)
{
    switch (result) {
    case LookupResult::Exact:
        return "exact";
    case LookupResult::Semantic:
        return "semantic";
    case LookupResult::Miss:
    case LookupResult::Count:
        break;
    }
    return "miss";
}

// The cached part of a response: the answer and its sources. Stored as JSON
// bytes so that a cache hit is answered by splicing, not re-serialising.
QByteArray answerPayload(const QString& answer, const RetrievedChunks& chunks)
{
    QJsonArray sources;
    for (const RetrievedChunk& c : chunks)
        sources.append(
            QJsonObject{{QStringLiteral("document"), c.chunk.document},
                        {QStringLiteral("chunk"), c.chunk.index},
                        {QStringLiteral("score"), std::round(c.score * 10000.0) / 10000.0}});
    return QJsonDocument(QJsonObject{{QStringLiteral("answer"), answer},
                                     {QStringLiteral("sources"), sources}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

QueryPipeline::QueryPipeline(Parts parts)
    : m_parts(std::move(parts))
{
    m_replicaJson = QJsonDocument(QJsonArray{m_parts.replicaId}).toJson(QJsonDocument::Compact);
    m_replicaJson = m_replicaJson.mid(1, m_replicaJson.size() - 2); // strip [ ]
}

QByteArray QueryPipeline::respond(const QByteArray& payload, LookupResult result,
                                  std::optional<float> similarity,
                                  SteadyClock::time_point started) const
{
    if (m_parts.metrics)
        m_parts.metrics->observeLookup(result);
    // payload is a compact JSON object produced by answerPayload(): drop its
    // closing brace and append the per-response fields.
    QByteArray body;
    body.reserve(payload.size() + 128 + m_replicaJson.size());
    body.append(payload.constData(), payload.size() - 1);
    body.append(",\"cache\":\"").append(lookupName(result)).append("\",\"similarity\":");
    if (similarity)
        body.append(QByteArray::number(std::round(double(*similarity) * 10000.0) / 10000.0));
    else
        body.append("null");
    // std::to_chars: QByteArray::number(double) goes through QLocale and
    // was a tenth of an exact hit's own work.
    char latency[32];
    const auto written = std::to_chars(latency, latency + sizeof latency,
                                       secondsSince(started) * 1000.0, std::chars_format::fixed, 3);
    body.append(",\"latency_ms\":")
        .append(QByteArrayView(latency, written.ptr - latency))
        .append(",\"replica\":")
        .append(m_replicaJson)
        .append('}');
    return body;
}

CacheLookup QueryPipeline::lookupExact(const QueryRequest& request) const
{
    return m_parts.cache->lookupExact(request.query);
}

bool QueryPipeline::exactLookupNeverBlocks() const
{
    return m_parts.cache->exactLookupNeverBlocks();
}

QueryOutcome QueryPipeline::run(const QueryRequest& request, SteadyClock::time_point started,
                                const CacheLookup* lookedUp) const
{
    SemanticCache& cache = *m_parts.cache;
    // A lookup the caller already made is used in place: an entry carries its
    // embedding, and copying it was a measurable part of an exact hit.
    std::optional<CacheLookup> ownLookup;
    const CacheLookup& exact =
        lookedUp ? *lookedUp : ownLookup.emplace(cache.lookupExact(request.query));
    if (exact.tier == CacheTier::Exact)
        return {respond(exact.entry->payload, LookupResult::Exact, std::nullopt, started),
                {},
                LookupResult::Exact};

    const auto embedStart = SteadyClock::now();
    Embedding embedding = m_parts.embedder->embed(request.query);
    if (m_parts.metrics)
        m_parts.metrics->observeEmbedding(secondsSince(embedStart));
    if (!embedding.ok())
        return {{},
                ApiError::upstream(
                    "embedding_failed",
                    QStringLiteral("could not embed the query: %1").arg(embedding.error)),
                LookupResult::Miss};

    const CacheLookup semantic = cache.lookupSemantic(exact, embedding.vector);
    if (semantic.tier == CacheTier::Semantic)
        return {
            respond(semantic.entry->payload, LookupResult::Semantic, semantic.similarity, started),
            {},
            LookupResult::Semantic};

    const auto retrieveStart = SteadyClock::now();
    RetrievedChunks chunks = m_parts.retriever->retrieve(embedding.vector, request.topK);
    if (m_parts.metrics)
        m_parts.metrics->observeRetrieval(secondsSince(retrieveStart));

    const auto deadline = started + m_parts.timeout;
    auto remaining = [&] {
        return std::max(
            std::chrono::milliseconds(1),
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()));
    };
    GenerationQueue::Admission admission = m_parts.queue->enter(remaining());
    if (!admission.ticket) {
        switch (admission.outcome) {
        case GenerationQueue::Outcome::Closed:
            return {{},
                    ApiError::unavailable("draining",
                                          QStringLiteral("the service is shutting down"),
                                          m_parts.retryAfterSeconds),
                    LookupResult::Miss};
        case GenerationQueue::Outcome::TimedOut:
            return {{},
                    ApiError::unavailable("overloaded",
                                          QStringLiteral("timed out waiting for a generation slot"),
                                          m_parts.retryAfterSeconds),
                    LookupResult::Miss};
        case GenerationQueue::Outcome::Full:
        case GenerationQueue::Outcome::Admitted:
            break;
        }
        return {{},
                ApiError::unavailable("overloaded",
                                      QStringLiteral("generation queue is full (%1 waiting)")
                                          .arg(m_parts.queue->capacity()),
                                      m_parts.retryAfterSeconds),
                LookupResult::Miss};
    }

    const auto generateStart = SteadyClock::now();
    GenerationResult generated = m_parts.generator->generate({request.query, chunks, remaining()});
    admission.ticket.reset(); // free the slot before storing and answering
    if (m_parts.metrics)
        m_parts.metrics->observeGeneration(secondsSince(generateStart));
    if (!generated.ok())
        return {{},
                ApiError::upstream(
                    "generation_failed",
                    QStringLiteral("could not generate an answer: %1").arg(generated.error)),
                LookupResult::Miss};

    QByteArray payload = answerPayload(generated.answer, chunks);
    cache.insert(semantic, std::move(embedding.vector), payload);
    return {respond(payload, LookupResult::Miss, std::nullopt, started), {}, LookupResult::Miss};
}

} // namespace querydeck
