#pragma once

#include "backend/retrieval/Chunk.h"

#include <QString>
#include <chrono>

namespace querydeck {

struct GenerationRequest
{
    QString query;
    RetrievedChunks chunks;
    // Time the caller is still willing to wait; generators give up after it.
    std::chrono::milliseconds timeout{30000};
};

struct GenerationResult
{
    QString answer;
    QString error; // empty on success
    QString model; // what produced the answer, e.g. "extractive" or "ollama:llama3"

    bool ok() const { return error.isEmpty(); }
};

// Produces an answer from a question and retrieved chunks. Thread-safe:
// called concurrently from the generation queue's slots.
class Generator
{
public:
    virtual ~Generator() = default;

    virtual QString name() const = 0;
    virtual GenerationResult generate(const GenerationRequest& request) = 0;
};

} // namespace querydeck
