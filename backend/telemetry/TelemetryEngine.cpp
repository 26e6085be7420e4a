#include "backend/telemetry/TelemetryEngine.h"

#include "backend/metrics/Expression.h"
#include "backend/sources/MetricSource.h"
#include "backend/telemetry/PanelHistory.h"

#include <QTimer>
#include <algorithm>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

constexpr int kStaleIntervals = 3;       // missed intervals before a source is stale
constexpr qint64 kStatusMinGapMs = 1000; // sourceStatus() at most once a second
constexpr qint64 kDefaultRangeMs = 15 * 60 * 1000;
constexpr int kDefaultMaxPoints = 300;
constexpr int kDefaultRefreshMs = 1000;

} // namespace

struct TelemetryEngine::Impl
{
    struct Source
    {
        MetricSource* source = nullptr;
        int intervalMs = 1000;
        QTimer* timer = nullptr;
        bool polling = false;    // a poll started and has not finished
        qint64 lastResultMs = 0; // last finished(), good or bad
        qint64 firstDataMs = 0;  // first samples in the store: history ends there
        QSet<QString> series;    // canonical keys of the last poll, to mark stale
        SourceStatus status;
    };
    struct Target
    {
        PanelTarget target;
        Expression expression;
    };
    struct Panel
    {
        QString id;
        std::vector<Target> targets;
        int widthPixels = 0;
    };

    Impl(TelemetryEngine* engine, StoreOptions options)
        : q(engine)
        , store(options)
    {
    }

    void startSource(Source& s);
    void pollSource(Source& s);
    void onResult(Source& s, const SourceResult& result);
    void checkHealth();
    void recordUp(const Source& s, qint64 t, bool up);
    static SeriesKey upKey(const Source& s);
    qint64 nowMs() const { return clock(); }
    void scheduleStatus();
    void emitStatus();
    void currentRange(qint64* from, qint64* to) const;
    void requestHistory();
    void retryHistory();

    TelemetryEngine* q;

    TimeSeriesStore store;
    Clock clock = systemClock();
    std::vector<std::unique_ptr<Source>> sources;
    std::vector<Panel> panels;
    PanelHistory history;
    qint64 rangeMs = kDefaultRangeMs;
    qint64 endMs = 0;
    int maxPoints = kDefaultMaxPoints;
    int refreshMs = kDefaultRefreshMs;
    bool running = false;
    QTimer* refreshTimer = nullptr;
    QTimer* healthTimer = nullptr;
    QTimer* statusTimer = nullptr; // delays a status change that came too soon after the last
    qint64 lastStatusMs = 0;
};

TelemetryEngine::TelemetryEngine(StoreOptions options, QObject* parent)
    : QObject(parent)
    , m_impl(std::make_unique<Impl>(this, options))
{
    qRegisterMetaType<SourceResult>();
    qRegisterMetaType<RangeResult>();
    qRegisterMetaType<PanelData>();
    qRegisterMetaType<QList<PanelData>>();
    qRegisterMetaType<SourceStatus>();
    qRegisterMetaType<QList<SourceStatus>>();
    qRegisterMetaType<PanelQuery>();
    qRegisterMetaType<QList<PanelQuery>>();
}

TelemetryEngine::~TelemetryEngine() = default;

