#pragma once

#include <QString>

namespace querydeck {

// A reference to a secret kept outside the config file: an entry in the OS
// keychain (QtKeychain) or, for headless servers without a secret service, an
// environment variable. The config file holds only the reference.
struct SecretRef
{
    QString keychainKey; // "keychain": entry name under the "querydeck" service
    QString envVar;      // "env": variable name

    bool isSet() const { return !keychainKey.isEmpty() || !envVar.isEmpty(); }

    friend bool operator==(const SecretRef&, const SecretRef&) = default;
};

} // namespace querydeck
