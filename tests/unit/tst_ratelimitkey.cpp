// Who a /v1/query request is charged to: the trusted-proxy ranges
// (AddressRanges), the X-Forwarded-For walk (ClientAddress), the bucket keys
// (RateLimitKeys) and the two-level limiter (ClientRateLimiter) on a fake
// clock. The hostile client of issue 12 — a fresh `client` per request, a
// spoofed X-Forwarded-For — must land in the bucket of its real address.
#include "ManualClock.h"
#include "backend/common/AddressRanges.h"
#include "backend/service/ClientAddress.h"
#include "backend/service/ClientRateLimiter.h"
#include "backend/service/RateLimitKey.h"

#include <QRandomGenerator>
#include <QTest>

using namespace querydeck;

namespace {

AddressRanges ranges(const QStringList& entries)
{
    QString error;
    const std::optional<AddressRanges> parsed = AddressRanges::parse(entries, &error);
    if (!parsed)
        qFatal("bad ranges in the test: %s", qPrintable(error));
    return *parsed;
}

// The proxies of the examples below: the fleet's nginx and a private network.
AddressRanges proxies()
{
    return ranges(
        {QStringLiteral("127.0.0.1/32"), QStringLiteral("10.0.0.0/8"), QStringLiteral("fd00::/8")});
}

RateLimitConfig limits(double rate, double burst)
{
    RateLimitConfig config;
    config.ratePerSecond = rate;
    config.burst = burst;
    config.maxClients = 1000;
    return config;
}

// Requests allowed before the first refusal (at most `cap`), each derived anew.
int allowedInARow(ClientRateLimiter& limiter, const std::function<RateLimitKey(int)>& keyFor,
                  int cap = 1000)
{
    for (int i = 0; i < cap; ++i)
        if (!limiter.acquire(keyFor(i)).allowed)
            return i;
    return cap;
}

} // namespace

class TestRateLimitKey : public QObject
{
    Q_OBJECT

private slots:
    void addressParsing_data();
    void addressParsing();
    void rangeMatching_data();
    void rangeMatching();
    void resolve_data();
    void resolve();
    void hostileHeadersAreBounded_data();
    void hostileHeadersAreBounded();
    void randomHeadersKeepInvariants();
    void bucketKeys_data();
    void bucketKeys();
    void freshClientIdsShareTheAddressBucket();
    void spoofedForwardedForDoesNotEscape();
    void addressesHaveSeparateBuckets();
    void clientSubBucketSubdividesButNeverEscapes();
    void tokenJoinsTheKey();
    void ipv6NetworkSharesOneBucket();
};

void TestRateLimitKey::addressParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // empty: refused

    QTest::newRow("ipv4") << "203.0.113.7"
                          << "203.0.113.7";
    QTest::newRow("ipv6 compressed") << "2001:DB8:0:0::1"
                                     << "2001:db8::1";
    QTest::newRow("ipv4-mapped") << "::ffff:203.0.113.7"
                                 << "203.0.113.7";
    QTest::newRow("ipv4-mapped hex") << "::ffff:cb00:7107"
                                     << "203.0.113.7";
    QTest::newRow("loopback v6") << "::1"
                                 << "::1";
    QTest::newRow("inet_aton shorthand") << "127.1"
                                         << "";
    QTest::newRow("three parts") << "1.2.3"
                                 << "";
    QTest::newRow("octal-looking") << "010.1.1.1"
                                   << "";
    QTest::newRow("hex octet") << "0x7f.0.0.1"
                               << "";
    QTest::newRow("octet too big") << "1.2.3.256"
                                   << "";
    QTest::newRow("scope id") << "fe80::1%eth0"
                              << "";
    QTest::newRow("name") << "localhost"
                          << "";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("blank inside") << "1.2.3.4 "
                                  << "";
}

void TestRateLimitKey::addressParsing()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const std::optional<QHostAddress> parsed = AddressRanges::parseAddress(text);
    QCOMPARE(parsed ? parsed->toString() : QString(), expected);
}

