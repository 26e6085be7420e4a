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

// Copies a screenshot to `keep` (under /tmp), replacing an older one, so a
// person can open it after the test; the temporary original goes with its dir.
void keepScreenshot(const QString& png, const QString& keep);

} // namespace querydeck::test
