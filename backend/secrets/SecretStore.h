#pragma once

#include "backend/common/SecretRef.h"

#include <QString>

namespace querydeck {

// The value a secret reference resolved to, or why it could not be resolved.
// `error` names the reference (entry or variable), never the value.
struct SecretResult
{
    QString value;
    QString error;
    bool ok() const { return error.isEmpty(); }
};

// Resolves secret references from the config file to their values. Callers
// hold a value only as long as they need it and never log it.
//
// Thread rules: see each implementation.
class SecretStore
{
public:
    virtual ~SecretStore() = default;

    virtual SecretResult read(const SecretRef& ref) = 0;
    // Stores `value` under `keychainKey`; returns an error, or an empty string.
    virtual QString write(const QString& keychainKey, const QString& value) = 0;

protected:
    // {"env": NAME}: the variable's value; unset, empty or badly named: an error naming it.
    static SecretResult readEnvironment(const QString& variable);
};

} // namespace querydeck
