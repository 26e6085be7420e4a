#pragma once

#include <QByteArray>
#include <QString>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>

namespace querydeck {

// Lifecycle and load of one service instance, read by /ready, /metrics and
// the drain logic. Thread-safe: workers count requests, the controlling
// thread moves the phase.
class ServiceState
{
public:
    enum class Phase
    {
        Starting,
        Ready,
        Draining,
        Failed
    };

    Phase phase() const { return m_phase.load(std::memory_order_acquire); }
    void setPhase(Phase phase, QString detail = {});
    QString detail() const;

    void requestStarted() { m_inFlight.fetch_add(1, std::memory_order_relaxed); }
    void requestFinished() { m_inFlight.fetch_sub(1, std::memory_order_release); }
    int inFlight() const { return m_inFlight.load(std::memory_order_acquire); }
    // Waits (polling gently) until no request is in flight; false on timeout.
    bool waitForIdle(std::chrono::milliseconds timeout, int allowInFlight = 0) const;

    // /ready: 200 {"status":"ready"} or 503 with the reason.
    int readinessStatus() const { return phase() == Phase::Ready ? 200 : 503; }
    QByteArray readinessBody() const;

    static const char* phaseName(Phase phase);

    // Asked by /ready: why the cache is degraded (Redis down, index being
    // rebuilt), or empty. The replica still answers, so /ready stays 200 and
    // adds "degraded":"cache" with the reason. Set once before serving.
    void setCacheProbe(std::function<QString()> probe);
    QString cacheDegradation() const;

private:
    std::atomic<Phase> m_phase{Phase::Starting};
    std::atomic<int> m_inFlight{0};
    mutable std::mutex m_mutex;
    QString m_detail;
    std::function<QString()> m_cacheProbe;
};

} // namespace querydeck
