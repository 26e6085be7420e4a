// Markdown and plain-text corpus files: CorpusLoader's decoding, then Chunker
// (paragraph and sentence boundaries, overlap).
#include "CorpusFuzz.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    querydeck::fuzz::corpusFile(data, size, false);
    return 0;
}
