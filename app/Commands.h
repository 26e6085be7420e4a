#pragma once

#include <QStringList>

namespace querydeck {

// Each subcommand of the querydeck executable; arguments exclude the
// subcommand name itself. Each returns the process exit code:
// 0 success, 1 runtime failure, 2 bad usage or configuration.
int runServe(const QStringList& arguments);
int runQuery(const QStringList& arguments);
// A local fleet: replicas behind nginx, in the foreground (see FleetCommand.cpp).
int runFleet(const QStringList& arguments);
// Alert rules to and from Prometheus rule files.
int runExportRules(const QStringList& arguments);
int runImportRules(const QStringList& arguments);
// Needs a QApplication: the console window (local dev mode) or the wall.
int runConsole(const QStringList& arguments);

} // namespace querydeck
