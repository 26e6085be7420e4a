#pragma once

#include "backend/redis/RedisAddress.h"

#include <QString>
#include <optional>

namespace querydeck {

// Where the Redis master is now: a fixed address (--redis) or whatever the
// Sentinels say (--redis-sentinel). Thread-safe implementations; locate()
// may block for a few connect timeouts.
class MasterLocator
{
public:
    virtual ~MasterLocator() = default;
    virtual std::optional<RedisAddress> locate(QString* error) = 0;
    virtual QString describe() const = 0;
};

class FixedMasterLocator final : public MasterLocator
{
public:
    explicit FixedMasterLocator(RedisAddress address)
        : m_address(std::move(address))
    {
    }
    std::optional<RedisAddress> locate(QString*) override { return m_address; }
    QString describe() const override { return m_address.hostPort(); }

private:
    const RedisAddress m_address;
};

} // namespace querydeck
