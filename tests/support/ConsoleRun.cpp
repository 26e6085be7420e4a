#include "ConsoleRun.h"

namespace querydeck::test {

ProgramRun runConsoleScreenshot(const QString& config, const QString& png, int afterSeconds,
                                const QStringList& environment, int timeoutMs)
{
    return runProgram(QStringLiteral(QUERYDECK_BIN),
                      {QStringLiteral("--config"), config, QStringLiteral("--port"),
                       QStringLiteral("0"), QStringLiteral("--size"), QStringLiteral("1600x1000"),
                       QStringLiteral("--screenshot"), png, QStringLiteral("--after"),
                       QString::number(afterSeconds)},
                      QStringList{QStringLiteral("QT_QPA_PLATFORM=offscreen"),
                                  QStringLiteral("XDG_CONFIG_HOME=/nonexistent-querydeck-test")} +
                          environment,
                      timeoutMs);
}

} // namespace querydeck::test
