#pragma once

#include "backend/retrieval/Chunk.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace querydeck {

// The on-disk form of a built corpus index (*.qdidx): chunks and their
// embeddings, so an unchanged corpus is not re-embedded. Layout: QDataStream
// (Qt 6.4 format) with magic "QDIX", format version, a payload blob and the
// SHA-256 of that payload, so truncation and bit rot are detected. Written
// atomically with QSaveFile. Stateless and thread-safe (distinct files).
class IndexFile
{
public:
    struct Contents
    {
        std::vector<Chunk> chunks;
        std::vector<std::vector<float>> vectors; // one per chunk
    };

    static constexpr quint32 kMagic = 0x51444958; // "QDIX"
    static constexpr quint32 kVersion = 1;

    static bool write(const QString& path, const QByteArray& corpusHash, const QString& embedderId,
                      int dimension, const Contents& contents, QString* error);
    // False, with the reason in *error, unless the file is intact and was
    // written for exactly this corpus hash, embedder and dimension.
    static bool read(const QString& path, const QByteArray& corpusHash, const QString& embedderId,
                     int dimension, Contents& contents, QString* error);
};

} // namespace querydeck
