#include "backend/scaling/PreflightCheck.h"

namespace querydeck {

QString checkLevelName(CheckResult::Level level)
{
    switch (level) {
    case CheckResult::Level::Pass:
        return QStringLiteral("pass");
    case CheckResult::Level::Warn:
        return QStringLiteral("warn");
    case CheckResult::Level::Fail:
        return QStringLiteral("fail");
    }
    return {};
}

} // namespace querydeck
