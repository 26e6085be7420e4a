#pragma once

#include <QByteArray>
#include <QString>

namespace querydeck {

// Turns a user's question into the canonical text and key of the cache's
// exact tier, so that "What is  Redis?" and "what is redis" share one entry.
// Normalisation: Unicode NFKC, simple case folding (QString::toCaseFolded),
// punctuation (Unicode P* categories) removed, control characters and
// whitespace runs collapsed to one space, trimmed. Letters, digits, marks and
// symbols (emoji, +, $) of every script are kept. Pure functions; safe from
// any thread. ASCII input, the common case, takes a table-driven fast path.
class QueryNormalizer
{
public:
    static QString normalize(const QString& query);
    // Lowercase hex SHA-256 of namespaceTag + '\n' + UTF-8(normalized).
    static QByteArray key(const QString& normalized, const QByteArray& namespaceTag);
};

} // namespace querydeck
