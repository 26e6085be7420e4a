#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace querydeck {

// Request ids for logs and the X-Request-Id header: short, URL-safe, unique.
// An id is a random 50-bit process prefix and a per-process counter, both in
// lowercase Crockford base32 ("k3f9x2ab0q-1"): unique within the process by
// the counter, across replicas with overwhelming probability by the prefix.
// A client's own X-Request-Id is kept when isAcceptable() says it is safe to
// echo and log.
//
// Thread rules: both functions are thread-safe and lock-free.
class RequestId
{
public:
    static QByteArray next();
    // 1..64 characters of [A-Za-z0-9._-]: nothing that could split a log line
    // or a header, and short enough to index.
    static bool isAcceptable(QByteArrayView incoming);

    static constexpr qsizetype kMaxLength = 64;
};

} // namespace querydeck
