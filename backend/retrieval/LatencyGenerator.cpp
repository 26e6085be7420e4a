#include "backend/retrieval/LatencyGenerator.h"

#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <thread>

namespace querydeck {

LatencyGenerator::LatencyGenerator(std::shared_ptr<Generator> inner, const LatencyConfig& config,
                                   quint32 seed)
    : m_inner(std::move(inner))
    , m_enabled(config.enabled)
    , m_sampler(config, seed)
{
}

QString LatencyGenerator::name() const
{
    return m_inner->name() + QStringLiteral("+latency");
}

GenerationResult LatencyGenerator::generate(const GenerationRequest& request)
{
    GenerationRequest inner = request;
    if (m_enabled) {
        const qint64 timeoutMs = std::max<qint64>(0, request.timeout.count());
        const qint64 delayMs = std::min<qint64>(std::llround(m_sampler.sampleMs()), timeoutMs);
        QElapsedTimer slept;
        slept.start();
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
        inner.timeout = std::chrono::milliseconds(std::max<qint64>(0, timeoutMs - slept.elapsed()));
    }
    GenerationResult result = m_inner->generate(inner);
    result.model += QStringLiteral("+latency");
    return result;
}

} // namespace querydeck
