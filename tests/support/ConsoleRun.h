#pragma once

#include "ProgramRun.h"

#include <QString>
#include <QStringList>

namespace querydeck::test {

// Runs the real console binary (QUERYDECK_BIN) headless to completion:
// `config` as its --config, an ephemeral service port, a 1600x1000 window
// saved to `png` after `afterSeconds`, offscreen, and no user config
// (XDG_CONFIG_HOME points nowhere). `environment` adds NAME=value entries.
// Blocks for at most `timeoutMs`.
ProgramRun runConsoleScreenshot(const QString& config, const QString& png, int afterSeconds,
                                const QStringList& environment = {}, int timeoutMs = 90000);

} // namespace querydeck::test