void TestRateLimitKey::rangeMatching_data()
{
    QTest::addColumn<QStringList>("ranges");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("contained");

    const QStringList fleet{QStringLiteral("127.0.0.1/32"), QStringLiteral("10.0.0.0/8")};
    QTest::newRow("exact") << fleet << "127.0.0.1" << true;
    QTest::newRow("other loopback") << fleet << "127.0.0.2" << false;
    QTest::newRow("in /8") << fleet << "10.200.3.4" << true;
    QTest::newRow("outside /8") << fleet << "11.0.0.1" << false;
    QTest::newRow("mapped peer in range") << fleet << "::ffff:10.1.2.3" << true;
    QTest::newRow("v6 vs v4 range") << fleet << "::1" << false;
    const QStringList v6{QStringLiteral("2001:db8::/32"), QStringLiteral("::1")};
    QTest::newRow("v6 in range") << v6 << "2001:db8:ffff::9" << true;
    QTest::newRow("v6 outside") << v6 << "2001:db9::1" << false;
    QTest::newRow("single v6") << v6 << "::1" << true;
    const QStringList mapped{QStringLiteral("::ffff:192.0.2.0/120")};
    QTest::newRow("mapped range matches v4") << mapped << "192.0.2.77" << true;
    QTest::newRow("mapped range, v4 outside") << mapped << "192.0.3.1" << false;
}

void TestRateLimitKey::rangeMatching()
{
    QFETCH(QStringList, ranges);
    QFETCH(QString, address);
    QFETCH(bool, contained);
    QCOMPARE(::ranges(ranges).contains(QHostAddress(address)), contained);
}

void TestRateLimitKey::resolve_data()
{
    QTest::addColumn<QByteArray>("peer");
    QTest::addColumn<QByteArray>("forwardedFor");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("forwarded");

    // Untrusted peers: the header is never read.
    QTest::newRow("direct, no header")
        << QByteArray("198.51.100.4") << QByteArray() << "198.51.100.4" << false;
    QTest::newRow("direct, spoofed header")
        << QByteArray("198.51.100.4") << QByteArray("203.0.113.99") << "198.51.100.4" << false;
    QTest::newRow("direct mapped peer")
        << QByteArray("::ffff:198.51.100.4") << QByteArray("1.1.1.1") << "198.51.100.4" << false;
    // The fleet's nginx: the header names the client.
    QTest::newRow("nginx, one entry")
        << QByteArray("127.0.0.1") << QByteArray("198.51.100.4") << "198.51.100.4" << true;
    QTest::newRow("nginx, no header")
        << QByteArray("127.0.0.1") << QByteArray() << "127.0.0.1" << false;
    QTest::newRow("nginx, blank header")
        << QByteArray("127.0.0.1") << QByteArray(" , ,") << "127.0.0.1" << false;
    // An appending proxy: whatever the client wrote sits to the left.
    QTest::newRow("spoofed leftmost entries")
        << QByteArray("127.0.0.1") << QByteArray("1.1.1.1, 2.2.2.2, 198.51.100.4") << "198.51.100.4"
        << true;
    QTest::newRow("chain of trusted proxies")
        << QByteArray("127.0.0.1") << QByteArray("6.6.6.6, 198.51.100.4, 10.0.0.7, 10.1.0.9")
        << "198.51.100.4" << true;
    QTest::newRow("spoofed trusted-looking entry left of the client")
        << QByteArray("127.0.0.1") << QByteArray("10.0.0.5, 198.51.100.4") << "198.51.100.4"
        << true;
    QTest::newRow("all trusted: leftmost")
        << QByteArray("127.0.0.1") << QByteArray("10.0.0.1, 10.0.0.2") << "10.0.0.1" << true;
    QTest::newRow("no spaces") << QByteArray("10.9.9.9") << QByteArray("5.5.5.5,198.51.100.4")
                               << "198.51.100.4" << true;
    QTest::newRow("ipv4 with port")
        << QByteArray("127.0.0.1") << QByteArray("198.51.100.4:51234") << "198.51.100.4" << true;
    QTest::newRow("bracketed ipv6 with port")
        << QByteArray("127.0.0.1") << QByteArray("[2001:db8::5]:443") << "2001:db8::5" << true;
    QTest::newRow("ipv6 entry, mapped normalised")
        << QByteArray("fd00::1") << QByteArray("::ffff:198.51.100.4") << "198.51.100.4" << true;
    // Malformed: stop at the last address read, which is a trusted hop.
    QTest::newRow("garbage rightmost")
        << QByteArray("127.0.0.1") << QByteArray("198.51.100.4, garbage") << "127.0.0.1" << false;
    QTest::newRow("garbage behind a trusted hop")
        << QByteArray("127.0.0.1") << QByteArray("198.51.100.4, junk, 10.0.0.3") << "10.0.0.3"
        << true;
    QTest::newRow("garbage left of the client")
        << QByteArray("127.0.0.1") << QByteArray("<script>, 198.51.100.4") << "198.51.100.4"
        << true;
    QTest::newRow("unknown") << QByteArray("127.0.0.1") << QByteArray("unknown") << "127.0.0.1"
                             << false;
    QTest::newRow("shorthand entry")
        << QByteArray("127.0.0.1") << QByteArray("127.1") << "127.0.0.1" << false;
    QTest::newRow("bad port") << QByteArray("127.0.0.1") << QByteArray("198.51.100.4:99999")
                              << "127.0.0.1" << false;
    QTest::newRow("unbracketed ipv6 with port-like tail")
        << QByteArray("127.0.0.1") << QByteArray("2001:db8::5:443") << "2001:db8::5:443" << true;
    QTest::newRow("brackets around ipv4")
        << QByteArray("127.0.0.1") << QByteArray("[198.51.100.4]") << "127.0.0.1" << false;
    QTest::newRow("unreadable peer")
        << QByteArray("not-an-address") << QByteArray("1.2.3.4") << QString() << false;
}

