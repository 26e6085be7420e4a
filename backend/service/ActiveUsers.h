#pragma once

#include "backend/common/Clock.h"

#include <QHash>
#include <QString>
#include <chrono>
#include <functional>
#include <list>
#include <mutex>

namespace querydeck {

// Distinct clients seen in a sliding window (default 5 minutes), for the
// "active users" gauge.
//
// Exact rather than probabilistic: the numbers an operator compares it with
// (a dev box with three clients, a load drill with 50) are small, and a
// HyperLogLog's ~1% error would show as a wrong count there. Memory is
// bounded by `maxTracked` entries: when a new client arrives at the bound,
// expired entries go first, then the least recently seen one. While such an
// evicted client would still have been inside the window, count() is a floor
// of the truth (it reports at most maxTracked) and isSaturated() says so.
//
// Thread rules: all members are thread-safe. touch() is O(1) under one short
// mutex hold (hash lookup + list splice, no allocation for a known client).
class ActiveUsers
{
public:
    explicit ActiveUsers(std::chrono::milliseconds window = std::chrono::minutes(5),
                         int maxTracked = 100000, Clock clock = systemClock());

    // Records a request from clientId. Empty ids (no identity) are ignored.
    void touch(const QString& clientId);
    int count() const;
    // True while count() may be lower than the truth because of the bound.
    bool isSaturated() const;

    std::chrono::milliseconds window() const { return m_window; }
    // Also told every touch (the replicas' shared count). Set before the
    // first touch; called outside the lock.
    void setObserver(std::function<void(const QString&)> observer)
    {
        m_observer = std::move(observer);
    }
    int maxTracked() const { return m_maxTracked; }

private:
    struct Entry
    {
        QString clientId;
        qint64 seenMs = 0;
    };

    void expireLocked(qint64 nowMs) const;

    const std::chrono::milliseconds m_window;
    const int m_maxTracked;
    const Clock m_clock;
    std::function<void(const QString&)> m_observer;
    mutable std::mutex m_mutex;
    // Expiry is bookkeeping, not observable state: count() const may drop
    // entries that left the window.
    mutable std::list<Entry> m_recent; // front: most recently seen; seenMs non-increasing
    mutable QHash<QString, std::list<Entry>::iterator> m_index;
    qint64 m_latestMs = 0;     // keeps seenMs monotonic if the wall clock steps back
    qint64 m_floorUntilMs = 0; // an in-window client was evicted; count() is a floor until then
};

} // namespace querydeck
