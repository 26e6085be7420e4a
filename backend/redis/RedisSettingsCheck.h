#pragma once

#include "redis/RedisReply.h"

#include <QStringList>

namespace querydeck {

// The server settings packaging recommends for the shared cache, compared
// with what a running server reports through CONFIG GET. Plain functions.
namespace RedisSettingsCheck {

// The parameters to ask for, in one CONFIG GET.
QByteArrayList configGetCommand();

// One sentence per difference ("maxmemory-policy is noeviction; recommended:
// allkeys-lru ..."), empty when the server matches. A reply that is not a
// CONFIG GET array gives one sentence saying the check could not run.
QStringList differences(const RedisReply& configGetReply);

} // namespace RedisSettingsCheck

} // namespace querydeck
