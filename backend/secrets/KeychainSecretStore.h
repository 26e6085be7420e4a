#pragma once

#include "backend/secrets/SecretStore.h"

#include <chrono>

namespace querydeck {

// Secrets from the OS secret service through QtKeychain (service name
// "querydeck"), and from environment variables for {"env": ...} references.
// Each call is synchronous and bounded by a timeout; without a secret service
// (headless, no D-Bus session) it returns a clear error and never falls back to
// plain-text storage. After a secret service failed to answer once, later
// keychain calls in the process fail at once.
//
// Thread rules: callable from any thread, including threads without an event
// loop; QtKeychain jobs run on one internal thread. Blocks for up to the
// timeout, so keep it off the GUI thread except at start-up. Needs a
// QCoreApplication for keychain references (env references do not).
class KeychainSecretStore final : public SecretStore
{
public:
    static constexpr auto kServiceName = "querydeck";

    explicit KeychainSecretStore(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    SecretResult read(const SecretRef& ref) override;
    QString write(const QString& keychainKey, const QString& value) override;

private:
    std::chrono::milliseconds m_timeout;
};

} // namespace querydeck