void TestRateLimitKey::resolve()
{
    QFETCH(QByteArray, peer);
    QFETCH(QByteArray, forwardedFor);
    QFETCH(QString, expected);
    QFETCH(bool, forwarded);
    const ClientAddress::Origin origin = ClientAddress::resolve(peer, forwardedFor, proxies());
    QCOMPARE(origin.address.isNull() ? QString() : origin.address.toString(), expected);
    QCOMPARE(origin.forwarded, forwarded);
}

void TestRateLimitKey::hostileHeadersAreBounded_data()
{
    QTest::addColumn<QByteArray>("forwardedFor");
    QTest::addColumn<QString>("expected");

    // Thousands of trusted entries: the walk stops after kMaxHops, on a trusted one.
    QByteArray trustedFlood;
    for (int i = 0; i < 5000; ++i)
        trustedFlood +=
            "10.0." + QByteArray::number(i / 250) + '.' + QByteArray::number(i % 250 + 1) + ", ";
    trustedFlood.chop(2);
    QTest::newRow("5000 trusted entries")
        << trustedFlood << QStringLiteral("10.0.19.%1").arg(250 - ClientAddress::kMaxHops + 1);
    // Thousands of spoofed entries left of the real client: only the client is read.
    QByteArray spoofFlood;
    for (int i = 0; i < 5000; ++i)
        spoofFlood += "203.0.113." + QByteArray::number(i % 250) + ", ";
    QTest::newRow("5000 spoofed entries") << spoofFlood + "198.51.100.4"
                                          << "198.51.100.4";
    QTest::newRow("1 MiB without a comma") << QByteArray(1 << 20, '7') << "127.0.0.1";
    QTest::newRow("1 MiB of commas") << QByteArray(1 << 20, ',') << "127.0.0.1";
    QTest::newRow("1 MiB of blanks") << QByteArray(1 << 20, ' ') << "127.0.0.1";
    QTest::newRow("oversized entry then client") << QByteArray(200, 'a') + ", 198.51.100.4"
                                                 << "198.51.100.4";
    QTest::newRow("oversized rightmost entry")
        << "198.51.100.4, " + QByteArray(200, '1') << "127.0.0.1";
    QTest::newRow("binary") << QByteArray("\x00\xff\x01,\xfe", 5) << "127.0.0.1";
}

