#pragma once

#include "backend/common/Clock.h"
#include "backend/sources/MetricSource.h"

#include <functional>
#include <memory>

namespace prometheus {
class Registry;
}

namespace querydeck {

// The embedded query service's prometheus-cpp registry read in process (no
// HTTP): every poll calls Registry::Collect() and turns the families into
// samples named as the text exposition would name them (histograms as
// _bucket{le}/_sum/_count, summaries as {quantile}/_sum/_count), each with
// label instance=<instance> (replacing one the metric may carry). poll() is
// synchronous. Lives on the telemetry thread; `beforeCollect` runs there too
// (e.g. to refresh gauges the service computes at scrape time), and
// Registry::Collect is itself thread-safe.
class RegistrySource : public MetricSource
{
    Q_OBJECT

public:
    RegistrySource(std::shared_ptr<prometheus::Registry> registry,
                   QString instance = QStringLiteral("local"),
                   std::function<void()> beforeCollect = {}, QObject* parent = nullptr);
    ~RegistrySource() override;

    QString id() const override { return QStringLiteral("service"); }
    QString description() const override;
    void poll() override;
    QString upInstance() const override { return m_instance; }

    void setClock(Clock clock) { m_clock = std::move(clock); }

private:
    std::shared_ptr<prometheus::Registry> m_registry;
    QString m_instance;
    std::function<void()> m_beforeCollect;
    Clock m_clock;
};

} // namespace querydeck
