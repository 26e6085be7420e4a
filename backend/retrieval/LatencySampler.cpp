#include "backend/retrieval/LatencySampler.h"

#include <QStringList>
#include <algorithm>
#include <cmath>

namespace querydeck {

LatencySampler::LatencySampler(const LatencyConfig& config, quint32 seed)
    : m_mean(std::max(0.0, config.meanMs))
    , m_spread(std::max(0.0, config.spreadMs))
    , m_engine(seed != 0 ? seed : std::random_device{}())
{
    if (config.distribution == QLatin1String("uniform") && m_spread > 0.0) {
        m_kind = Kind::Uniform;
    } else if (config.distribution == QLatin1String("lognormal") && m_spread > 0.0 &&
               m_mean > 0.0) {
        // Moments of the log-normal from the mean m and standard deviation s
        // wanted for the latency itself: sigma^2 = ln(1 + s^2/m^2), mu = ln m - sigma^2/2.
        m_kind = Kind::LogNormal;
        const double variance = std::log1p((m_spread * m_spread) / (m_mean * m_mean));
        m_sigma = std::sqrt(variance);
        m_mu = std::log(m_mean) - variance / 2.0;
    }
}

double LatencySampler::sampleMs()
{
    QMutexLocker lock(&m_mutex);
    switch (m_kind) {
    case Kind::Uniform:
        return std::max(0.0, std::uniform_real_distribution<double>(m_mean - m_spread,
                                                                    m_mean + m_spread)(m_engine));
    case Kind::LogNormal:
        return std::lognormal_distribution<double>(m_mu, m_sigma)(m_engine);
    case Kind::Fixed:
        break;
    }
    return m_mean;
}

QString LatencySampler::validate(const LatencyConfig& config)
{
    static const QStringList kinds{QStringLiteral("fixed"), QStringLiteral("uniform"),
                                   QStringLiteral("lognormal")};
    if (!kinds.contains(config.distribution))
        return QStringLiteral("latency.distribution: '%1' is not one of fixed, uniform, lognormal")
            .arg(config.distribution);
    if (!std::isfinite(config.meanMs) || config.meanMs < 0.0)
        return QStringLiteral("latency.meanMs: must be a number >= 0, got %1").arg(config.meanMs);
    if (!std::isfinite(config.spreadMs) || config.spreadMs < 0.0)
        return QStringLiteral("latency.spreadMs: must be a number >= 0, got %1")
            .arg(config.spreadMs);
    return {};
}

} // namespace querydeck
