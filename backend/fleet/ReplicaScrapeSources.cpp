#include "backend/fleet/ReplicaScrapeSources.h"

#include "backend/fleet/ReplicaSet.h"
#include "backend/sources/ScrapeSource.h"
#include "backend/telemetry/TelemetryEngine.h"

#include <QUrl>

namespace querydeck {

namespace {

// Draining and stopped replicas are leaving on purpose.
bool leaving(ReplicaState state)
{
    return state == ReplicaState::Draining || state == ReplicaState::Stopped;
}

} // namespace

ReplicaScrapeSources::ReplicaScrapeSources(ReplicaSet* replicas, TelemetryEngine* engine,
                                           int intervalMs, QObject* parent)
    : QObject(parent)
    , m_replicas(replicas)
    , m_engine(engine)
    , m_intervalMs(intervalMs)
{
    connect(replicas, &ReplicaSet::replicasChanged, this, &ReplicaScrapeSources::update);
    update();
}

QSet<QString> ReplicaScrapeSources::addresses() const
{
    const QList<QString> keys = m_sourceIds.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

void ReplicaScrapeSources::update()
{
    if (!m_replicas)
        return;
    QSet<QString> wanted;
    QSet<QString> present;
    for (const ReplicaInfo& replica : m_replicas->replicas()) {
        if (replica.address.isEmpty())
            continue;
        present.insert(replica.address);
        if (leaving(replica.state)) {
            m_wasReady.remove(replica.address);
            continue;
        }
        if (replica.state == ReplicaState::Ready)
            m_wasReady.insert(replica.address);
        // A replica that is still starting is not scraped (its up would read
        // 0 and fire ReplicaDown for a normal scale-up); one that was ready
        // and is starting again after a crash, or that failed, is down.
        if (replica.state != ReplicaState::Starting || m_wasReady.contains(replica.address))
            wanted.insert(replica.address);
    }
    m_wasReady.intersect(present);
    TelemetryEngine* engine = m_engine;
    // The engine may run on another thread: sources are handed to it there.
    for (auto it = m_sourceIds.begin(); it != m_sourceIds.end();) {
        if (wanted.contains(it.key())) {
            ++it;
            continue;
        }
        const QString id = it.value();
        QMetaObject::invokeMethod(engine, [engine, id] { engine->removeSource(id); });
        it = m_sourceIds.erase(it);
    }
    for (const QString& address : std::as_const(wanted)) {
        if (m_sourceIds.contains(address))
            continue;
        auto* source = new ScrapeSource(QUrl(QStringLiteral("http://%1/metrics").arg(address)));
        source->setJob(QStringLiteral("service"));
        m_sourceIds.insert(address, source->id());
        source->moveToThread(engine->thread());
        const int interval = m_intervalMs;
        QMetaObject::invokeMethod(
            engine, [engine, source, interval] { engine->addSource(source, interval); });
    }
}

} // namespace querydeck
