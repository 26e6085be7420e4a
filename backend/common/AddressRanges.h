#pragma once

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>

namespace querydeck {

// A set of IP ranges written as addresses or CIDR prefixes ("10.0.0.0/8",
// "::1", "fd00::/8"), e.g. the proxies whose X-Forwarded-For the service
// trusts. Parsing is strict, so a typo in a trust list is an error rather than
// a range that silently matches something else: the prefix length must fit
// the family, host bits below it must be zero, and "/0" (every address) is
// refused. IPv4-mapped IPv6 ("::ffff:10.0.0.0/104") is stored as IPv4, and
// addresses are normalised the same way before matching (see normalized()).
//
// Thread rules: a plain value; const methods may be called from any thread.
class AddressRanges
{
public:
    // One address, strictly: IPv4 only as four decimal octets (no "127.1",
    // octal or hex forms that inet_aton and QHostAddress also read), IPv6 as
    // hex groups with no scope id. Returned normalized(); nullopt otherwise.
    static std::optional<QHostAddress> parseAddress(QStringView text);

    // Parses one range; nullopt and `error` (what is wrong, without the
    // field name) when it is not valid.
    static std::optional<QPair<QHostAddress, int>> parseRange(const QString& text, QString* error);

    // Every entry must parse; on failure `error` is "[i]: problem" for the
    // first bad entry (i is its index), ready to follow a field path.
    static std::optional<AddressRanges> parse(const QStringList& entries, QString* error);

    // IPv4-mapped IPv6 as plain IPv4, no IPv6 scope id: one spelling per host.
    static QHostAddress normalized(const QHostAddress& address);

    bool contains(const QHostAddress& address) const;
    bool isEmpty() const { return m_ranges.isEmpty(); }
    int size() const { return int(m_ranges.size()); }

private:
    QList<QPair<QHostAddress, int>> m_ranges;
};

} // namespace querydeck