void TestRateLimitKey::hostileHeadersAreBounded()
{
    QFETCH(QByteArray, forwardedFor);
    QFETCH(QString, expected);
    QCOMPARE(ClientAddress::resolve("127.0.0.1", forwardedFor, proxies()).address.toString(),
             expected);
}

// Random headers from trusted, untrusted and malformed entries (a fixed seed,
// so a failure repeats): the result is always the peer or one of the
// entries, and once the walk found an untrusted client, nothing a client can
// put to its left changes the answer.
void TestRateLimitKey::randomHeadersKeepInvariants()
{
    QRandomGenerator random(12);
    const QList<QByteArray> pool{
        "127.0.0.1",   "10.0.0.1",        "10.255.0.9", "fd00::7", "198.51.100.4", "203.0.113.9",
        "2001:db8::1", "::ffff:10.0.0.2", "garbage",    "",        "1.2.3",        "[::1]:80",
        "unknown",     "198.51.100.4:1",  " ",          "a,b"};
    const auto randomHeader = [&] {
        QByteArrayList entries;
        const int count = int(random.bounded(25));
        for (int i = 0; i < count; ++i)
            entries << pool.at(int(random.bounded(pool.size())));
        return entries.join(random.bounded(2) ? ", " : ",");
    };
    const AddressRanges trusted = proxies();
    int escapesChecked = 0;
    for (int round = 0; round < 20000; ++round) {
        const QByteArray peer = random.bounded(4) ? QByteArray("127.0.0.1") : "198.51.100.50";
        const QByteArray header = randomHeader();
        const ClientAddress::Origin origin = ClientAddress::resolve(peer, header, trusted);
        QVERIFY(!origin.address.isNull());
        const QString address = origin.address.toString();
        if (!origin.forwarded) {
            QCOMPARE(address, QString::fromLatin1(peer));
            continue;
        }
        bool isEntry = false;
        for (const QByteArray& entry : header.split(','))
            isEntry = isEntry || (ClientAddress::parseEntry(entry) &&
                                  ClientAddress::parseEntry(entry)->toString() == address);
        QVERIFY2(isEntry, header.constData());
        if (!trusted.contains(origin.address)) {
            const QByteArray spoofed = randomHeader() + ", " + header;
            QCOMPARE(ClientAddress::resolve(peer, spoofed, trusted).address.toString(), address);
            ++escapesChecked;
        }
    }
    QVERIFY2(escapesChecked > 1000, "the generator must reach an untrusted client often");
}

void TestRateLimitKey::bucketKeys_data()
{
    QTest::addColumn<QByteArray>("peer");
    QTest::addColumn<QByteArray>("forwardedFor");
    QTest::addColumn<QByteArray>("credential");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("bucket");
    QTest::addColumn<QString>("clientBucket");

    QTest::newRow("direct peer") << QByteArray("198.51.100.4") << QByteArray() << QByteArray()
                                 << QString() << "198.51.100.4"
                                 << "198.51.100.4" << QString();
    QTest::newRow("client names a sub-bucket")
        << QByteArray("198.51.100.4") << QByteArray() << QByteArray() << "alice"
        << "198.51.100.4"
        << "198.51.100.4"
        << "198.51.100.4|c:alice";
    QTest::newRow("client cannot pose as an address")
        << QByteArray("198.51.100.4") << QByteArray() << QByteArray() << "203.0.113.9"
        << "198.51.100.4"
        << "198.51.100.4"
        << "198.51.100.4|c:203.0.113.9";
    QTest::newRow("through nginx")
        << QByteArray("127.0.0.1") << QByteArray("198.51.100.4") << QByteArray() << "bob"
        << "198.51.100.4"
        << "198.51.100.4"
        << "198.51.100.4|c:bob";
    QTest::newRow("token on") << QByteArray("198.51.100.4") << QByteArray()
                              << QByteArray("t:0123456789abcdef") << "bob"
                              << "198.51.100.4"
                              << "t:0123456789abcdef|198.51.100.4"
                              << "t:0123456789abcdef|198.51.100.4|c:bob";
    QTest::newRow("ipv6 grouped by /64")
        << QByteArray("2001:db8:1:2:aaaa:bbbb:cccc:dddd") << QByteArray() << QByteArray()
        << QString() << "2001:db8:1:2:aaaa:bbbb:cccc:dddd"
        << "2001:db8:1:2::/64" << QString();
    QTest::newRow("ipv4-mapped peer") << QByteArray("::ffff:198.51.100.4") << QByteArray()
                                      << QByteArray() << QString() << "198.51.100.4"
                                      << "198.51.100.4" << QString();
}

