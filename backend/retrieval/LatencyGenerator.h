#pragma once

#include "backend/common/Clock.h"
#include "backend/retrieval/Generator.h"
#include "backend/retrieval/LatencySampler.h"
#include "backend/retrieval/RetrievalConfig.h"

#include <chrono>
#include <functional>
#include <memory>

namespace querydeck {

// FOR LOAD DRILLS ONLY: wraps a real generator and adds latency in front of
// it, drawn by LatencySampler from LatencyConfig, so the generation queue,
// 503s and the dashboards can be exercised as if a slow model server were
// attached. The wait is capped at the request's timeout; the inner generator
// gets what is left of it. Answers are labelled "<model>+latency". When
// config.enabled is false it adds nothing.
//
// Threads: generate() is safe to call concurrently if the inner generator's
// is; the sleeping thread is the caller's (a generation queue slot).
class LatencyGenerator final : public Generator
{
public:
    LatencyGenerator(std::shared_ptr<Generator> inner, const LatencyConfig& config,
                     quint32 seed = 0 /* 0: random */);

    QString name() const override; // "<inner>+latency"
    GenerationResult generate(const GenerationRequest& request) override;

    // How the added latency is spent and measured: by default the calling
    // thread sleeps and a steady clock measures what the wait took. Tests
    // pass a fake pair (a sleep that moves a ManualClock) so the time left for
    // the inner generator is exact. Set before the first generate().
    using Sleep = std::function<void(std::chrono::milliseconds)>;
    void setSleep(Sleep sleep, Clock clock);

private:
    std::shared_ptr<Generator> m_inner;
    bool m_enabled;
    LatencySampler m_sampler;
    Sleep m_sleep;
    Clock m_clock; // milliseconds, only differences are used
};

} // namespace querydeck
