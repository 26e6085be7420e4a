#pragma once

#include "backend/service/ApiError.h"

#include <QByteArrayView>
#include <QString>
#include <optional>

namespace querydeck {

// A validated POST /v1/query body.
struct QueryRequest
{
    static constexpr int kMaxQueryCharacters = 4000;
    static constexpr int kMaxTopK = 20;
    static constexpr int kMaxClientIdLength = 128;
    // parse()'s own ceiling, whatever the transport's limit (http.max_body_bytes
    // may be set up to 1 GiB); nesting is bounded at BoundedJson::kRequestDepth.
    static constexpr qsizetype kMaxBodyBytes = 16 * 1024 * 1024;

    QString query;
    int topK = 4;
    QString client; // empty: not given in the body

    // Parses and validates a JSON body; on failure the error names the field.
    // Bodies of the usual flat shape take a one-pass reader (FlatJsonObject);
    // the rest, and every error message about JSON types, Qt's parser.
    struct Parsed;
    static Parsed parse(QByteArrayView body, int defaultTopK);
    // The same answer through Qt's parser alone: the reference parse() is
    // tested and fuzzed against.
    static Parsed parseFully(QByteArrayView body, int defaultTopK);
    // application/json, optionally with parameters such as charset=utf-8.
    static bool isJsonContentType(QByteArrayView contentType);
    // Client ids are rate-limit keys and metric-free log fields: printable, bounded.
    static bool isValidClientId(QStringView id);

private:
    static std::optional<Parsed> refuseEncoding(QByteArrayView body);
    static Parsed parseObject(QByteArrayView body, int defaultTopK);
};

struct QueryRequest::Parsed
{
    QueryRequest request;
    std::optional<ApiError> error;
};

} // namespace querydeck
