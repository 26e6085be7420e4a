#pragma once

#include <QByteArrayView>
#include <cstdint>
#include <string_view>

namespace querydeck {

// FNV-1a, 64 bit: the one stable hash of QueryDeck. Cache labels, hashed
// embeddings and alert fingerprints persist or leave the process (Redis keys,
// stored vectors, Alertmanager-style fingerprints), so its output must never
// change: tst_fnv1a pins the reference vectors and each caller's values.
//
// Feed bytes (addByte/addBytes) or UTF-16 code units (addChar16: low byte,
// then high byte), then read value(). constexpr throughout.
//
// Thread rules: a plain value; no shared state.
class Fnv1a
{
public:
    static constexpr std::uint64_t kOffsetBasis = 14695981039346656037ull;
    static constexpr std::uint64_t kPrime = 1099511628211ull;

    constexpr Fnv1a() = default;

    constexpr Fnv1a& addByte(std::uint8_t byte)
    {
        m_hash ^= byte;
        m_hash *= kPrime;
        return *this;
    }
    constexpr Fnv1a& addBytes(std::string_view bytes)
    {
        for (const char c : bytes)
            addByte(static_cast<std::uint8_t>(c));
        return *this;
    }
    Fnv1a& addBytes(QByteArrayView bytes)
    {
        return addBytes(std::string_view(bytes.data(), std::size_t(bytes.size())));
    }
    constexpr Fnv1a& addChar16(char16_t c)
    {
        addByte(static_cast<std::uint8_t>(c & 0xFF));
        return addByte(static_cast<std::uint8_t>(c >> 8));
    }

    constexpr std::uint64_t value() const { return m_hash; }

    // The hash of `bytes` alone.
    static constexpr std::uint64_t hash(std::string_view bytes)
    {
        return Fnv1a().addBytes(bytes).value();
    }

private:
    std::uint64_t m_hash = kOffsetBasis;
};

} // namespace querydeck
