#pragma once

#include "backend/retrieval/Generator.h"

namespace querydeck {

// The default generator: no language model. It quotes the sentences of the
// retrieved chunks that share the most words with the question (weighted by
// the chunk's retrieval score), at most `maxSentences`, in document order,
// each followed by a numbered citation, then a source list and a line saying
// the answer is extractive. Markdown syntax is stripped from the quotes.
// With no chunks, or none sharing a word with the question, it answers that
// nothing relevant was found (a successful result, not an error).
// Deterministic, stateless after construction and thread-safe.
class ExtractiveGenerator final : public Generator
{
public:
    explicit ExtractiveGenerator(int maxSentences = 3);

    QString name() const override { return QStringLiteral("extractive"); }
    GenerationResult generate(const GenerationRequest& request) override;

    static QString notFoundAnswer();
    static QString disclaimer();

private:
    int m_maxSentences;
};

} // namespace querydeck
