#include "app/SignalWaiter.h"

#include <csignal>
#include <pthread.h>

namespace querydeck {

namespace {

sigset_t terminationSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

} // namespace

void SignalWaiter::block()
{
    const sigset_t set = terminationSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A client that disconnects mid-response must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
}

int SignalWaiter::wait()
{
    const sigset_t set = terminationSignals();
    int signal = 0;
    while (sigwait(&set, &signal) != 0) {
    }
    return signal;
}

} // namespace querydeck
