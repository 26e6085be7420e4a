#include "backend/common/Sha256.h"

#include <memory>
#include <openssl/evp.h>
#include <stdexcept>

namespace querydeck {

namespace {

constexpr int kDigestBytes = 32;

// Fetched once: EVP_sha256() would look the implementation up at every init.
const EVP_MD* sha256()
{
    static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(
        EVP_MD_fetch(nullptr, "SHA256", nullptr), &EVP_MD_free);
    return md.get();
}

EVP_MD_CTX* threadContext()
{
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
        EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    return context.get();
}

void hashInto(std::initializer_list<QByteArrayView> parts, unsigned char* out)
{
    EVP_MD_CTX* context = threadContext();
    const EVP_MD* md = sha256();
    // Only allocation failure or a libcrypto without SHA-256 gets here; both
    // are a broken installation, not an input problem.
    if (!context || !md || EVP_DigestInit_ex2(context, md, nullptr) != 1)
        throw std::runtime_error("libcrypto cannot compute SHA-256");
    for (const QByteArrayView part : parts)
        EVP_DigestUpdate(context, part.data(), std::size_t(part.size()));
    unsigned int length = 0;
    EVP_DigestFinal_ex(context, out, &length);
}

// Lowercase hex written straight into the result (QByteArray::toHex builds a
// second array and was a tenth of the key's cost).
QByteArray lowerHex(const unsigned char* bytes, int count)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    QByteArray out(qsizetype(count) * 2, Qt::Uninitialized);
    char* dst = out.data();
    for (int i = 0; i < count; ++i) {
        *dst++ = kDigits[bytes[i] >> 4];
        *dst++ = kDigits[bytes[i] & 0x0f];
    }
    return out;
}

} // namespace

QByteArray Sha256::digest(std::initializer_list<QByteArrayView> parts)
{
    QByteArray out(kDigestBytes, Qt::Uninitialized);
    hashInto(parts, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

QByteArray Sha256::hexDigest(std::initializer_list<QByteArrayView> parts)
{
    unsigned char raw[kDigestBytes];
    hashInto(parts, raw);
    return lowerHex(raw, kDigestBytes);
}

} // namespace querydeck