void TestRateLimitKey::bucketKeys()
{
    QFETCH(QByteArray, peer);
    QFETCH(QByteArray, forwardedFor);
    QFETCH(QByteArray, credential);
    QFETCH(QString, client);
    QFETCH(QString, address);
    QFETCH(QString, bucket);
    QFETCH(QString, clientBucket);
    const RateLimitKeys keys(proxies(), 64);
    const RateLimitKey key = keys.derive(peer, forwardedFor, credential, client);
    QCOMPARE(key.address, address);
    QCOMPARE(key.bucket, bucket);
    QCOMPARE(key.clientBucket, clientBucket);
}

// The report: 300 requests, each with a fresh `client`, all answered at full
// speed. Now the 41st meets the limit exactly as with one fixed client.
void TestRateLimitKey::freshClientIdsShareTheAddressBucket()
{
    const RateLimitKeys keys(proxies(), 64);
    for (const bool fresh : {false, true}) {
        ManualClock clock;
        ClientRateLimiter limiter(limits(20, 40), clock.clock());
        const auto keyFor = [&](int i) {
            return keys.derive("198.51.100.4", {}, {},
                               fresh ? QStringLiteral("client-%1").arg(i)
                                     : QStringLiteral("client"));
        };
        QCOMPARE(allowedInARow(limiter, keyFor, 300), 40);
        // Refilled at 20/s: half a second later, 10 more, fresh ids or not.
        clock.advance(500);
        QCOMPARE(allowedInARow(limiter, [&](int i) { return keyFor(1000 + i); }), 10);
    }
}

void TestRateLimitKey::spoofedForwardedForDoesNotEscape()
{
    const RateLimitKeys keys(proxies(), 64);
    ManualClock clock;
    ClientRateLimiter limiter(limits(20, 40), clock.clock());
    // Directly, a made-up header per request is ignored.
    QCOMPARE(allowedInARow(limiter,
                           [&](int i) {
                               return keys.derive(
                                   "198.51.100.4",
                                   QStringLiteral("203.0.113.%1").arg(i % 250).toLatin1(), {},
                                   QStringLiteral("c%1").arg(i));
                           }),
             40);
    // Through nginx (appending or not), the spoofed entries left of the
    // client's real address change nothing: that bucket is already empty.
    QCOMPARE(
        allowedInARow(
            limiter,
            [&](int i) {
                return keys.derive(
                    "127.0.0.1",
                    QStringLiteral("10.0.0.9, 203.0.113.%1, 198.51.100.4").arg(i % 250).toLatin1(),
                    {}, {});
            }),
        0);
}

void TestRateLimitKey::addressesHaveSeparateBuckets()
{
    const RateLimitKeys keys(proxies(), 64);
    ManualClock clock;
    ClientRateLimiter limiter(limits(1, 5), clock.clock());
    const auto via = [&](QByteArrayView peer, QByteArrayView xff) {
        return [&keys, peer, xff](int) { return keys.derive(peer, xff, {}, {}); };
    };
    QCOMPARE(allowedInARow(limiter, via("127.0.0.1", "198.51.100.2")), 5);
    QCOMPARE(allowedInARow(limiter, via("127.0.0.1", "198.51.100.3")), 5);
    // The same client directly is the same bucket as through nginx.
    QCOMPARE(allowedInARow(limiter, via("198.51.100.2", "")), 0);
    // nginx's own requests (no header) are nginx's bucket.
    QCOMPARE(allowedInARow(limiter, via("127.0.0.1", "")), 5);
}