void TelemetryEngine::addSource(MetricSource* source, int intervalMs)
{
    if (m_impl->running)
        spdlog::warn("[telemetry] source {} added after start(); it is polled from now on",
                     source->id().toStdString());
    if (source->thread() != thread())
        source->moveToThread(thread());
    source->setParent(this);

    auto entry = std::make_unique<Impl::Source>();
    Impl::Source* s = entry.get();
    s->source = source;
    s->intervalMs = std::max(10, intervalMs);
    s->status.id = source->id();
    s->status.description = source->description();
    s->status.health = SourceHealth::Stale;
    s->status.lastError = QStringLiteral("no data yet");
    m_impl->sources.push_back(std::move(entry));

    connect(source, &MetricSource::finished, this, [this, s](const SourceResult& result) {
        // A source's first good data is drawn at once, not at the next
        // refresh tick: the console is alive within a poll of starting.
        const bool first = s->status.lastSuccessMs == 0;
        m_impl->onResult(*s, result);
        if (first && s->status.lastSuccessMs != 0 && m_impl->running) {
            // Only now does a history source know which series it serves.
            m_impl->requestHistory();
            QTimer::singleShot(0, this, &TelemetryEngine::refreshNow);
        }
        m_impl->retryHistory();
    });
    connect(source, &MetricSource::rangeFinished, this,
            [this, source](int requestId, const RangeResult& result) {
                if (!result.error.isEmpty())
                    spdlog::warn("[telemetry] {}", result.error.toStdString());
                if (m_impl->history.receive(source, requestId, result, m_impl->nowMs()) &&
                    m_impl->running)
                    refreshNow();
            });
    if (m_impl->running)
        m_impl->startSource(*s);
}

bool TelemetryEngine::removeSource(const QString& id)
{
    auto& sources = m_impl->sources;
    const auto it = std::find_if(sources.begin(), sources.end(),
                                 [&](const auto& s) { return s->source->id() == id; });
    if (it == sources.end())
        return false;
    // Its series end now, as a removed Prometheus target's do.
    QSet<QString> ended = (*it)->series;
    ended.insert(Impl::upKey(**it).toString());
    m_impl->store.markStale(ended, m_impl->nowMs());
    // The timer's and the result's connections capture the entry: both go
    // before the entry does, and a poll still running finishes into nothing.
    delete (*it)->timer;
    m_impl->history.forget((*it)->source);
    (*it)->source->disconnect(this);
    delete (*it)->source;
    sources.erase(it);
    m_impl->scheduleStatus();
    return true;
}

void TelemetryEngine::Impl::onResult(Source& s, const SourceResult& result)
{
    const qint64 now = nowMs();
    s.polling = false;
    s.lastResultMs = now;
    // Partial results (a /proc file unreadable, some malformed lines) still
    // carry good samples: keep them, and report the error. Series of the
    // previous poll that this one lacks end here (all of them when it failed).
    store.appendPoll(result.samples, result.timestampMs > 0 ? result.timestampMs : now, s.series);
    if (s.firstDataMs == 0 && !result.samples.empty())
        s.firstDataMs = now;
    // A poll that failed outright is a target down; partial results (some
    // samples kept beside an error) still count as up, as in Prometheus.
    recordUp(s, now, result.error.isEmpty() || !result.samples.empty());
    SourceStatus next = s.status;
    next.malformedLines = result.malformedLines;
    if (result.error.isEmpty()) {
        next.health = SourceHealth::Ok;
        next.lastError.clear();
        next.lastSuccessMs = now;
    } else {
        next.health = SourceHealth::Error;
        next.lastError = result.error;
        if (s.status.lastError != result.error)
            spdlog::warn("[telemetry] {}: {}", s.status.id.toStdString(),
                         result.error.toStdString());
    }
    const bool changed = next.health != s.status.health || next.lastError != s.status.lastError ||
                         next.malformedLines != s.status.malformedLines;
    s.status = next;
    if (changed)
        scheduleStatus();
}

const TimeSeriesStore& TelemetryEngine::store() const
{
    return m_impl->store;
}

void TelemetryEngine::setClock(Clock clock)
{
    m_impl->clock = std::move(clock);
}

