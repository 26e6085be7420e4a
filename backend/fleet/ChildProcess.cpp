#include "backend/fleet/ChildProcess.h"

#include <QProcess>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace querydeck::ChildProcess {

void dieWithParent(QProcess& process, int signal)
{
    process.setChildProcessModifier([signal] {
        ::prctl(PR_SET_PDEATHSIG, signal);
        // Its own process group: Ctrl+C in a terminal reaches the fleet only,
        // which then drains its children in order.
        ::setpgid(0, 0);
        // The parent blocks SIGTERM/SIGINT for its signal thread; the child
        // must take them as usual.
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGQUIT);
        sigaddset(&set, SIGHUP);
        pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    });
}

bool sendSignal(const QProcess& process, int signal)
{
    if (process.state() == QProcess::NotRunning || process.processId() <= 0)
        return false;
    return ::kill(pid_t(process.processId()), signal) == 0;
}

} // namespace querydeck::ChildProcess
