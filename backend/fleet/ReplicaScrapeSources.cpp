#include "fleet/ReplicaScrapeSources.h"

#include "fleet/ReplicaSet.h"
#include "telemetry/ScrapeSource.h"
#include "telemetry/TelemetryEngine.h"

#include <QUrl>

namespace querydeck {

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

void ReplicaScrapeSources::update()
{
    if (!m_replicas)
        return;
    for (const ReplicaInfo& replica : m_replicas->replicas()) {
        if (replica.address.isEmpty() || m_scraped.contains(replica.address))
            continue;
        m_scraped.insert(replica.address);
        const QUrl url(QStringLiteral("http://%1/metrics").arg(replica.address));
        TelemetryEngine* engine = m_engine;
        const int interval = m_intervalMs;
        // The engine may run on another thread: its sources are made there.
        QMetaObject::invokeMethod(engine, [engine, url, interval] {
            engine->addSource(new ScrapeSource(url), interval);
        });
    }
}

} // namespace querydeck
