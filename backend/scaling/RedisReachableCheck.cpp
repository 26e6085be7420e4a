#include "backend/scaling/RedisReachableCheck.h"

#include "backend/redis/MasterLocator.h"

#include <QPointer>
#include <QThread>
#include <memory>
#include <optional>

namespace querydeck {

RedisReachableCheck::RedisReachableCheck(std::shared_ptr<MasterLocator> locator,
                                         RedisEndpoint endpoint)
    : m_locator(std::move(locator))
    , m_endpoint(std::move(endpoint))
{
}

void RedisReachableCheck::run(const ScaleRequest&, QObject* context, Done done)
{
    auto result = std::make_shared<CheckResult>();
    QThread* worker = QThread::create([locator = m_locator, endpoint = m_endpoint, result] {
        QString error;
        const std::optional<RedisAddress> master = locator->locate(&error);
        if (!master) {
            *result = {
                CheckResult::Level::Fail,
                QStringLiteral("no Redis master via %1: %2").arg(locator->describe(), error)};
            return;
        }
        RedisEndpoint target = endpoint;
        target.address = *master;
        if (!RedisConnection::connect(target, &error))
            *result = {CheckResult::Level::Fail,
                       QStringLiteral("Redis %1 not reachable: %2").arg(master->hostPort(), error)};
        else
            *result = {CheckResult::Level::Pass,
                       QStringLiteral("Redis %1 answers PING").arg(master->hostPort())};
    });
    QObject::connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    QObject::connect(worker, &QThread::finished, context, [result, done] { done(*result); });
    worker->start();
}

} // namespace querydeck
