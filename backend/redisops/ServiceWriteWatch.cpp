#include "backend/redisops/ServiceWriteWatch.h"

#include <algorithm>

namespace querydeck {

namespace {

constexpr int kDefaultIntervalMs = 250;

} // namespace

ServiceWriteWatch::ServiceWriteWatch(std::function<qint64()> sinceTriggerMs, QObject* parent)
    : QObject(parent)
    , m_sinceTriggerMs(std::move(sinceTriggerMs))
    , m_probe(new ServiceReplicaProbe(this))
{
    connect(&m_timer, &QTimer::timeout, this, &ServiceWriteWatch::poll);
    setIntervalMs(kDefaultIntervalMs);
}

void ServiceWriteWatch::setIntervalMs(int ms)
{
    m_timer.setInterval(ms);
    // An answer later than a few rounds is no use to a timing read every round.
    m_probe->setTimeoutMs(std::max(1000, 4 * ms));
}

void ServiceWriteWatch::start(const QStringList& serviceReplicas, const QString& oldMaster)
{
    ++m_generation;
    m_urls = serviceReplicas;
    m_oldMaster = oldMaster;
    m_tracks.clear();
    for (const QString& url : serviceReplicas) {
        Track t;
        t.writes.url = url;
        m_tracks.append(t);
    }
    m_running = !serviceReplicas.isEmpty();
    m_inFlight = false;
    if (!m_running)
        return;
    m_timer.start();
    poll();
}

void ServiceWriteWatch::stop()
{
    ++m_generation;
    m_running = false;
    m_inFlight = false;
    m_timer.stop();
}

void ServiceWriteWatch::poll()
{
    if (!m_running || m_inFlight)
        return;
    m_inFlight = true;
    const int generation = m_generation;
    m_probe->read(m_urls, true, [this, generation](const QList<ServiceReplicaProbe::State>& s) {
        if (generation != m_generation)
            return;
        m_inFlight = false;
        record(s, m_sinceTriggerMs());
    });
}

void ServiceWriteWatch::record(const QList<ServiceReplicaProbe::State>& states, qint64 atMs)
{
    for (const ServiceReplicaProbe::State& s : states) {
        auto it = std::find_if(m_tracks.begin(), m_tracks.end(),
                               [&](const Track& t) { return t.writes.url == s.url; });
        if (it == m_tracks.end())
            continue;
        Track& t = *it;
        FailoverReport::ReplicaWrites& w = t.writes;
        if (!s.error.isEmpty()) {
            w.error = s.error; // the last problem; a later good read keeps its figures
            continue;
        }
        w.error.clear();
        t.usesRedis = s.usesRedis;
        if (!s.redisMaster.isEmpty() && s.redisMaster != w.master) {
            // A replica that moves twice (to a master that is then replaced)
            // resumed on the last one.
            w.master = s.redisMaster;
            w.resumedMs = s.redisMaster == m_oldMaster ? -1 : atMs;
        }
        if (s.redisMaster == m_oldMaster)
            w.lastOldMs = atMs;
        bool fellBack = false;
        if (s.cacheFallbacks >= 0) {
            if (t.lastFallbacks >= 0) {
                // A counter that went down means a restart: all it counted is new.
                const double grew = s.cacheFallbacks >= t.lastFallbacks
                                        ? s.cacheFallbacks - t.lastFallbacks
                                        : s.cacheFallbacks;
                w.fallbacks += qint64(grew);
                fellBack = grew > 0;
            }
            t.lastFallbacks = s.cacheFallbacks;
        }
        if (fellBack || s.cacheDegraded) {
            if (w.degradedFromMs < 0)
                w.degradedFromMs = t.lastReadMs;
            w.degradedToMs = atMs;
        }
        t.lastReadMs = atMs;
    }
}

void ServiceWriteWatch::fill(FailoverReport* report) const
{
    report->writesIntervalMs = m_timer.interval();
    report->replicaWrites.clear();
    if (m_tracks.isEmpty()) {
        report->writesDetail = QStringLiteral("not measured: no QueryDeck replica was given");
        return;
    }
    QStringList notMoved;
    QStringList unread;
    qint64 resumed = -1;
    qint64 fallbacks = 0;
    bool anyFallbacks = false;
    int withRedis = 0;
    for (const Track& t : m_tracks) {
        const FailoverReport::ReplicaWrites& w = t.writes;
        report->replicaWrites.append(w);
        if (t.lastFallbacks >= 0) {
            anyFallbacks = true;
            fallbacks += w.fallbacks;
        }
        if (w.degradedFromMs >= 0) {
            report->degradedFromMs = report->degradedFromMs < 0
                                         ? w.degradedFromMs
                                         : std::min(report->degradedFromMs, w.degradedFromMs);
            report->degradedToMs = std::max(report->degradedToMs, w.degradedToMs);
        }
        if (w.master.isEmpty() && !w.error.isEmpty()) {
            unread << QStringLiteral("%1 (%2)").arg(w.url, w.error);
            continue;
        }
        if (!t.usesRedis)
            continue;
        ++withRedis;
        if (w.master != report->newMaster || w.resumedMs < 0)
            notMoved << QStringLiteral("%1 (on %2)")
                            .arg(w.url,
                                 w.master.isEmpty() ? QStringLiteral("no master") : w.master);
        else
            resumed = std::max(resumed, w.resumedMs);
    }
    report->cacheFallbacks = anyFallbacks ? fallbacks : -1;
    report->writesResumedMs =
        notMoved.isEmpty() && unread.isEmpty() && withRedis > 0 ? resumed : -1;
    // From the promotion until a replica moved, its writes went to the old
    // master, which drops them when it follows the new one: degraded too.
    if (report->promotedMs >= 0 && resumed > report->promotedMs) {
        report->degradedFromMs = report->degradedFromMs < 0
                                     ? report->promotedMs
                                     : std::min(report->degradedFromMs, report->promotedMs);
        report->degradedToMs = std::max(report->degradedToMs, resumed);
    }
    if (withRedis == 0 && unread.isEmpty()) {
        report->writesDetail = QStringLiteral("no QueryDeck replica uses a Redis cache");
        return;
    }
    report->writesDetail = QStringLiteral("%1 QueryDeck replica(s) read every %2 s from the "
                                          "trigger: the master in their /v1/info, cache "
                                          "fallbacks in their /metrics")
                               .arg(m_tracks.size())
                               .arg(double(m_timer.interval()) / 1000.0);
    if (!notMoved.isEmpty())
        report->writesDetail +=
            QStringLiteral("; not on the new master: %1").arg(notMoved.join(QStringLiteral(", ")));
    if (!unread.isEmpty())
        report->writesDetail +=
            QStringLiteral("; not read: %1").arg(unread.join(QStringLiteral(", ")));
}

} // namespace querydeck
