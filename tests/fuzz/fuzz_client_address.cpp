// X-Forwarded-For and trusted-proxy ranges (ClientAddress, AddressRanges): the
// first line is a comma-separated list of ranges as `http.trusted_proxies`
// holds them, the rest one X-Forwarded-For value. Beyond not crashing, the
// resolved origin must be the peer or an address written in the header: a
// header can never produce an address nobody wrote.
#include "FuzzSupport.h"
#include "backend/common/AddressRanges.h"
#include "backend/service/ClientAddress.h"

#include <QStringList>
#include <cstdlib>

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input = querydeck::fuzz::bytes(data, size);
    const qsizetype newline = input.indexOf('\n');
    const QByteArray rangesLine = newline < 0 ? input : input.left(newline);
    const QByteArray header = newline < 0 ? QByteArray() : input.mid(newline + 1);

    QString error;
    const QStringList entries = QString::fromUtf8(rangesLine).split(QLatin1Char(','));
    std::optional<querydeck::AddressRanges> ranges =
        querydeck::AddressRanges::parse(entries, &error);
    if (!ranges)
        ranges = querydeck::AddressRanges::parse({QStringLiteral("127.0.0.0/8")}, &error);

    for (const QByteArrayView peer :
         {QByteArrayView("127.0.0.1"), QByteArrayView("::1"), QByteArrayView("203.0.113.9")}) {
        const querydeck::ClientAddress::Origin origin =
            querydeck::ClientAddress::resolve(peer, header, *ranges);
        if (!origin.forwarded)
            continue;
        bool written = false;
        for (const QByteArray& entry : header.split(','))
            if (const auto parsed = querydeck::ClientAddress::parseEntry(entry))
                written = written || *parsed == origin.address;
        if (!written)
            std::abort(); // an address that no header entry names
    }
    return 0;
}
