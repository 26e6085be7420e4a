#pragma once

#include "backend/secrets/SecretStore.h"

#include <memory>
#include <mutex>
#include <optional>

namespace querydeck {

// One secret reference, read from a SecretStore on first use and kept in
// memory, so that several connections needing the same password (the
// console's Redis INFO, topology and failover connections) do not each ask
// the keychain. forget() drops the value after the server refused it, so the
// next read() picks up a corrected keychain entry. An unset reference reads
// as an empty value, without asking the store. The value is never logged.
//
// Thread rules: thread-safe. read() may block for the store's timeout (keep
// it off the GUI thread); the lock is not held while the store is asked.
class CachedSecret
{
public:
    CachedSecret(std::shared_ptr<SecretStore> store, SecretRef ref);

    bool isSet() const { return m_ref.isSet(); }
    const SecretRef& ref() const { return m_ref; }
    // Where the secret lives, for messages: keychain entry "x" / environment
    // variable "X"; empty when unset. Never the value.
    QString describe() const;
    SecretResult read();
    void forget();

private:
    const std::shared_ptr<SecretStore> m_store;
    const SecretRef m_ref;
    std::mutex m_mutex;
    std::optional<QString> m_value;
};

} // namespace querydeck
