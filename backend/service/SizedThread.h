#pragma once

#include <cstddef>
#include <functional>
#include <pthread.h>
#include <string>

namespace querydeck {

// A joinable thread with an explicit stack size and a name (shown by top -H
// and gdb). std::thread cannot set the stack size, and the default comes
// from `ulimit -s`, which differs between a shell, systemd and a container.
// Owned and joined by one thread; the destructor joins if still running.
class SizedThread
{
public:
    SizedThread(std::size_t stackBytes, std::string name, std::function<void()> body);
    ~SizedThread();
    SizedThread(const SizedThread&) = delete;
    SizedThread& operator=(const SizedThread&) = delete;

    // False when the thread could not be created (the body never runs).
    bool started() const { return m_started; }
    void join();

    // The stack size of the calling thread, as the system reports it.
    static std::size_t currentStackBytes();

private:
    static void* run(void* self);

    std::function<void()> m_body;
    std::string m_name;
    pthread_t m_thread{};
    bool m_started = false;
};

} // namespace querydeck
