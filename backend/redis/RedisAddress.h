#pragma once

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace querydeck {

// A Redis (or Sentinel) server address: host, port and database.
struct RedisAddress
{
    QString host;
    int port = 6379;
    int db = 0;

    QString hostPort() const;
    friend bool operator==(const RedisAddress&, const RedisAddress&) = default;
};

// Parses the address forms of the command line and config file. Every error
// names what was wrong and repeats the offending part (never a password).
// Pure functions; safe from any thread.
class RedisAddressParser
{
public:
    struct Parsed
    {
        RedisAddress address;
        QString error;
        bool ok() const { return error.isEmpty(); }
    };
    struct ParsedList
    {
        std::vector<RedisAddress> addresses;
        QString error;
        bool ok() const { return error.isEmpty(); }
    };

    // redis://host[:port][/db]. A password in the URL is refused: it would
    // end up in shell history, process lists and config files.
    static Parsed parseUrl(const QString& url);
    // host:port (IPv6 as [addr]:port); defaultPort when the port is absent.
    static Parsed parseHostPort(const QString& text, int defaultPort);
    // host:port[,host:port...], as for --redis-sentinel.
    static ParsedList parseList(const QString& text, int defaultPort);

    static constexpr int kMaxDb = 1'000'000;
};

} // namespace querydeck
