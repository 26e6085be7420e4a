#include "backend/service/GenerationQueue.h"

#include <algorithm>
#include <utility>

namespace querydeck {

GenerationQueue::Ticket::Ticket(Ticket&& other) noexcept
    : m_queue(std::exchange(other.m_queue, nullptr))
{
}

GenerationQueue::Ticket& GenerationQueue::Ticket::operator=(Ticket&& other) noexcept
{
    if (this != &other) {
        release();
        m_queue = std::exchange(other.m_queue, nullptr);
    }
    return *this;
}

GenerationQueue::Ticket::~Ticket()
{
    release();
}

void GenerationQueue::Ticket::release()
{
    if (GenerationQueue* queue = std::exchange(m_queue, nullptr))
        queue->releaseSlot();
}

GenerationQueue::GenerationQueue(int concurrency, int capacity)
    : m_concurrency(std::max(concurrency, 1))
    , m_capacity(std::max(capacity, 0))
{
}

GenerationQueue::~GenerationQueue()
{
    close();
}

GenerationQueue::Admission GenerationQueue::refuse(Outcome reason)
{
    switch (reason) {
    case Outcome::Full:
        ++m_rejectedFull;
        break;
    case Outcome::TimedOut:
        ++m_rejectedTimedOut;
        break;
    case Outcome::Closed:
        ++m_rejectedClosed;
        break;
    case Outcome::Admitted:
        break;
    }
    return Admission{reason, std::nullopt};
}

GenerationQueue::Admission GenerationQueue::enter(std::chrono::milliseconds maxWait)
{
    std::unique_lock lock(m_mutex);
    if (m_closed)
        return refuse(Outcome::Closed);
    // A free slot with an empty line: go. With waiters present the slot would
    // already have been handed to one of them, so joining the line is fair.
    if (m_inFlight < m_concurrency && m_waiters.empty()) {
        ++m_inFlight;
        return Admission{Outcome::Admitted, Ticket(this)};
    }
    if (static_cast<int>(m_waiters.size()) >= m_capacity)
        return refuse(Outcome::Full);
    if (maxWait <= std::chrono::milliseconds::zero())
        return refuse(Outcome::TimedOut);

    Waiter self;
    const auto position = m_waiters.insert(m_waiters.end(), &self);
    const auto deadline = std::chrono::steady_clock::now() + maxWait;
    self.wake.wait_until(lock, deadline, [&] { return self.admitted || self.closed; });
    if (self.admitted) // a slot handed over just as the deadline passed still counts
        return Admission{Outcome::Admitted, Ticket(this)};
    if (self.closed) // close() already unlinked us
        return refuse(Outcome::Closed);
    m_waiters.erase(position);
    return refuse(Outcome::TimedOut);
}

void GenerationQueue::releaseSlot()
{
    std::lock_guard lock(m_mutex);
    if (!m_waiters.empty() && !m_closed) {
        // Hand the slot over directly: m_inFlight stays the same.
        Waiter* next = m_waiters.front();
        m_waiters.pop_front();
        next->admitted = true;
        next->wake.notify_one();
        return;
    }
    --m_inFlight;
}

void GenerationQueue::close()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    for (Waiter* waiter : m_waiters) {
        waiter->closed = true;
        waiter->wake.notify_one();
    }
    m_waiters.clear();
}

bool GenerationQueue::isClosed() const
{
    std::lock_guard lock(m_mutex);
    return m_closed;
}

int GenerationQueue::depth() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_waiters.size());
}

int GenerationQueue::inFlight() const
{
    std::lock_guard lock(m_mutex);
    return m_inFlight;
}

quint64 GenerationQueue::rejected() const
{
    std::lock_guard lock(m_mutex);
    return m_rejectedFull + m_rejectedTimedOut + m_rejectedClosed;
}

quint64 GenerationQueue::rejected(Outcome reason) const
{
    std::lock_guard lock(m_mutex);
    switch (reason) {
    case Outcome::Full:
        return m_rejectedFull;
    case Outcome::TimedOut:
        return m_rejectedTimedOut;
    case Outcome::Closed:
        return m_rejectedClosed;
    case Outcome::Admitted:
        break;
    }
    return 0;
}

} // namespace querydeck
