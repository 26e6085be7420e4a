#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace querydeck {

class SizedThread;

// A fixed set of threads running jobs in arrival order: the HTTP server's
// route handlers, which may block (generation queue, Redis, an LLM call).
// The queue needs no bound of its own: each connection has at most one
// request in a job, and connections are bounded. post() from any thread;
// start()/stop() from one controlling thread.
class HandlerPool
{
public:
    HandlerPool();
    ~HandlerPool();
    HandlerPool(const HandlerPool&) = delete;
    HandlerPool& operator=(const HandlerPool&) = delete;

    // False when a thread could not be created (those that were are stopped).
    bool start(int threads, std::size_t stackBytes);
    // False once stop() has begun: the job will not run.
    bool post(std::function<void()> job);
    // Runs the jobs already queued, then joins the threads.
    void stop();

private:
    void work();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_stopping = false;
    std::vector<std::unique_ptr<SizedThread>> m_threads;
};

} // namespace querydeck
