#pragma once

#include <QString>

namespace querydeck {

// Turns the errors a Redis server gives about passwords (NOAUTH, WRONGPASS,
// AUTH without a configured password) into a sentence that says what to do
// and which config field holds the secret reference. Never sees the
// password itself. Plain functions; safe from any thread.
namespace RedisAuthError {

bool isAuthError(const QString& error);

// `error` as the client reported it; `field` the config field of the
// password reference (e.g. "console.redis.password"); `reference` how the
// reference reads ("keychain entry \"redis\""), empty when none is set.
// Errors that are not about passwords come back unchanged.
QString explain(const QString& error, const QString& field, const QString& reference);

} // namespace RedisAuthError

} // namespace querydeck
