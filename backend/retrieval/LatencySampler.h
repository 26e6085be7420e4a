#pragma once

#include "backend/retrieval/RetrievalConfig.h"

#include <QMutex>
#include <QString>
#include <random>

namespace querydeck {

// Draws the added latency of a load drill (see LatencyGenerator) from
// LatencyConfig: "fixed" (meanMs), "uniform" (meanMs +/- spreadMs) or
// "lognormal" (a log-normal whose own mean and standard deviation are meanMs
// and spreadMs — the heavy right tail real model servers show). Draws are
// clamped at 0. An unknown distribution name is treated as "fixed"; validate()
// lets the config layer reject it up front.
//
// Threads: sampleMs() may be called concurrently; one mutex guards the engine.
class LatencySampler
{
public:
    // seed 0: seeded from std::random_device.
    explicit LatencySampler(const LatencyConfig& config, quint32 seed = 0);

    double sampleMs();

    // What is wrong with `config`, naming the field; empty when it is usable.
    static QString validate(const LatencyConfig& config);

private:
    enum class Kind
    {
        Fixed,
        Uniform,
        LogNormal
    };

    Kind m_kind = Kind::Fixed;
    double m_mean = 0.0;
    double m_spread = 0.0;
    double m_mu = 0.0;    // lognormal: mean of log(x)
    double m_sigma = 0.0; // lognormal: standard deviation of log(x)
    QMutex m_mutex;
    std::mt19937_64 m_engine;
};

} // namespace querydeck