void TestRateLimitKey::clientSubBucketSubdividesButNeverEscapes()
{
    const RateLimitKeys keys(proxies(), 64);
    ManualClock clock;
    RateLimitConfig config = limits(1, 10);
    config.clientRatePerSecond = 1;
    config.clientBurst = 3;
    ClientRateLimiter limiter(config, clock.clock());
    QVERIFY(limiter.limitsClients());
    const auto as = [&](const QString& client) {
        return [&keys, client](int) { return keys.derive("198.51.100.4", {}, {}, client); };
    };
    // One client inside the address: its own smaller budget.
    QCOMPARE(allowedInARow(limiter, as(QStringLiteral("alice"))), 3);
    // Its refusal still cost the address a token: 10 - 3 - 1 = 6 left, and
    // another client gets min(its 3, the address's 6).
    QCOMPARE(allowedInARow(limiter, as(QStringLiteral("bob"))), 3);
    QCOMPARE(allowedInARow(limiter, as(QStringLiteral("carol"))), 2);
    // The address is spent: fresh ids get nothing, nor does an anonymous request.
    QCOMPARE(allowedInARow(limiter,
                           [&](int i) {
                               return keys.derive("198.51.100.4", {}, {},
                                                  QStringLiteral("fresh-%1").arg(i));
                           }),
             0);
    QCOMPARE(allowedInARow(limiter, as(QString())), 0);
    // Sub-buckets off (the default): the client field is attribution only.
    ClientRateLimiter plain(limits(1, 10), clock.clock());
    QVERIFY(!plain.limitsClients());
    QCOMPARE(allowedInARow(plain, as(QStringLiteral("alice"))), 10);
}

void TestRateLimitKey::tokenJoinsTheKey()
{
    const QByteArray credential = RateLimitKeys::credentialOf("s3cret-token");
    QVERIFY(credential.startsWith("t:"));
    QCOMPARE(credential.size(), 2 + 16);
    QVERIFY(!credential.contains("s3cret"));
    QCOMPARE(RateLimitKeys::credentialOf("s3cret-token"), credential);
    QVERIFY(RateLimitKeys::credentialOf("other-token") != credential);

    const RateLimitKeys keys(proxies(), 64);
    ManualClock clock;
    ClientRateLimiter limiter(limits(1, 4), clock.clock());
    const auto with = [&](QByteArrayView token, QByteArrayView peer) {
        const QByteArray id = token.isEmpty() ? QByteArray() : RateLimitKeys::credentialOf(token);
        return [&keys, id, peer](int i) {
            return keys.derive(peer, {}, id, QStringLiteral("fresh-%1").arg(i));
        };
    };
    QCOMPARE(allowedInARow(limiter, with("token-a", "198.51.100.4")), 4);
    // Same token, fresh client ids: still that token's bucket at that address.
    QCOMPARE(allowedInARow(limiter, with("token-a", "198.51.100.4")), 0);
    // Another token holder at the same address, and the same token elsewhere.
    QCOMPARE(allowedInARow(limiter, with("token-b", "198.51.100.4")), 4);
    QCOMPARE(allowedInARow(limiter, with("token-a", "198.51.100.5")), 4);
}

void TestRateLimitKey::ipv6NetworkSharesOneBucket()
{
    ManualClock clock;
    ClientRateLimiter limiter(limits(1, 5), clock.clock());
    const RateLimitKeys by64({}, 64);
    // A host rotating through its /64 stays in one bucket.
    QCOMPARE(allowedInARow(limiter,
                           [&](int i) {
                               return by64.derive(
                                   QStringLiteral("2001:db8:1:2::%1").arg(i + 1, 0, 16).toLatin1(),
                                   {}, {}, {});
                           }),
             5);
    QCOMPARE(
        allowedInARow(limiter, [&](int) { return by64.derive("2001:db8:1:3::1", {}, {}, {}); }), 5);
    // With /128, every address is its own client.
    const RateLimitKeys by128({}, 128);
    QCOMPARE(by128.derive("2001:db8:1:2::1", {}, {}, {}).bucket, QStringLiteral("2001:db8:1:2::1"));
    QCOMPARE(by128.derive("2001:db8:1:2::2", {}, {}, {}).bucket, QStringLiteral("2001:db8:1:2::2"));
}

QTEST_GUILESS_MAIN(TestRateLimitKey)
#include "tst_ratelimitkey.moc"
