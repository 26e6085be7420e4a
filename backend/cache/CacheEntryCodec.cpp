#include "backend/cache/CacheEntryCodec.h"

#include <QtEndian>
#include <cstring>

namespace querydeck {

namespace {
constexpr char kMagic[4] = {'Q', 'D', 'E', '1'};

void appendInt64(QByteArray& out, qint64 value)
{
    char bytes[8];
    qToLittleEndian(value, bytes);
    out.append(bytes, 8);
}

void appendBlob(QByteArray& out, const QByteArray& blob)
{
    appendInt64(out, blob.size());
    out.append(blob);
}

// A bounds-checked reader over the record.
struct Reader
{
    const QByteArray& bytes;
    qsizetype at = 0;
    bool ok = true;

    qint64 int64()
    {
        if (!ok || bytes.size() - at < 8) {
            ok = false;
            return 0;
        }
        const qint64 value = qFromLittleEndian<qint64>(bytes.constData() + at);
        at += 8;
        return value;
    }
    QByteArray blob()
    {
        const qint64 size = int64();
        if (!ok || size < 0 || size > bytes.size() - at) {
            ok = false;
            return {};
        }
        QByteArray out = bytes.mid(at, qsizetype(size));
        at += qsizetype(size);
        return out;
    }
};
} // namespace

QByteArray CacheEntryCodec::floatsToBytes(std::span<const float> values)
{
    QByteArray out(qsizetype(values.size() * sizeof(float)), Qt::Uninitialized);
    char* p = out.data();
    for (const float v : values) {
        quint32 bits;
        std::memcpy(&bits, &v, sizeof bits);
        qToLittleEndian(bits, p);
        p += sizeof bits;
    }
    return out;
}

std::optional<std::vector<float>> CacheEntryCodec::bytesToFloats(const QByteArray& bytes)
{
    if (bytes.size() % qsizetype(sizeof(float)) != 0 ||
        bytes.size() / qsizetype(sizeof(float)) > kMaxDimension)
        return std::nullopt;
    std::vector<float> out(std::size_t(bytes.size()) / sizeof(float));
    const char* p = bytes.constData();
    for (float& v : out) {
        const quint32 bits = qFromLittleEndian<quint32>(p);
        std::memcpy(&v, &bits, sizeof v);
        p += sizeof bits;
    }
    return out;
}

QByteArray CacheEntryCodec::encode(const CacheEntry& entry)
{
    QByteArray out;
    out.reserve(64 + entry.payload.size() + qsizetype(entry.embedding.size() * sizeof(float)));
    out.append(kMagic, 4);
    appendInt64(out, entry.createdMs);
    appendInt64(out, entry.expiresMs);
    appendBlob(out, entry.normalizedQuery.toUtf8());
    appendBlob(out, floatsToBytes(entry.embedding));
    appendBlob(out, entry.payload);
    return out;
}

std::optional<CacheEntry> CacheEntryCodec::decode(const QByteArray& key, const QByteArray& bytes)
{
    if (bytes.size() < 4 || std::memcmp(bytes.constData(), kMagic, 4) != 0)
        return std::nullopt;
    Reader r{bytes, 4};
    CacheEntry entry;
    entry.key = key;
    entry.createdMs = r.int64();
    entry.expiresMs = r.int64();
    const QByteArray query = r.blob();
    const QByteArray embedding = r.blob();
    entry.payload = r.blob();
    if (!r.ok || r.at != bytes.size())
        return std::nullopt;
    auto floats = bytesToFloats(embedding);
    if (!floats)
        return std::nullopt;
    entry.normalizedQuery = QString::fromUtf8(query);
    entry.embedding = std::move(*floats);
    return entry;
}

} // namespace querydeck
