#pragma once

#include <QString>

namespace querydeck {

// The `logging` block of the service config.

struct LoggingConfig
{
    QString level = QStringLiteral("info");  // trace | debug | info | warn | error | critical | off
    QString format = QStringLiteral("text"); // text | json
    bool logQueries = false;                 // query text at info level
    QString file;                            // empty: stderr

    friend bool operator==(const LoggingConfig&, const LoggingConfig&) = default;
};

} // namespace querydeck
