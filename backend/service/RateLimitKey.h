#pragma once

#include "backend/common/AddressRanges.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace querydeck {

// The buckets one request is charged to (see ClientRateLimiter).
struct RateLimitKey
{
    QString address;      // the client's address, for logs ("203.0.113.7", "2001:db8::1")
    QString bucket;       // always charged: the address, with the token identity when tokens are on
    QString clientBucket; // `bucket` subdivided by the body's `client`; empty without one
};

// Derives a request's rate-limit key from what the client cannot choose: the
// peer address (or, behind trusted proxies, the address they forwarded; see
// ClientAddress) and, when /v1/query needs a bearer token, the token's
// identity (a SHA-256 prefix, never the token). IPv6 addresses are grouped by
// their /ipv6PrefixLength network, since one host usually holds a whole /64
// and could otherwise pick a fresh address per request.
//
// The `client` field (or X-Client-Id) is the caller's own choice: it names a
// sub-bucket inside the address's bucket, never a bucket of its own.
//
// Thread rules: immutable after construction; derive() from any thread.
class RateLimitKeys
{
public:
    RateLimitKeys(AddressRanges trustedProxies = {}, int ipv6PrefixLength = 128);

    RateLimitKey derive(QByteArrayView peer, QByteArrayView forwardedFor, QByteArrayView credential,
                        const QString& client) const;

    // A token's identity in keys: "t:" and 16 hex digits of its SHA-256.
    static QByteArray credentialOf(QByteArrayView token);

private:
    AddressRanges m_trustedProxies;
    int m_ipv6PrefixLength;
};

} // namespace querydeck
