#include "backend/service/ClientAddress.h"

#include <QString>

namespace querydeck {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

bool isPort(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 5)
        return false;
    for (const char c : text)
        if (c < '0' || c > '9')
            return false;
    return text.toInt() <= 65535;
}

std::optional<QHostAddress> parseHost(QByteArrayView text)
{
    // Widened on the stack: entries are at most kMaxEntryChars, and this runs
    // for every query (a heap QString was a tenth of the key's cost).
    char16_t wide[ClientAddress::kMaxEntryChars];
    if (text.size() > ClientAddress::kMaxEntryChars)
        return std::nullopt;
    for (qsizetype i = 0; i < text.size(); ++i)
        wide[i] = char16_t(static_cast<unsigned char>(text[i]));
    return AddressRanges::parseAddress(QStringView(wide, text.size()));
}

} // namespace

std::optional<QHostAddress> ClientAddress::parseEntry(QByteArrayView entry)
{
    entry = entry.trimmed();
    if (entry.isEmpty() || entry.size() > kMaxEntryChars)
        return std::nullopt;
    if (entry.front() == '[') {
        const qsizetype close = entry.indexOf(']');
        if (close < 0)
            return std::nullopt;
        const QByteArrayView after = entry.sliced(close + 1);
        if (!after.isEmpty() && !(after.front() == ':' && isPort(after.sliced(1))))
            return std::nullopt;
        const QByteArrayView inside = entry.sliced(1, close - 1);
        if (!inside.contains(':')) // brackets are for IPv6 only
            return std::nullopt;
        return parseHost(inside);
    }
    const qsizetype colon = entry.indexOf(':');
    if (colon >= 0 && entry.lastIndexOf(':') == colon) {
        // One colon: IPv4 with a port (IPv6 has at least two).
        if (!isPort(entry.sliced(colon + 1)))
            return std::nullopt;
        entry = entry.first(colon);
        if (entry.contains(':'))
            return std::nullopt;
    }
    return parseHost(entry);
}

ClientAddress::Origin ClientAddress::resolve(QByteArrayView peer, QByteArrayView forwardedFor,
                                             const AddressRanges& trustedProxies)
{
    Origin origin;
    const std::optional<QHostAddress> peerAddress = parseEntry(peer);
    if (!peerAddress)
        return origin;
    origin.address = *peerAddress;
    if (trustedProxies.isEmpty() || !trustedProxies.contains(origin.address))
        return origin;

    QByteArrayView rest = forwardedFor;
    for (int hop = 0; hop < kMaxHops; ++hop) {
        // Separators between entries, bounded too: a run longer than an
        // entry could be is malformed.
        qsizetype separators = 0;
        while (!rest.isEmpty() && (isBlank(rest.back()) || rest.back() == ',') &&
               separators <= kMaxEntryChars) {
            rest.chop(1);
            ++separators;
        }
        if (rest.isEmpty() || separators > kMaxEntryChars)
            break;
        // Find where the rightmost entry starts, looking no further back than
        // an entry can be long.
        const qsizetype floor = qMax<qsizetype>(0, rest.size() - kMaxEntryChars - 1);
        qsizetype start = rest.size() - 1;
        while (start >= floor && rest[start] != ',')
            --start;
        if (start < floor && floor > 0)
            break; // an entry longer than any address: malformed
        ++start;   // first byte after the comma, or 0
        const std::optional<QHostAddress> entry = parseEntry(rest.sliced(start));
        if (!entry)
            break;
        rest.truncate(start);
        origin.address = *entry;
        origin.forwarded = true;
        if (!trustedProxies.contains(origin.address))
            break;
    }
    return origin;
}

} // namespace querydeck
