#include "backend/retrieval/LatencyGenerator.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace querydeck {

LatencyGenerator::LatencyGenerator(std::shared_ptr<Generator> inner, const LatencyConfig& config,
                                   quint32 seed)
    : m_inner(std::move(inner))
    , m_enabled(config.enabled)
    , m_sampler(config, seed)
    , m_sleep([](std::chrono::milliseconds ms) { std::this_thread::sleep_for(ms); })
    , m_clock([] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    })
{
}

void LatencyGenerator::setSleep(Sleep sleep, Clock clock)
{
    m_sleep = std::move(sleep);
    m_clock = std::move(clock);
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
        const qint64 sleptFrom = m_clock();
        m_sleep(std::chrono::milliseconds(delayMs));
        inner.timeout =
            std::chrono::milliseconds(std::max<qint64>(0, timeoutMs - (m_clock() - sleptFrom)));
    }
    GenerationResult result = m_inner->generate(inner);
    result.model += QStringLiteral("+latency");
    return result;
}

} // namespace querydeck
