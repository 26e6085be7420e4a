#pragma once

#include "backend/retrieval/Generator.h"

#include <QString>

namespace querydeck {

// The one place where the instructions and the question-plus-context message
// for LLM generators (Ollama, OpenAI-compatible) are written, so that every
// model is asked the same way. Retrieved chunks are numbered [1], [2]... with
// their document and chunk index, and the model is told to cite them by number.
// Stateless; safe from any thread.
class PromptBuilder
{
public:
    // Chunk text beyond this is cut, so a pathological chunk cannot blow up
    // the prompt (and the model's context window).
    static constexpr qsizetype kMaxChunkChars = 4000;

    static QString systemPrompt();
    static QString userPrompt(const GenerationRequest& request);
};

} // namespace querydeck
