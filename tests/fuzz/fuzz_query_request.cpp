// POST /v1/query bodies and the two header checks that decide whether a
// body is parsed: QueryRequest::parse (against parseFully, Qt's parser
// alone), isJsonContentType, isValidClientId.
#include "FuzzSupport.h"
#include "backend/service/QueryRequest.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using querydeck::QueryRequest;
    const QByteArray input = querydeck::fuzz::bytes(data, size);
    const QueryRequest::Parsed parsed = QueryRequest::parse(input, 4);
    if (!parsed.error) {
        // What the parser accepted must satisfy its own limits.
        if (parsed.request.query.size() > QueryRequest::kMaxQueryCharacters ||
            parsed.request.topK < 1 || parsed.request.topK > QueryRequest::kMaxTopK ||
            (!parsed.request.client.isEmpty() &&
             !QueryRequest::isValidClientId(parsed.request.client)))
            __builtin_trap();
    }
    // Differential: parse() takes a one-pass reader for flat bodies; it must
    // answer exactly as Qt's parser alone does.
    const QueryRequest::Parsed full = QueryRequest::parseFully(input, 4);
    if (parsed.error.has_value() != full.error.has_value())
        __builtin_trap();
    if (parsed.error ? parsed.error->message != full.error->message
                     : (parsed.request.query != full.request.query ||
                        parsed.request.topK != full.request.topK ||
                        parsed.request.client != full.request.client))
        __builtin_trap();
    QueryRequest::isJsonContentType(input);
    QueryRequest::isValidClientId(QString::fromUtf8(input));
    return 0;
}
