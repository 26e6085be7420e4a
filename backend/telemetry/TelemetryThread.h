#pragma once

#include "backend/metrics/TimeSeriesStore.h"

#include <memory>

class QThread;

namespace querydeck {

class TelemetryEngine;

// Runs a TelemetryEngine on its own QThread so sampling, parsing and panel
// evaluation never run on the GUI thread. Create it, add sources to
// engine() (before start()), connect to the engine's signals (they arrive
// queued), then start(). The destructor stops the engine with a blocking
// queued call (it only stops timers), quits the thread and waits for it;
// the engine and its sources are deleted on their own thread. Use from the
// thread that created it.
class TelemetryThread
{
public:
    explicit TelemetryThread(StoreOptions options = {});
    ~TelemetryThread();
    TelemetryThread(const TelemetryThread&) = delete;
    TelemetryThread& operator=(const TelemetryThread&) = delete;

    TelemetryEngine* engine() const { return m_engine; }
    QThread* thread() const { return m_thread.get(); }
    // Starts the thread and, queued on it, the engine.
    void start();

private:
    std::unique_ptr<QThread> m_thread;
    TelemetryEngine* m_engine = nullptr; // lives on m_thread
};

} // namespace querydeck
