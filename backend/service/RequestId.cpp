#include "backend/service/RequestId.h"

#include <QRandomGenerator>
#include <atomic>

namespace querydeck {

namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford: no i, l, o, u
constexpr int kPrefixChars = 10;                                 // 50 random bits

QByteArray makePrefix()
{
    quint64 bits = QRandomGenerator::system()->generate64();
    QByteArray prefix(kPrefixChars, Qt::Uninitialized);
    for (int i = kPrefixChars - 1; i >= 0; --i, bits >>= 5)
        prefix[i] = kAlphabet[bits & 31];
    return prefix;
}

std::atomic<quint64> g_counter{0};

} // namespace

QByteArray RequestId::next()
{
    static const QByteArray prefix = makePrefix();
    quint64 n = g_counter.fetch_add(1, std::memory_order_relaxed);

    char digits[13]; // 64 bits need at most 13 base32 digits
    int used = 0;
    do {
        digits[used++] = kAlphabet[n & 31];
        n >>= 5;
    } while (n != 0);

    QByteArray id;
    id.reserve(kPrefixChars + 1 + used);
    id.append(prefix).append('-');
    while (used > 0)
        id.append(digits[--used]);
    return id;
}

bool RequestId::isAcceptable(QByteArrayView incoming)
{
    if (incoming.isEmpty() || incoming.size() > kMaxLength)
        return false;
    for (const char c : incoming) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace querydeck
