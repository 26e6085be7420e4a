// Console refresh cost, offscreen: the default dashboard at 1 s refresh over a
// 1 h window of 1 s data for every series of the embedded service, plus the
// live /proc and service sources. Prints GUI-thread time per refresh
// (p50/p99), process CPU % and RSS over the run.
// Usage: bench_console [seconds=60]
#include "backend/common/ProcessStats.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryService.h"
#include "backend/service/ServiceMetrics.h"
#include "backend/sources/MetricSource.h"
#include "backend/sources/ProcSource.h"
#include "backend/sources/RegistrySource.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "backend/telemetry/TelemetryThread.h"
#include "ui/common/Theme.h"
#include "ui/shell/MainWindow.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <spdlog/spdlog.h>

using namespace querydeck;

namespace {

// Emits one hour of 1 s history once, shaped like the given snapshot:
// counters grow steadily (buckets in proportion, so quantiles stay sane),
// gauges wobble.
class HistorySource final : public MetricSource
{
public:
    explicit HistorySource(SourceResult snapshot)
        : m_snapshot(std::move(snapshot))
    {
    }
    QString id() const override { return QStringLiteral("history"); }
    QString description() const override { return QStringLiteral("one hour of synthetic history"); }
    void poll() override
    {
        SourceResult result;
        result.sourceId = id();
        result.timestampMs = QDateTime::currentMSecsSinceEpoch();
        if (!m_done) {
            const qint64 end = result.timestampMs - 2000;
            for (const Sample& s : m_snapshot.samples) {
                QString family = s.key.name;
                for (const char* suffix : {"_bucket", "_sum", "_count"})
                    if (family.endsWith(QLatin1String(suffix)))
                        family.chop(int(qstrlen(suffix)));
                const bool counter = m_snapshot.types.value(family) != MetricType::Gauge;
                for (int i = 3600; i > 0; --i) {
                    const double k = 3600 - i;
                    const double v = counter ? s.value + (s.value + 1.0) * 0.01 * k
                                             : s.value * (1.0 + 0.1 * std::sin(k / 60.0));
                    result.samples.push_back({s.key, v, end - qint64(i) * 1000});
                }
            }
            m_done = true;
        }
        emit finished(result);
    }

private:
    SourceResult m_snapshot;
    bool m_done = false;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 60;
    spdlog::set_level(spdlog::level::warn);
    Theme::apply(app, Theme::Mode::Dark);

    ServiceConfig config;
    config.http.port = 0;
    QueryService service(config, std::make_shared<KeychainSecretStore>());
    if (const QString error = service.start();
        !error.isEmpty() || !service.waitUntilReady(std::chrono::seconds(60))) {
        std::fprintf(stderr, "bench_console: service: %s\n", qPrintable(error));
        return 1;
    }

    RegistrySource snapshotSource(service.metrics().registry(), QStringLiteral("local"),
                                  [&service] { service.refreshMetrics(); });
    SourceResult snapshot;
    QObject::connect(&snapshotSource, &MetricSource::finished,
                     [&](const SourceResult& r) { snapshot = r; });
    snapshotSource.poll();

    TelemetryThread telemetry;
    TelemetryEngine* engine = telemetry.engine();
    engine->addSource(new HistorySource(snapshot), 1000);
    engine->addSource(new RegistrySource(service.metrics().registry(), QStringLiteral("local"),
                                         [&service] { service.refreshMetrics(); }),
                      1000);
    engine->addSource(new ProcSource(), 1000);
    telemetry.start();

    MainWindow window;
    QObject::connect(&window, &MainWindow::panelsChanged, engine, &TelemetryEngine::setPanels);
    std::vector<double> refreshMs;
    int panelsWithData = 0;
    QObject::connect(
        engine, &TelemetryEngine::panelData, &window, [&](const QList<PanelData>& data) {
            QElapsedTimer timer;
            timer.start();
            window.showPanelData(data);
            window.repaint(); // paint now, so the cost is measured here
            refreshMs.push_back(double(timer.nsecsElapsed()) / 1e6);
            panelsWithData = int(std::count_if(data.begin(), data.end(), [](const PanelData& p) {
                return std::any_of(p.series.begin(), p.series.end(),
                                   [](const auto& s) { return !s.points.empty(); });
            }));
        });
    window.setDashboard(DashboardLoader::defaultDashboard());
    window.resize(1600, 1000);
    window.show();
    QMetaObject::invokeMethod(engine, "setRange", Qt::QueuedConnection, Q_ARG(qint64, 3600 * 1000),
                              Q_ARG(qint64, 0), Q_ARG(int, 600));
    QMetaObject::invokeMethod(engine, "setRefreshInterval", Qt::QueuedConnection, Q_ARG(int, 1000));
    QMetaObject::invokeMethod(engine, &TelemetryEngine::start, Qt::QueuedConnection);

    // Warm up (history ingested, first refreshes), then measure.
    ProcessStats start;
    double peakRss = 0;
    QTimer::singleShot(5000, &app, [&] {
        refreshMs.clear();
        start = ProcessStats::read().value_or(ProcessStats{});
    });
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        peakRss = std::max(peakRss, ProcessStats::read().value_or(ProcessStats{}).residentBytes);
    });
    sampler.start(1000);
    QTimer::singleShot((5 + seconds) * 1000, &app, [&] {
        const ProcessStats end = ProcessStats::read().value_or(ProcessStats{});
        std::printf(
            "console, default dashboard, 1 h window of 1 s data, 1 s refresh, %d s offscreen\n",
            seconds);
        std::printf("  store: %zu series\n", engine->store().seriesCount());
        std::printf("  panels with data: %d\n", panelsWithData);
        std::printf("  GUI thread per refresh: p50 %.2f ms  p99 %.2f ms  (%zu refreshes)\n",
                    percentile(refreshMs, 0.5), percentile(refreshMs, 0.99), refreshMs.size());
        std::printf("  process CPU: %.1f%% of one core (service + telemetry + GUI)\n",
                    100.0 * (end.cpuSeconds - start.cpuSeconds) / seconds);
        std::printf("  RSS: %.0f MiB at the end, peak %.0f MiB\n", end.residentBytes / 1048576.0,
                    peakRss / 1048576.0);
        QApplication::quit();
    });
    const int rc = QApplication::exec();
    service.stop();
    return rc;
}
