#pragma once

// The corpus targets' shared body: a file's bytes as the loader reads them,
// then chunked with the default and with small chunk sizes.

#include "FuzzSupport.h"
#include "backend/retrieval/Chunker.h"
#include "backend/retrieval/CorpusLoader.h"

namespace querydeck::fuzz {

inline void corpusFile(const uint8_t* data, size_t size, bool html)
{
    QString reason;
    std::optional<QString> text = CorpusLoader::fileText(bytes(data, size), html, &reason);
    if (!text)
        return;
    const CorpusDocument document{html ? QStringLiteral("fuzz.html") : QStringLiteral("fuzz.md"),
                                  *text};
    for (const auto& [chunkChars, overlap] : {std::pair{1200, 200}, std::pair{40, 16}}) {
        for (const Chunk& chunk : Chunker::split(document, chunkChars, overlap)) {
            if (chunk.offset < 0 || chunk.offset > text->size())
                __builtin_trap();
        }
    }
}

} // namespace querydeck::fuzz
