#pragma once

#include "backend/secrets/SecretStore.h"

namespace querydeck::test {

// Secret references as a config file names them, for the tests of what
// resolves them (the stores, CachedSecret).
inline SecretRef keychainRef(const QString& key)
{
    SecretRef ref;
    ref.keychainKey = key;
    return ref;
}

inline SecretRef envRef(const QString& variable)
{
    SecretRef ref;
    ref.envVar = variable;
    return ref;
}

} // namespace querydeck::test
