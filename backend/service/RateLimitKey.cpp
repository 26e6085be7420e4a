#include "backend/service/RateLimitKey.h"

#include "backend/common/Sha256.h"
#include "backend/service/ClientAddress.h"

#include <algorithm>

namespace querydeck {

namespace {

// Longest peer text kept in a key when the peer is not an address at all
// (which the HTTP server never reports; a bound all the same).
constexpr qsizetype kMaxRawPeerChars = 64;

} // namespace

RateLimitKeys::RateLimitKeys(AddressRanges trustedProxies, int ipv6PrefixLength)
    : m_trustedProxies(std::move(trustedProxies))
    , m_ipv6PrefixLength(std::clamp(ipv6PrefixLength, 1, 128))
{
}

QByteArray RateLimitKeys::credentialOf(QByteArrayView token)
{
    return "t:" + Sha256::hexDigest({token}).first(16);
}

RateLimitKey RateLimitKeys::derive(QByteArrayView peer, QByteArrayView forwardedFor,
                                   QByteArrayView credential, const QString& client) const
{
    RateLimitKey key;
    const ClientAddress::Origin origin =
        ClientAddress::resolve(peer, forwardedFor, m_trustedProxies);
    QString addressKey;
    if (origin.address.isNull()) {
        key.address = QString::fromLatin1(peer.first(qMin(peer.size(), kMaxRawPeerChars)));
        addressKey = QStringLiteral("peer:") + key.address;
    } else {
        key.address = origin.address.toString();
        addressKey = key.address;
        if (origin.address.protocol() == QAbstractSocket::IPv6Protocol &&
            m_ipv6PrefixLength < 128) {
            const QHostAddress network =
                QHostAddress::parseSubnet(
                    QStringLiteral("%1/%2").arg(key.address).arg(m_ipv6PrefixLength))
                    .first;
            addressKey = QStringLiteral("%1/%2").arg(network.toString()).arg(m_ipv6PrefixLength);
        }
    }
    key.bucket = credential.isEmpty()
                     ? addressKey
                     : QString::fromLatin1(credential) + QLatin1Char('|') + addressKey;
    if (!client.isEmpty())
        key.clientBucket = key.bucket + QStringLiteral("|c:") + client;
    return key;
}

} // namespace querydeck
