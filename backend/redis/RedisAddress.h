#pragma once

#include <QString>

namespace querydeck {

// "host:port" of a Redis server or Sentinel, as written in the config file
// and typed in the failover wizard. Plain value.
struct RedisAddress
{
    QString host;
    int port = 0;

    bool isValid() const { return !host.isEmpty() && port > 0; }
    QString toString() const { return QStringLiteral("%1:%2").arg(host).arg(port); }

    // Empty *problem on success; otherwise it says what is wrong with the text.
    static RedisAddress parse(const QString& text, QString* problem);
};

} // namespace querydeck
