#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <initializer_list>

namespace querydeck {

// SHA-256 of the concatenation of `parts`, through OpenSSL's libcrypto. It is
// on the exact-hit path (every cache key is one): OpenSSL uses the CPU's SHA
// extensions or AVX2 where present, and measured about 12 times fewer
// instructions than QCryptographicHash's portable code for a 100-byte key
// (tests/bench/run-bench-instructions.sh). The digests are the same, so keys
// already in a shared Redis stay valid. Safe from any thread (one OpenSSL
// context per thread, reused).
class Sha256
{
public:
    // The 32-byte digest.
    static QByteArray digest(std::initializer_list<QByteArrayView> parts);
    // The digest as 64 lowercase hex characters.
    static QByteArray hexDigest(std::initializer_list<QByteArrayView> parts);
};

} // namespace querydeck
