#pragma once

#include "backend/scaling/ScaleRequest.h"

#include <QObject>
#include <QString>
#include <functional>

namespace querydeck {

struct CheckResult
{
    enum class Level
    {
        Pass,
        Warn,
        Fail
    };
    Level level = Level::Pass;
    QString message;
};
QString checkLevelName(CheckResult::Level level);

// One pre-flight check of a scale request. run() may finish at once or
// later; it calls `done` exactly once, on the caller's thread.
class PreflightCheck
{
public:
    using Done = std::function<void(const CheckResult&)>;
    virtual ~PreflightCheck() = default;
    virtual QString name() const = 0;
    virtual void run(const ScaleRequest& request, QObject* context, Done done) = 0;
};

} // namespace querydeck
