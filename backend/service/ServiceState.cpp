#include "backend/service/ServiceState.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <thread>

namespace querydeck {

const char* ServiceState::phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Starting:
        return "starting";
    case Phase::Ready:
        return "ready";
    case Phase::Draining:
        return "draining";
    case Phase::Failed:
        return "failed";
    }
    return "unknown";
}

void ServiceState::setPhase(Phase phase, QString detail)
{
    {
        std::lock_guard lock(m_mutex);
        m_detail = std::move(detail);
    }
    m_phase.store(phase, std::memory_order_release);
}

QString ServiceState::detail() const
{
    std::lock_guard lock(m_mutex);
    return m_detail;
}

bool ServiceState::waitForIdle(std::chrono::milliseconds timeout, int allowInFlight) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (inFlight() > allowInFlight) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

void ServiceState::setCacheProbe(std::function<QString()> probe)
{
    std::lock_guard lock(m_mutex);
    m_cacheProbe = std::move(probe);
}

QString ServiceState::cacheDegradation() const
{
    std::function<QString()> probe;
    {
        std::lock_guard lock(m_mutex);
        probe = m_cacheProbe;
    }
    return probe ? probe() : QString();
}

QByteArray ServiceState::readinessBody() const
{
    QJsonObject body{{QStringLiteral("status"), QString::fromLatin1(phaseName(phase()))}};
    const QString why = detail();
    if (!why.isEmpty())
        body.insert(QStringLiteral("reason"), why);
    body.insert(QStringLiteral("in_flight"), inFlight());
    if (const QString cache = cacheDegradation(); !cache.isEmpty()) {
        body.insert(QStringLiteral("degraded"), QStringLiteral("cache"));
        body.insert(QStringLiteral("cache"), cache);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace querydeck
