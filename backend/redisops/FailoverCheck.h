#pragma once

#include "backend/redisops/FailoverRequest.h"
#include "backend/redisops/RedisTopology.h"

#include <QList>
#include <QString>

namespace querydeck {

// One pre-check of a failover, with what was measured.
struct FailoverCheck
{
    enum class Status
    {
        Pass,
        Warn,
        Fail
    };
    QString name;
    Status status = Status::Pass;
    QString detail;

    // The checks for a request against a discovered topology. Any Fail
    // blocks the trigger; Warn (e.g. replication lag > 0 with the estimated
    // window of writes that would be lost) needs the operator's eyes only.
    static QList<FailoverCheck> evaluate(const RedisTopology& topology,
                                         const FailoverRequest& request);
    static bool allowTrigger(const QList<FailoverCheck>& checks);
};

} // namespace querydeck
