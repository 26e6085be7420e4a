#pragma once

#include <QList>
#include <QString>

class QThread;

namespace querydeck {
class ConsoleFleetHost;
class FleetThreadHost;
} // namespace querydeck

namespace querydeck::test {

// Ends a local fleet run on a control thread, as the console does on exit:
// deletes the FleetThreadHost (its LocalReplicaSet kills the replicas and nginx
// on the control thread), stops the thread, then checks that every replica
// process in `pids` is gone and that no process names `runtimeDir` (nginx's
// command line does). Call from a test function; it fails the test (QTest)
// and returns early when something is left. GUI thread only.
void tearDownLocalFleet(FleetThreadHost*& fleet, QThread& control, const QList<qint64>& pids,
                        const QString& runtimeDir);
// The same for the console's whole fleet (ConsoleFleetHost, which owns its
// FleetThreadHost and stops its auto-scaler first).
void tearDownLocalFleet(ConsoleFleetHost*& fleet, QThread& control, const QList<qint64>& pids,
                        const QString& runtimeDir);

} // namespace querydeck::test
