#include "backend/common/AddressRanges.h"

namespace querydeck {

namespace {

// The longest spelling of one range ("ffff:…:255.255.255.255/128" and a
// little slack); anything longer is refused before parsing.
constexpr qsizetype kMaxRangeChars = 64;

bool isIpv4Mapped(const QHostAddress& address)
{
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return false;
    const Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 0; i < 10; ++i)
        if (bytes[i] != 0)
            return false;
    return bytes[10] == 0xff && bytes[11] == 0xff;
}

// The octet's value, or -1 if `part` is not 0-255 without leading zeros.
// Digits summed by hand: QStringView::toInt goes through QLocale.
int decimalOctet(QStringView part)
{
    if (part.isEmpty() || part.size() > 3 || (part.size() > 1 && part.front() == u'0'))
        return -1;
    int value = 0;
    for (const QChar c : part) {
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value <= 255 ? value : -1;
}

} // namespace

std::optional<QHostAddress> AddressRanges::parseAddress(QStringView text)
{
    if (text.isEmpty() || text.size() > kMaxRangeChars)
        return std::nullopt;
    if (!text.contains(u':')) {
        // Dotted quad, built here rather than by QHostAddress::setAddress:
        // this runs for every query's peer and was most of its rate-limit key.
        quint32 value = 0;
        int parts = 0;
        for (const QStringView part : text.tokenize(u'.')) {
            const int octet = decimalOctet(part);
            if (octet < 0 || ++parts > 4)
                return std::nullopt;
            value = (value << 8) | quint32(octet);
        }
        if (parts != 4)
            return std::nullopt;
        return QHostAddress(value);
    } else {
        for (const QChar c : text)
            if (!(c.isDigit() || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F') ||
                  c == u':' || c == u'.'))
                return std::nullopt;
    }
    QHostAddress address;
    if (!address.setAddress(text.toString()))
        return std::nullopt;
    return normalized(address);
}

QHostAddress AddressRanges::normalized(const QHostAddress& address)
{
    if (isIpv4Mapped(address)) {
        bool ok = false;
        const quint32 v4 = address.toIPv4Address(&ok);
        if (ok)
            return QHostAddress(v4);
    }
    QHostAddress plain = address;
    plain.setScopeId(QString());
    return plain;
}

std::optional<QPair<QHostAddress, int>> AddressRanges::parseRange(const QString& text,
                                                                  QString* error)
{
    if (text.isEmpty() || text.size() > kMaxRangeChars) {
        *error = text.isEmpty() ? QStringLiteral("empty; expected an IP address or CIDR range")
                                : QStringLiteral("longer than %1 characters").arg(kMaxRangeChars);
        return std::nullopt;
    }
    const qsizetype slash = text.indexOf(QLatin1Char('/'));
    const QString addressText = slash < 0 ? text : text.left(slash);
    QHostAddress address;
    if (addressText.contains(u':')) {
        // Parsed unnormalised: a mapped range keeps its /96+ prefix until below.
        const bool ok = parseAddress(addressText).has_value();
        if (ok)
            address.setAddress(addressText);
    } else if (const auto v4 = parseAddress(addressText)) {
        address = *v4;
    }
    if (address.isNull()) {
        *error = QStringLiteral("\"%1\" is not an IPv4 address (four decimal numbers) or an "
                                "IPv6 address")
                     .arg(addressText);
        return std::nullopt;
    }
    const bool v4 = address.protocol() == QAbstractSocket::IPv4Protocol;
    const int bits = v4 ? 32 : 128;
    int prefix = bits;
    if (slash >= 0) {
        const QString prefixText = text.mid(slash + 1);
        bool ok = !prefixText.isEmpty() && prefixText.size() <= 3;
        for (const QChar c : prefixText)
            ok = ok && c.isDigit();
        prefix = ok ? prefixText.toInt() : -1;
        if (prefix < 0 || prefix > bits) {
            *error = QStringLiteral("prefix length \"%1\" must be a number from 1 to %2 for %3")
                         .arg(prefixText)
                         .arg(bits)
                         .arg(v4 ? QStringLiteral("IPv4") : QStringLiteral("IPv6"));
            return std::nullopt;
        }
    }
    if (isIpv4Mapped(address) && prefix >= 96) {
        address = normalized(address);
        prefix -= 96;
    }
    if (prefix == 0) {
        *error = QStringLiteral("\"%1\" matches every address, so any client could choose its "
                                "own address with X-Forwarded-For")
                     .arg(text);
        return std::nullopt;
    }
    // The network address itself: host bits set means the writer meant
    // something else (10.0.0.1/8: a host, or 10.0.0.0/8?).
    const QPair<QHostAddress, int> subnet =
        QHostAddress::parseSubnet(QStringLiteral("%1/%2").arg(address.toString()).arg(prefix));
    if (subnet.first.isNull() || subnet.first != address) {
        *error = QStringLiteral("\"%1\" has bits set below its /%2 prefix; write the network "
                                "address (%3/%2) or a single address")
                     .arg(text)
                     .arg(prefix)
                     .arg(subnet.first.isNull() ? QStringLiteral("?") : subnet.first.toString());
        return std::nullopt;
    }
    return QPair<QHostAddress, int>{address, prefix};
}

std::optional<AddressRanges> AddressRanges::parse(const QStringList& entries, QString* error)
{
    AddressRanges ranges;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QString problem;
        const auto range = parseRange(entries.at(i), &problem);
        if (!range) {
            *error = QStringLiteral("[%1]: %2").arg(i).arg(problem);
            return std::nullopt;
        }
        ranges.m_ranges.append(*range);
    }
    error->clear();
    return ranges;
}

bool AddressRanges::contains(const QHostAddress& address) const
{
    const QHostAddress plain = normalized(address);
    for (const auto& [network, prefix] : m_ranges)
        if (plain.isInSubnet(network, prefix))
            return true;
    return false;
}

} // namespace querydeck
