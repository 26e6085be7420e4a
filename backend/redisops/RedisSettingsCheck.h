#pragma once

#include "backend/redis/RedisReply.h"

#include <QStringList>

namespace querydeck {

// The server settings packaging recommends for the shared cache, compared
// with what a running server reports through CONFIG GET. Plain functions.
namespace RedisSettingsCheck {

// Where the recommendation is written down, relative to the source tree.
inline constexpr char kRecommendedFile[] = "packaging/redis/redis.conf";

// One setting that differs: what the server has, what is recommended, why.
struct Difference
{
    QString name;
    QString actual; // "empty" for an empty value, "not reported" when absent
    QString recommended;
    QString why;
    bool reported = true; // false: the server did not list the parameter
};

// The settings that differ from the recommendation; empty when it matches.
// A reply that is not a CONFIG GET array sets *error and returns nothing.
QList<Difference> compare(const RedisReply& configGetReply, QString* error);

// The parameters to ask for, in one CONFIG GET.
QByteArrayList configGetCommand();

// One sentence per difference ("maxmemory-policy is noeviction; recommended:
// allkeys-lru ..."), empty when the server matches. A reply that is not a
// CONFIG GET array gives one sentence saying the check could not run.
QStringList differences(const RedisReply& configGetReply);

} // namespace RedisSettingsCheck

} // namespace querydeck