void TelemetryEngine::start()
{
    if (m_impl->running)
        return;
    m_impl->running = true;
    if (!m_impl->refreshTimer) {
        m_impl->refreshTimer = new QTimer(this);
        connect(m_impl->refreshTimer, &QTimer::timeout, this, &TelemetryEngine::refreshNow);
        m_impl->healthTimer = new QTimer(this);
        connect(m_impl->healthTimer, &QTimer::timeout, this, [this] { m_impl->checkHealth(); });
        m_impl->statusTimer = new QTimer(this);
        m_impl->statusTimer->setSingleShot(true);
        connect(m_impl->statusTimer, &QTimer::timeout, this, [this] { m_impl->emitStatus(); });
    }
    int shortest = 1000;
    for (const auto& s : m_impl->sources) {
        m_impl->startSource(*s);
        shortest = std::min(shortest, s->intervalMs);
    }
    m_impl->healthTimer->start(std::max(10, shortest / 2));
    if (m_impl->refreshMs > 0)
        m_impl->refreshTimer->start(m_impl->refreshMs);
    m_impl->emitStatus();
}

void TelemetryEngine::Impl::startSource(Source& s)
{
    if (!s.timer) {
        s.timer = new QTimer(q);
        QObject::connect(s.timer, &QTimer::timeout, q, [this, &s] { pollSource(s); });
    }
    s.lastResultMs = nowMs(); // staleness counts from here until the first result
    s.timer->start(s.intervalMs);
    pollSource(s);
}

void TelemetryEngine::Impl::pollSource(Source& s)
{
    // One collection at a time per source: a slow target is not stacked up.
    if (s.polling)
        return;
    s.polling = true;
    s.source->poll();
}

void TelemetryEngine::stop()
{
    if (!m_impl->running)
        return;
    m_impl->running = false;
    for (const auto& s : m_impl->sources) {
        if (s->timer)
            s->timer->stop();
    }
    m_impl->refreshTimer->stop();
    m_impl->healthTimer->stop();
    m_impl->statusTimer->stop();
}

void TelemetryEngine::Impl::checkHealth()
{
    const qint64 now = nowMs();
    bool changed = false;
    for (const auto& s : sources) {
        // An error stays an error while errors keep coming; silence for three
        // intervals (a hung source, or none answered yet) is staleness.
        const qint64 silentMs = now - s->lastResultMs;
        const bool silent = silentMs > qint64(kStaleIntervals) * s->intervalMs;
        if (silent) {
            recordUp(*s, now, false); // a hung target is down, for as long as it hangs
            if (!s->series.isEmpty()) {
                // As a scrape that timed out: its series end.
                store.markStale(s->series, now);
                s->series.clear();
            }
        }
        if (s->status.health != SourceHealth::Stale && silent) {
            s->status.health = SourceHealth::Stale;
            if (s->status.lastError.isEmpty())
                s->status.lastError = QStringLiteral("no data for %1 ms (interval %2 ms)")
                                          .arg(silentMs)
                                          .arg(s->intervalMs);
            changed = true;
        }
    }
    if (changed)
        scheduleStatus();
}

SeriesKey TelemetryEngine::Impl::upKey(const Source& s)
{
    return SeriesKey::make(QStringLiteral("up"),
                           {{QStringLiteral("job"), s.source->job()},
                            {QStringLiteral("instance"), s.source->upInstance()}});
}

void TelemetryEngine::Impl::recordUp(const Source& s, qint64 t, bool up)
{
    store.append(upKey(s), t, up ? 1.0 : 0.0);
}

void TelemetryEngine::Impl::scheduleStatus()
{
    const qint64 wait = lastStatusMs + kStatusMinGapMs - nowMs();
    if (wait <= 0)
        emitStatus();
    else if (statusTimer && !statusTimer->isActive())
        statusTimer->start(int(wait));
}

void TelemetryEngine::Impl::emitStatus()
{
    lastStatusMs = nowMs();
    QList<SourceStatus> list;
    list.reserve(qsizetype(sources.size()));
    for (const auto& s : sources)
        list.append(s->status);
    emit q->sourceStatus(list);
}

