#include "backend/retrieval/IndexFile.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QFile>
#include <QSaveFile>
#include <cmath>

namespace querydeck {

namespace {

constexpr auto kStreamVersion = QDataStream::Qt_6_4;
constexpr qint32 kMaxChunks = 50'000'000;

void setError(QString* error, const QString& message)
{
    if (error)
        *error = message;
}

} // namespace

bool IndexFile::write(const QString& path, const QByteArray& corpusHash, const QString& embedderId,
                      int dimension, const Contents& contents, QString* error)
{
    if (contents.chunks.size() != contents.vectors.size()) {
        setError(error, QStringLiteral("chunk and vector counts differ"));
        return false;
    }
    QByteArray payload;
    {
        QDataStream out(&payload, QIODevice::WriteOnly);
        out.setVersion(kStreamVersion);
        out.setFloatingPointPrecision(QDataStream::SinglePrecision);
        out << corpusHash << embedderId << qint32(dimension) << qint32(contents.chunks.size());
        for (std::size_t i = 0; i < contents.chunks.size(); ++i) {
            const Chunk& chunk = contents.chunks[i];
            const auto& vector = contents.vectors[i];
            if (vector.size() != static_cast<std::size_t>(dimension)) {
                setError(error, QStringLiteral("vector %1 has the wrong dimension").arg(i));
                return false;
            }
            out << chunk.document << qint32(chunk.index) << qint64(chunk.offset) << chunk.text;
            for (float v : vector)
                out << v;
        }
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(error, file.errorString());
        return false;
    }
    QDataStream out(&file);
    out.setVersion(kStreamVersion);
    out << kMagic << kVersion << payload
        << QCryptographicHash::hash(payload, QCryptographicHash::Sha256);
    if (out.status() != QDataStream::Ok) {
        file.cancelWriting();
        setError(error, QStringLiteral("write failed: %1").arg(file.errorString()));
        return false;
    }
    if (!file.commit()) {
        setError(error, QStringLiteral("commit failed: %1").arg(file.errorString()));
        return false;
    }
    return true;
}

bool IndexFile::read(const QString& path, const QByteArray& corpusHash, const QString& embedderId,
                     int dimension, Contents& contents, QString* error)
{
    contents = {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, file.errorString());
        return false;
    }
    QDataStream in(&file);
    in.setVersion(kStreamVersion);
    quint32 magic = 0;
    quint32 version = 0;
    in >> magic >> version;
    if (in.status() != QDataStream::Ok || magic != kMagic) {
        setError(error, QStringLiteral("not a QueryDeck index file (bad magic)"));
        return false;
    }
    if (version != kVersion) {
        setError(error, QStringLiteral("unsupported format version %1").arg(version));
        return false;
    }
    QByteArray payload;
    QByteArray checksum;
    in >> payload >> checksum;
    if (in.status() != QDataStream::Ok || !in.atEnd()) {
        setError(error, QStringLiteral("truncated or has trailing data"));
        return false;
    }
    if (checksum != QCryptographicHash::hash(payload, QCryptographicHash::Sha256)) {
        setError(error, QStringLiteral("checksum mismatch (corrupt)"));
        return false;
    }

    QDataStream body(payload);
    body.setVersion(kStreamVersion);
    body.setFloatingPointPrecision(QDataStream::SinglePrecision);
    QByteArray storedHash;
    QString storedId;
    qint32 storedDimension = 0;
    qint32 count = 0;
    body >> storedHash >> storedId >> storedDimension >> count;
    if (body.status() != QDataStream::Ok) {
        setError(error, QStringLiteral("unreadable header"));
        return false;
    }
    if (storedHash != corpusHash || storedId != embedderId || storedDimension != dimension) {
        setError(error, QStringLiteral("written for another corpus or embedder (%1, %2-d)")
                            .arg(storedId)
                            .arg(storedDimension));
        return false;
    }
    if (count < 0 || count > kMaxChunks) {
        setError(error, QStringLiteral("implausible chunk count %1").arg(count));
        return false;
    }
    contents.chunks.reserve(static_cast<std::size_t>(count));
    contents.vectors.reserve(static_cast<std::size_t>(count));
    for (qint32 i = 0; i < count; ++i) {
        Chunk chunk;
        qint32 index = 0;
        qint64 offset = 0;
        body >> chunk.document >> index >> offset >> chunk.text;
        chunk.index = index;
        chunk.offset = offset;
        std::vector<float> vector(static_cast<std::size_t>(dimension));
        for (float& v : vector)
            body >> v;
        if (body.status() != QDataStream::Ok) {
            setError(error, QStringLiteral("payload ends inside chunk %1").arg(i));
            contents = {};
            return false;
        }
        contents.chunks.push_back(std::move(chunk));
        contents.vectors.push_back(std::move(vector));
    }
    if (!body.atEnd()) {
        setError(error, QStringLiteral("payload has trailing data"));
        contents = {};
        return false;
    }
    return true;
}

} // namespace querydeck
