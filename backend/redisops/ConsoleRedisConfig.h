#pragma once

#include "backend/common/SecretRef.h"

#include <QString>

namespace querydeck {

// console.redis written as an object: besides its "address", the Sentinel
// set that manages it (the Redis dock shows that topology and the failover
// wizard starts from it) and the password of the data servers, a secret
// reference (never sent to sentinels).
struct ConsoleRedisConfig
{
    QString sentinels; // host:port[,host:port...]; with masterName
    QString masterName;
    SecretRef password;
    SecretRef sentinelPassword; // the sentinels' own requirepass, if they have one
    int refreshMs = 5000;       // the Redis dock's topology refresh

    friend bool operator==(const ConsoleRedisConfig&, const ConsoleRedisConfig&) = default;
};

} // namespace querydeck
