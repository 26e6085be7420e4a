#pragma once

#include "backend/service/ApiError.h"
#include "backend/service/QueryRequest.h"
#include "backend/service/ServiceMetrics.h"

#include <QByteArray>
#include <chrono>
#include <memory>
#include <optional>

namespace querydeck {

struct CacheLookup;

class Embedder;
class GenerationQueue;
class Generator;
class Retriever;
class SemanticCache;

// The answer to one query: a complete JSON response body, or an API error.
struct QueryOutcome
{
    QByteArray body;
    std::optional<ApiError> error;
    LookupResult cache = LookupResult::Miss;

    bool ok() const { return !error.has_value(); }
};

// The query path of ARCHITECTURE.md: exact cache → embed → semantic cache →
// retrieve → bounded generation queue → generate → store. Shared by the HTTP
// API and `querydeck query`. Thread-safe: run() is called from every HTTP
// handler thread at once; all parts it holds are thread-safe.
class QueryPipeline
{
public:
    struct Parts
    {
        std::shared_ptr<Embedder> embedder;
        std::shared_ptr<Retriever> retriever;
        std::shared_ptr<Generator> generator;
        std::shared_ptr<SemanticCache> cache;
        std::shared_ptr<GenerationQueue> queue;
        std::shared_ptr<ServiceMetrics> metrics;
        QString replicaId;
        std::chrono::milliseconds timeout{30000}; // queue wait + generation
        int retryAfterSeconds = 2;
    };

    explicit QueryPipeline(Parts parts);

    // `exact`, when given, is lookupExact(request.query) done beforehand: an
    // exact hit is then answered from it without looking again.
    QueryOutcome run(const QueryRequest& request, std::chrono::steady_clock::time_point started,
                     const CacheLookup* exact = nullptr) const;
    // The exact tier alone, for a caller that must not block: it answers
    // (with run(request, started, &lookup)) only on an exact hit, and only
    // when exactLookupNeverBlocks().
    CacheLookup lookupExact(const QueryRequest& request) const;
    bool exactLookupNeverBlocks() const;

    const Parts& parts() const { return m_parts; }

private:
    QByteArray respond(const QByteArray& payload, LookupResult result,
                       std::optional<float> similarity,
                       std::chrono::steady_clock::time_point started) const;

    Parts m_parts;
    QByteArray m_replicaJson; // the replica id as a JSON string literal, escaped once
};

} // namespace querydeck
