// HTML corpus files: HtmlText (tags, entities, scripts) via CorpusLoader, then Chunker.
#include "CorpusFuzz.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    querydeck::fuzz::corpusFile(data, size, true);
    return 0;
}
