#pragma once

#include "backend/common/Clock.h"

#include <atomic>
#include <memory>

namespace querydeck {

// A Clock that tests move by hand, so TTLs expire without sleeping. Copies
// share one time; safe to read and advance from several threads.
class ManualClock
{
public:
    explicit ManualClock(qint64 startMs = 1'700'000'000'000)
        : m_now(std::make_shared<std::atomic<qint64>>(startMs))
    {
    }

    Clock clock() const
    {
        return [now = m_now] { return now->load(); };
    }
    qint64 now() const { return m_now->load(); }
    void advance(qint64 ms) { *m_now += ms; }

private:
    std::shared_ptr<std::atomic<qint64>> m_now;
};

} // namespace querydeck
