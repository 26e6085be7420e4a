#include "backend/secrets/CachedSecret.h"

namespace querydeck {

CachedSecret::CachedSecret(std::shared_ptr<SecretStore> store, SecretRef ref)
    : m_store(std::move(store))
    , m_ref(std::move(ref))
{
}

SecretResult CachedSecret::read()
{
    if (!m_ref.isSet())
        return {};
    {
        const std::lock_guard lock(m_mutex);
        if (m_value)
            return {*m_value, {}};
    }
    const SecretResult result =
        m_store ? m_store->read(m_ref) : SecretResult{{}, QStringLiteral("no secret store")};
    if (result.ok()) {
        const std::lock_guard lock(m_mutex);
        m_value = result.value;
    }
    return result;
}

QString CachedSecret::describe() const
{
    if (!m_ref.keychainKey.isEmpty())
        return QStringLiteral("keychain entry \"%1\"").arg(m_ref.keychainKey);
    if (!m_ref.envVar.isEmpty())
        return QStringLiteral("environment variable \"%1\"").arg(m_ref.envVar);
    return {};
}

void CachedSecret::forget()
{
    const std::lock_guard lock(m_mutex);
    m_value.reset();
}

} // namespace querydeck
