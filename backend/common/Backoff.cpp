#include "backend/common/Backoff.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace querydeck {

Backoff::Backoff(Options options, RandomSource random)
    : m_options(options)
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

qint64 Backoff::next()
{
    if (m_failures < std::numeric_limits<int>::max())
        ++m_failures;
    return delayMs(m_failures);
}

qint64 Backoff::delayMs(int retry) const
{
    return delayMs(retry, m_options.jitter == Jitter::None ? 0.0 : m_random());
}

double Backoff::baseMs(int retry) const
{
    // In double: a large retry count gives +inf, which the cap turns into maxMs.
    const double cap = double(std::max<qint64>(0, m_options.maxMs));
    const double growth = std::pow(std::max(1.0, m_options.factor), std::max(0, retry - 1));
    return std::min(cap, double(std::max<qint64>(0, m_options.initialMs)) * growth);
}

qint64 Backoff::delayMs(int retry, double unitRandom) const
{
    const double base = baseMs(retry);
    if (m_options.jitter == Jitter::None)
        return std::llround(base);
    return std::llround(base * (1.0 - 0.5 * std::clamp(unitRandom, 0.0, 1.0)));
}

Backoff::RandomSource Backoff::seededRandom(quint32 seed)
{
    auto generator = std::make_shared<QRandomGenerator>(seed);
    return [generator] { return generator->generateDouble(); };
}

} // namespace querydeck
