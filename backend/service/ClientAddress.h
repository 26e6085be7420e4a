#pragma once

#include "backend/common/AddressRanges.h"

#include <QByteArrayView>
#include <QHostAddress>
#include <optional>

namespace querydeck {

// The address a request came from, for the rate limit: the TCP peer, or —
// when the peer is a trusted proxy — the address that proxy reports in
// X-Forwarded-For. The header is walked from the right, skipping trusted
// proxies, as nginx's realip module does with `real_ip_recursive on`: the
// first untrusted entry is the client. Entries to its left were written by
// the client itself and are never read.
//
// The walk is bounded, so a hostile header costs little whatever its size: at
// most kMaxHops entries are read, each at most kMaxEntryChars long. An entry
// that is not an address (garbage, "unknown", an oversized token) stops the
// walk at the last address read, which is a trusted hop: a malformed header
// can land a request in its proxy's bucket but never in one the client chose.
// A chain of only trusted addresses yields the leftmost one read.
//
// Thread rules: stateless; any thread.
class ClientAddress
{
public:
    static constexpr int kMaxHops = 16;
    // "[ffff:…:255.255.255.255]:65535" and some slack.
    static constexpr qsizetype kMaxEntryChars = 64;

    struct Origin
    {
        QHostAddress address;   // normalised (AddressRanges::normalized); null: peer unreadable
        bool forwarded = false; // taken from X-Forwarded-For rather than the peer
    };

    // One X-Forwarded-For entry: "203.0.113.7", "203.0.113.7:4711", "2001:db8::1",
    // "[2001:db8::1]" or "[2001:db8::1]:4711"; surrounding blanks allowed.
    static std::optional<QHostAddress> parseEntry(QByteArrayView entry);

    static Origin resolve(QByteArrayView peer, QByteArrayView forwardedFor,
                          const AddressRanges& trustedProxies);
};

} // namespace querydeck
