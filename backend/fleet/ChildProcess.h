#pragma once

class QProcess;

namespace querydeck {

// Process helpers shared by the fleet's children (replicas, nginx).
namespace ChildProcess {

// The child gets `signal` when the thread that started it dies, so a fleet
// killed with SIGKILL leaves no replicas or nginx behind; it runs in its own
// process group, so a terminal's Ctrl+C reaches the fleet alone. Call before start().
void dieWithParent(QProcess& process, int signal);
// Sends `signal` to a running process; false when it is not running.
bool sendSignal(const QProcess& process, int signal);

} // namespace ChildProcess

} // namespace querydeck
