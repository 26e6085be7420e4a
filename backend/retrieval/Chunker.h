#pragma once

#include "backend/retrieval/Chunk.h"
#include "backend/retrieval/CorpusLoader.h"

#include <vector>

namespace querydeck {

// Cuts a document into overlapping chunks of at most `chunkChars` characters.
// A chunk ends at the last paragraph break in the second half of its window,
// else the last sentence end, else line break, else space; only a single word
// longer than the window is cut mid-word. The next chunk starts about
// `overlapChars` before the previous end, moved forward to a word start.
// Chunks are trimmed of surrounding whitespace and never empty; each records
// its document, its index and the offset where `text` starts in the document
// (document.text.mid(offset, text.size()) == text).
// Limits: chunkChars is raised to at least kMinChunkChars; overlapChars is
// clamped to [0, chunkChars / 2] so every chunk makes progress.
// Stateless and thread-safe.
class Chunker
{
public:
    static constexpr int kMinChunkChars = 16;

    static std::vector<Chunk> split(const CorpusDocument& document, int chunkChars,
                                    int overlapChars);
};

} // namespace querydeck
