#pragma once

#include "backend/fleet/LocalFleetOptions.h"
#include "backend/redis/RedisConnection.h"
#include "backend/scaling/PreflightCheck.h"

#include <memory>

namespace querydeck {

class MasterLocator;

// `nginx -t` of the front-door config the local set would write for the
// target count: the template rendered with every target replica's address
// into a scratch prefix, checked by the configured nginx binary. Fails with
// nginx's own words when the template, the binary or the values are wrong.
// Asynchronous (QProcess parented to the context); `done` on the caller's thread.
class NginxConfigCheck final : public PreflightCheck
{
public:
    explicit NginxConfigCheck(LocalFleetOptions options);
    QString name() const override { return QStringLiteral("nginx -t"); }
    void run(const ScaleRequest& request, QObject* context, Done done) override;

private:
    LocalFleetOptions m_options;
};

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
