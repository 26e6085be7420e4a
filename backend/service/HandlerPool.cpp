#include "backend/service/HandlerPool.h"

#include "backend/service/SizedThread.h"

#include <string>

namespace querydeck {

HandlerPool::HandlerPool() = default;

HandlerPool::~HandlerPool()
{
    stop();
}

bool HandlerPool::start(int threads, std::size_t stackBytes)
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<SizedThread>(stackBytes, "qd-handler-" + std::to_string(i),
                                                    [this] { work(); });
        if (!thread->started()) {
            stop();
            return false;
        }
        m_threads.push_back(std::move(thread));
    }
    return true;
}

bool HandlerPool::post(std::function<void()> job)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_stopping)
            return false;
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
    return true;
}

void HandlerPool::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_threads.clear(); // joins
}

void HandlerPool::work()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty())
                return; // stopping, and every queued job has run
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job();
    }
}

} // namespace querydeck
