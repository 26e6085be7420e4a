#pragma once

#include <QtGlobal>
#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>
#include <optional>

namespace querydeck {

// Bounded admission for slow generations: at most `concurrency` run at once
// and at most `capacity` callers wait for a slot; anyone beyond that is
// refused at once so the service answers 503 + Retry-After instead of piling
// up threads. Waiters are admitted in arrival order (a released slot is handed
// straight to the oldest waiter, so a newcomer cannot overtake it).
//
// Thread rules: every member may be called from any thread. enter() blocks the
// calling thread for at most `maxWait`. A Ticket must not outlive its queue.
class GenerationQueue
{
public:
    enum class Outcome
    {
        Admitted,
        Full,     // `capacity` callers were already waiting: refused without waiting
        TimedOut, // no slot within maxWait
        Closed,   // the queue was closed (shutdown) before or while waiting
    };

    // A running generation's slot; released on destruction or release().
    class Ticket
    {
    public:
        Ticket(Ticket&& other) noexcept;
        Ticket& operator=(Ticket&& other) noexcept;
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;
        ~Ticket();

        void release();
        bool isValid() const { return m_queue != nullptr; }

    private:
        friend class GenerationQueue;
        explicit Ticket(GenerationQueue* queue)
            : m_queue(queue)
        {
        }
        GenerationQueue* m_queue = nullptr;
    };

    struct Admission
    {
        Outcome outcome = Outcome::Closed;
        std::optional<Ticket> ticket; // set exactly when outcome == Admitted

        explicit operator bool() const { return ticket.has_value(); }
    };

    // Values below 1 (concurrency) or 0 (capacity) are clamped to those.
    GenerationQueue(int concurrency, int capacity);
    ~GenerationQueue();
    GenerationQueue(const GenerationQueue&) = delete;
    GenerationQueue& operator=(const GenerationQueue&) = delete;

    Admission enter(std::chrono::milliseconds maxWait);

    int depth() const; // callers waiting
    int inFlight() const;
    int concurrency() const { return m_concurrency; }
    int capacity() const { return m_capacity; }
    quint64 rejected() const; // all refusals: full, timed out and closed
    quint64 rejected(Outcome reason) const;

    // Wakes every waiter with Closed and refuses new callers; tickets already
    // handed out stay valid and release normally. Used on shutdown.
    void close();
    bool isClosed() const;

private:
    struct Waiter
    {
        std::condition_variable wake;
        bool admitted = false;
        bool closed = false;
    };

    void releaseSlot();
    Admission refuse(Outcome reason);

    const int m_concurrency;
    const int m_capacity;
    mutable std::mutex m_mutex;
    std::list<Waiter*> m_waiters; // oldest first
    int m_inFlight = 0;
    bool m_closed = false;
    quint64 m_rejectedFull = 0;
    quint64 m_rejectedTimedOut = 0;
    quint64 m_rejectedClosed = 0;
};

} // namespace querydeck
