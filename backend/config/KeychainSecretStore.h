#pragma once

#include "config/SecretStore.h"

#include <chrono>

namespace querydeck {

// Secrets from the OS secret service through QtKeychain (service name
// "querydeck"), and from environment variables for {"env": ...} references.
// Each call runs the QtKeychain job to completion in a local event loop,
// bounded by a timeout; without a secret service (headless, no D-Bus session)
// it returns a clear error — it never falls back to plain-text storage.
//
// Thread rules: blocking; call at start-up or from a worker thread, not from
// the GUI thread while it must stay responsive. Needs a QCoreApplication. One
// call at a time per object; separate objects may run on separate threads.
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