void TelemetryEngine::setPanels(const QList<PanelQuery>& panels)
{
    m_impl->panels.clear();
    m_impl->panels.reserve(std::size_t(panels.size()));
    for (const PanelQuery& query : panels) {
        Impl::Panel panel;
        panel.id = query.panelId;
        panel.widthPixels = query.widthPixels;
        for (const PanelTarget& target : query.targets)
            panel.targets.push_back({target, Expression::parse(target.expr)});
        m_impl->panels.push_back(std::move(panel));
    }
    m_impl->requestHistory();
    // New panels (a dashboard switch, the wall's rotation) get data at once.
    if (m_impl->running)
        QTimer::singleShot(0, this, &TelemetryEngine::refreshNow);
}

void TelemetryEngine::Impl::currentRange(qint64* from, qint64* to) const
{
    *to = endMs > 0 ? endMs : nowMs();
    *from = *to - rangeMs;
}

void TelemetryEngine::Impl::requestHistory()
{
    history.clear();
    if (!running)
        return;
    qint64 from = 0;
    qint64 to = 0;
    currentRange(&from, &to);
    for (const Panel& panel : panels) {
        for (std::size_t i = 0; i < panel.targets.size(); ++i) {
            const Target& target = panel.targets[i];
            if (!target.expression.isValid())
                continue;
            const int width = panel.widthPixels > 0 ? panel.widthPixels : maxPoints;
            for (const auto& s : sources) {
                if (history.request(s->source, s->firstDataMs, panel.id, i, target.expression, from,
                                    to, width))
                    break;
            }
        }
    }
}

// On a poll: failed history queries whose backoff has passed are asked again.
void TelemetryEngine::Impl::retryHistory()
{
    if (!running)
        return;
    qint64 from = 0;
    qint64 to = 0;
    currentRange(&from, &to);
    history.retry(nowMs(), from, to);
}

void TelemetryEngine::setHistoryRetry(qint64 firstMs, qint64 maxMs)
{
    m_impl->history.setRetryBackoff(firstMs, maxMs);
}

void TelemetryEngine::setRange(qint64 rangeMs, qint64 endMs, int maxPoints)
{
    m_impl->rangeMs = std::max<qint64>(1000, rangeMs);
    m_impl->endMs = std::max<qint64>(0, endMs);
    m_impl->maxPoints = std::max(2, maxPoints);
    m_impl->requestHistory();
}

void TelemetryEngine::setRefreshInterval(int ms)
{
    m_impl->refreshMs = std::max(0, ms);
    if (!m_impl->refreshTimer || !m_impl->running)
        return;
    if (m_impl->refreshMs > 0)
        m_impl->refreshTimer->start(m_impl->refreshMs);
    else
        m_impl->refreshTimer->stop();
}

void TelemetryEngine::refreshNow()
{
    qint64 from = 0;
    qint64 to = 0;
    m_impl->currentRange(&from, &to);
    const qint64 step = std::max<qint64>(1000, m_impl->rangeMs / m_impl->maxPoints);
    QList<PanelData> out;
    out.reserve(qsizetype(m_impl->panels.size()));
    for (const Impl::Panel& panel : m_impl->panels) {
        PanelData data;
        data.panelId = panel.id;
        data.from = from;
        data.to = to;
        QStringList errors;
        for (std::size_t i = 0; i < panel.targets.size(); ++i) {
            const Impl::Target& target = panel.targets[i];
            if (!target.expression.isValid()) {
                errors << QStringLiteral("expression \"%1\": %2")
                              .arg(target.target.expr, target.expression.error());
                continue;
            }
            std::vector<EvaluatedSeries> evaluated =
                target.expression.range(m_impl->store, from, to, step, target.target.legend);
            m_impl->history.merge(panel.id, i, target.expression, target.target.legend, evaluated,
                                  errors);
            for (EvaluatedSeries& series : evaluated) {
                series.points = TimeSeriesStore::downsample(series.points, m_impl->maxPoints);
                data.series.push_back(std::move(series));
            }
        }
        data.error = errors.join(QStringLiteral("; "));
        out.append(std::move(data));
    }
    emit panelData(out);
}

} // namespace querydeck
