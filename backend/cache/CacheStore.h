#pragma once

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace querydeck {

// One cached answer. `key` is the exact-tier key (SHA-256 hex of the
// normalised query); `embedding` lets any replica rebuild its semantic index;
// `payload` is the response body fragment {"answer":…,"sources":[…]} as JSON
// bytes, so a hit is served without re-serialising.
struct CacheEntry
{
    QByteArray key;
    QString normalizedQuery;
    std::vector<float> embedding;
    QByteArray payload;
    qint64 createdMs = 0;
    qint64 expiresMs = 0; // wall clock; 0 = never

    // What this entry costs in memory, used for the byte bound.
    qint64 byteSize() const
    {
        return qint64(sizeof(CacheEntry)) + key.size() + normalizedQuery.size() * 2 +
               qint64(embedding.size() * sizeof(float)) + payload.size();
    }
};

struct CacheStoreStats
{
    qint64 entries = 0; // every entry this store reaches, shared ones included
    // Of `entries`, those in a store every replica shares (Redis DBSIZE): a
    // fleet-wide figure, nullopt for a store of this replica alone.
    std::optional<qint64> sharedEntries;
    qint64 bytes = 0;
    qint64 maxBytes = 0;
    qint64 evictions = 0; // removed to stay under the byte bound
    qint64 expirations = 0;
};

// Where cache entries live: in process memory now, Redis later. Thread-safe:
// the service calls it from every worker thread. get() never returns an
// expired entry.
class CacheStore
{
public:
    // Called (outside the store's lock) when an entry leaves the store on its
    // own — evicted for space or expired — so the semantic index can drop it.
    using RemovalListener = std::function<void(const QByteArray& key)>;

    virtual ~CacheStore() = default;

    virtual QString name() const = 0;
    virtual std::optional<CacheEntry> get(const QByteArray& key) = 0;
    virtual bool put(const CacheEntry& entry) = 0;
    virtual bool remove(const QByteArray& key) = 0;
    virtual void clear() = 0;
    virtual CacheStoreStats stats() const = 0;
    virtual void setRemovalListener(RemovalListener listener) = 0;
    // True when get() answers from this process's memory, never waiting on
    // I/O: exact hits may then be answered on the HTTP server's I/O threads.
    virtual bool readsWithoutBlocking() const { return false; }
};

} // namespace querydeck
