#include "backend/retrieval/PromptBuilder.h"

namespace querydeck {

QString PromptBuilder::systemPrompt()
{
    return QStringLiteral(
        "You answer questions from operators of the QueryDeck query service. Use only the "
        "numbered context passages you are given. Cite the passages you used by their number, "
        "like [1] or [2][3]. If the passages do not contain the answer, say that they do not, "
        "instead of guessing. Be concise.");
}

QString PromptBuilder::userPrompt(const GenerationRequest& request)
{
    QString prompt = QStringLiteral("Context passages:\n\n");
    if (request.chunks.empty())
        prompt += QStringLiteral("(no passages were found for this question)\n\n");
    int number = 0;
    for (const RetrievedChunk& retrieved : request.chunks) {
        const Chunk& chunk = retrieved.chunk;
        QString text = chunk.text.trimmed();
        if (text.size() > kMaxChunkChars)
            text = text.left(kMaxChunkChars) + QStringLiteral(" [...]");
        prompt += QStringLiteral("[%1] %2 (chunk %3)\n%4\n\n")
                      .arg(++number)
                      .arg(chunk.document)
                      .arg(chunk.index)
                      .arg(text);
    }
    prompt += QStringLiteral("Question: %1\n\nAnswer, citing passages by number:")
                  .arg(request.query.trimmed());
    return prompt;
}

} // namespace querydeck
