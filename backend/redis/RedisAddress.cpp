#include "backend/redis/RedisAddress.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace querydeck {

namespace {

constexpr int kMaxLength = 1024;

bool isHostName(const QString& host)
{
    if (host.isEmpty() || host.size() > 253)
        return false;
    static const QRegularExpression name(QStringLiteral(
        "^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*$"));
    return name.match(host).hasMatch();
}

// Digits only, within [min, max]; no sign, no spaces.
std::optional<int> number(const QString& text, int min, int max)
{
    if (text.isEmpty() || text.size() > 9)
        return std::nullopt;
    for (const QChar c : text)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    const int value = text.toInt();
    if (value < min || value > max)
        return std::nullopt;
    return value;
}

QString quoted(const QString& text)
{
    return QLatin1Char('"') + (text.size() > 80 ? text.left(77) + QStringLiteral("...") : text) +
           QLatin1Char('"');
}

} // namespace

QString RedisAddress::hostPort() const
{
    const bool v6 = host.contains(QLatin1Char(':'));
    return (v6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(host).arg(port);
}

RedisAddress RedisAddress::parse(const QString& text, QString* problem)
{
    problem->clear();
    const QString trimmed = text.trimmed();
    if (trimmed.contains(QLatin1String("://")) || trimmed.contains(QLatin1Char('@'))) {
        *problem = QStringLiteral("must be host:port without scheme or credentials (the password "
                                  "comes from the keychain), got %1")
                       .arg(quoted(trimmed.left(64)));
        return {};
    }
    const auto parsed = RedisAddressParser::parseHostPort(trimmed, 0);
    if (!parsed.ok()) {
        *problem = QStringLiteral("must be host:port: %1").arg(parsed.error);
        return {};
    }
    if (parsed.address.port == 0) {
        *problem = QStringLiteral("must be host:port, got %1 (no port)").arg(quoted(trimmed));
        return {};
    }
    return parsed.address;
}

RedisAddressParser::Parsed RedisAddressParser::parseHostPort(const QString& text, int defaultPort)
{
    Parsed result;
    if (text.trimmed().isEmpty()) {
        result.error = QStringLiteral("empty address; expected host:port");
        return result;
    }
    if (text.size() > kMaxLength) {
        result.error = QStringLiteral("address is %1 characters long; the limit is %2")
                           .arg(text.size())
                           .arg(kMaxLength);
        return result;
    }
    QString host;
    QString port;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1Char(']'));
        if (close < 0) {
            result.error = QStringLiteral("%1: missing ] after the IPv6 address").arg(quoted(text));
            return result;
        }
        host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':'))) {
                result.error =
                    QStringLiteral("%1: expected :port after the IPv6 address").arg(quoted(text));
                return result;
            }
            port = rest.mid(1);
            if (port.isEmpty()) {
                result.error = QStringLiteral("%1: empty port after ':'").arg(quoted(text));
                return result;
            }
        }
        if (QHostAddress(host).protocol() != QAbstractSocket::IPv6Protocol) {
            result.error =
                QStringLiteral("%1: %2 is not an IPv6 address").arg(quoted(text), quoted(host));
            return result;
        }
    } else {
        const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
        if (colon >= 0 && text.indexOf(QLatin1Char(':')) != colon) {
            result.error = QStringLiteral("%1: write an IPv6 address in brackets, e.g. [::1]:6379")
                               .arg(quoted(text));
            return result;
        }
        host = colon >= 0 ? text.left(colon) : text;
        if (colon >= 0) {
            port = text.mid(colon + 1);
            if (port.isEmpty()) {
                result.error = QStringLiteral("%1: empty port after ':'").arg(quoted(text));
                return result;
            }
        }
        if (host.isEmpty()) {
            result.error = QStringLiteral("%1: missing host before ':'").arg(quoted(text));
            return result;
        }
        if (QHostAddress(host).isNull() && !isHostName(host)) {
            result.error = QStringLiteral("%1: %2 is not a host name or IP address")
                               .arg(quoted(text), quoted(host));
            return result;
        }
    }
    result.address.host = host;
    result.address.port = defaultPort;
    if (!port.isEmpty()) {
        const auto value = number(port, 1, 65535);
        if (!value) {
            result.error = QStringLiteral("%1: port %2 is not a number from 1 to 65535")
                               .arg(quoted(text), quoted(port));
            return result;
        }
        result.address.port = *value;
    }
    return result;
}

RedisAddressParser::Parsed RedisAddressParser::parseUrl(const QString& url)
{
    Parsed result;
    static const QString scheme = QStringLiteral("redis://");
    if (url.trimmed().isEmpty()) {
        result.error = QStringLiteral("empty Redis URL; expected redis://host:port/db");
        return result;
    }
    if (url.size() > kMaxLength) {
        result.error = QStringLiteral("Redis URL is %1 characters long; the limit is %2")
                           .arg(url.size())
                           .arg(kMaxLength);
        return result;
    }
    if (!url.startsWith(scheme, Qt::CaseInsensitive)) {
        const QString shown =
            url.contains(QLatin1Char('@')) ? QStringLiteral("the URL") : quoted(url);
        result.error = url.startsWith(QLatin1String("rediss://"), Qt::CaseInsensitive)
                           ? QStringLiteral("rediss:// (TLS) is not supported; use redis://")
                           : QStringLiteral("%1 does not start with redis://").arg(shown);
        return result;
    }
    QString rest = url.mid(scheme.size());
    // Before anything is echoed: a password must never appear in a message.
    if (const qsizetype at = rest.lastIndexOf(QLatin1Char('@')); at >= 0) {
        result.error = QStringLiteral(
            "credentials in the Redis URL are refused (they would end up in shell history and "
            "process lists); store the password in the keychain and set cache.redis.password, e.g. "
            "{\"keychain\": \"redis\"}");
        return result;
    }
    QString dbText;
    if (const qsizetype slash = rest.indexOf(QLatin1Char('/')); slash >= 0) {
        dbText = rest.mid(slash + 1);
        rest = rest.left(slash);
    }
    if (rest.contains(QLatin1Char('?')) || dbText.contains(QLatin1Char('?'))) {
        result.error = QStringLiteral("%1: query parameters are not supported").arg(quoted(url));
        return result;
    }
    result = parseHostPort(rest, 6379);
    if (!result.ok()) {
        result.error = QStringLiteral("Redis URL %1: %2").arg(quoted(url), result.error);
        return result;
    }
    if (!dbText.isEmpty()) {
        const auto db = number(dbText, 0, kMaxDb);
        if (!db) {
            result.error = QStringLiteral("Redis URL %1: database %2 is not a number from 0 to %3")
                               .arg(quoted(url), quoted(dbText))
                               .arg(kMaxDb);
            return result;
        }
        result.address.db = *db;
    }
    return result;
}

RedisAddressParser::ParsedList RedisAddressParser::parseList(const QString& text, int defaultPort)
{
    ParsedList result;
    if (text.trimmed().isEmpty()) {
        result.error = QStringLiteral("empty list; expected host:port[,host:port...]");
        return result;
    }
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() > 64) {
        result.error = QStringLiteral("%1 addresses; the limit is 64").arg(parts.size());
        return result;
    }
    for (int i = 0; i < parts.size(); ++i) {
        const Parsed one = parseHostPort(parts[i].trimmed(), defaultPort);
        if (!one.ok()) {
            result.error = QStringLiteral("address %1: %2").arg(i + 1).arg(one.error);
            result.addresses.clear();
            return result;
        }
        result.addresses.push_back(one.address);
    }
    return result;
}

} // namespace querydeck
