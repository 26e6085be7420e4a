#pragma once

#include "backend/cache/CacheStore.h"

#include <QByteArray>
#include <optional>
#include <span>
#include <vector>

namespace querydeck {

// The bytes of a cache entry as stored in Redis, so any replica can serve it
// and rebuild its semantic index from it: a versioned binary record (magic,
// times, normalised query, float32 embedding, payload). The key is the Redis
// key, not part of the record. Pure functions; any thread.
class CacheEntryCodec
{
public:
    static QByteArray encode(const CacheEntry& entry);
    // nullopt for anything that is not a well-formed record (other writers,
    // truncation, a newer format): treated as a miss, never trusted.
    static std::optional<CacheEntry> decode(const QByteArray& key, const QByteArray& bytes);

    // float32 little-endian, the embedding's wire form in records and stream entries.
    static QByteArray floatsToBytes(std::span<const float> values);
    static std::optional<std::vector<float>> bytesToFloats(const QByteArray& bytes);

    static constexpr int kMaxDimension = 65536;
};

} // namespace querydeck
