#pragma once

#include "backend/redis/RedisConnection.h"
#include "backend/scaling/PreflightCheck.h"

#include <memory>

namespace querydeck {

class MasterLocator;

// The shared Redis cache (cache.redis) answers: the locator finds the master
// (fixed address or Sentinel) and a connection does AUTH/SELECT/PING. The
// blocking hiredis work runs on a thread of its own, so a dead server costs
// the wizard its connect timeout, never a frozen window; `done` on the
// caller's thread.
class RedisReachableCheck final : public PreflightCheck
{
public:
    RedisReachableCheck(std::shared_ptr<MasterLocator> locator, RedisEndpoint endpoint);
    QString name() const override { return QStringLiteral("Redis reachable"); }
    void run(const ScaleRequest& request, QObject* context, Done done) override;

private:
    std::shared_ptr<MasterLocator> m_locator;
    RedisEndpoint m_endpoint;
};

} // namespace querydeck
