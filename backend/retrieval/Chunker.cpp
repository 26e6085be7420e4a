#include "backend/retrieval/Chunker.h"

#include <algorithm>

namespace querydeck {

namespace {

bool isSentenceEnd(const QString& text, qsizetype i)
{
    const QChar c = text[i];
    if (c != u'.' && c != u'!' && c != u'?' && c != u':' && c != u';')
        return false;
    return i + 1 >= text.size() || text[i + 1].isSpace();
}

// Where to end a chunk that starts at `start` and may reach `limit`: the best
// boundary in [minEnd, limit], else a hard cut at `limit`.
qsizetype findEnd(const QString& text, qsizetype minEnd, qsizetype limit)
{
    for (qsizetype i = limit - 1; i >= minEnd; --i) {
        if (text[i] == u'\n' && text[i - 1] == u'\n')
            return i - 1;
    }
    for (qsizetype i = limit - 1; i >= minEnd - 1; --i) {
        if (isSentenceEnd(text, i))
            return i + 1;
    }
    for (qsizetype i = limit; i >= minEnd; --i) {
        if (text[i] == u'\n')
            return i;
    }
    for (qsizetype i = limit; i >= minEnd; --i) {
        if (text[i].isSpace())
            return i;
    }
    // One huge word: cut it, but never between the halves of a surrogate pair.
    if (text[limit - 1].isHighSurrogate())
        return limit - 1;
    return limit;
}

qsizetype skipSpace(const QString& text, qsizetype i)
{
    while (i < text.size() && text[i].isSpace())
        ++i;
    return i;
}

} // namespace

std::vector<Chunk> Chunker::split(const CorpusDocument& document, int chunkChars, int overlapChars)
{
    const qsizetype size = std::max(chunkChars, kMinChunkChars);
    const qsizetype overlap = std::clamp<qsizetype>(overlapChars, 0, size / 2);
    const QString& text = document.text;
    const qsizetype n = text.size();

    std::vector<Chunk> chunks;
    qsizetype start = skipSpace(text, 0);
    while (start < n) {
        qsizetype end = n;
        if (n - start > size)
            end = findEnd(text, start + size / 2, start + size);

        qsizetype last = end;
        while (last > start && text[last - 1].isSpace())
            --last;
        if (last > start) {
            Chunk chunk;
            chunk.document = document.path;
            chunk.index = static_cast<int>(chunks.size());
            chunk.offset = start;
            chunk.text = text.mid(start, last - start);
            chunks.push_back(std::move(chunk));
        }
        if (end >= n)
            break;

        qsizetype next = end - overlap;
        if (overlap > 0 && next > 0 && !text[next - 1].isSpace()) {
            // Mid-word: start the overlap at the next word instead.
            qsizetype w = next;
            while (w < end && !text[w].isSpace())
                ++w;
            if (w < end)
                next = w;
        }
        if (next < n && text[next].isLowSurrogate())
            ++next;
        next = skipSpace(text, std::max(next, start + 1));
        start = next;
    }
    return chunks;
}

} // namespace querydeck
