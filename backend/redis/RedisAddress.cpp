#include "redis/RedisAddress.h"

#include <QRegularExpression>

namespace querydeck {

RedisAddress RedisAddress::parse(const QString& text, QString* problem)
{
    problem->clear();
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *problem = QStringLiteral("must be host:port, got an empty string");
        return {};
    }
    if (trimmed.size() > 261) {
        *problem = QStringLiteral("must be host:port, got %1 characters").arg(trimmed.size());
        return {};
    }
    if (trimmed.contains(QLatin1String("://")) || trimmed.contains(QLatin1Char('@'))) {
        *problem = QStringLiteral("must be host:port without scheme or credentials (the password "
                                  "comes from the keychain), got \"%1\"")
                       .arg(trimmed.left(64));
        return {};
    }
    const qsizetype colon = trimmed.lastIndexOf(QLatin1Char(':'));
    // A hostname or IPv4 address; IPv6 in brackets.
    static const QRegularExpression hostPattern(
        QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$"));
    QString host = colon > 0 ? trimmed.left(colon) : QString();
    if (!hostPattern.match(host).hasMatch()) {
        *problem = QStringLiteral("must be host:port, got \"%1\"").arg(trimmed.left(64));
        return {};
    }
    bool ok = false;
    const int port = trimmed.mid(colon + 1).toInt(&ok);
    if (!ok || port < 1 || port > 65535) {
        *problem =
            QStringLiteral("port must be 1-65535, got \"%1\"").arg(trimmed.mid(colon + 1).left(16));
        return {};
    }
    if (host.startsWith(QLatin1Char('[')))
        host = host.mid(1, host.size() - 2);
    return {host, port};
}

} // namespace querydeck
