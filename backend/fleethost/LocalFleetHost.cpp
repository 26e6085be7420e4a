#include "backend/fleethost/LocalFleetHost.h"

#include "backend/fleet/LocalReplicaSet.h"
#include "backend/fleethost/AutoscaleHost.h"

#include <QDir>
#include <QStandardPaths>
#include <csignal>
#include <spdlog/spdlog.h>

namespace querydeck {

LocalFleetHost::LocalFleetHost(LocalFleetOptions options, FleetCommandConfig config,
                               QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_set(std::make_unique<LocalReplicaSet>(m_options))
    , m_autoscaler(std::make_unique<AutoscaleHost>(m_set.get(), std::move(config)))
{
    connect(m_set.get(), &ReplicaSet::event, this,
            [](const QString& message) { spdlog::info("[fleet] {}", message.toStdString()); });
    connect(m_set.get(), &LocalReplicaSet::replicaOutput, this,
            [](const QString& id, const QString& line) {
                spdlog::debug("[replica {}] {}", id.toStdString(), line.toStdString());
            });
    connect(m_set.get(), &ReplicaSet::scaleFinished, this, &LocalFleetHost::onScaleFinished);
    connect(m_set.get(), &LocalReplicaSet::shutdownFinished, this, [this] {
        spdlog::info("[fleet] stopped");
        emit finished(m_exitCode);
    });
}

LocalFleetHost::~LocalFleetHost()
{
    m_autoscaler.reset(); // stops deciding before the set goes
}

QString LocalFleetHost::autoscalerFitError(const LocalFleetOptions& options,
                                           const FleetCommandConfig& config)
{
    if (config.autoscaler.mode == AutoscaleMode::Off)
        return {};
    const bool hpa = config.autoscaler.policy == QLatin1String("hpa");
    const int most = hpa ? config.autoscaler.hpa.maxReplicas : config.autoscaler.rules.maxReplicas;
    const QString field = hpa ? QStringLiteral("fleet.autoscaler.hpa.max_replicas")
                              : QStringLiteral("fleet.autoscaler.rules.max_replicas");
    if (most > options.maxReplicas)
        return QStringLiteral("%1: %2 is more than the %3 replicas a local fleet runs")
            .arg(field)
            .arg(most)
            .arg(options.maxReplicas);
    if (options.replicaPort(most) > 65535)
        return QStringLiteral("%1: %2 replicas from port %3 would run past 65535")
            .arg(field)
            .arg(most)
            .arg(options.replicaPort(1));
    return {};
}

bool LocalFleetHost::prepareRuntimeDir(QString& dir, int frontPort)
{
    if (dir.isEmpty()) {
        QString base = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
        if (base.isEmpty())
            base = QDir::tempPath();
        dir = QDir(base).filePath(QStringLiteral("querydeck-fleet-%1").arg(frontPort));
    }
    if (!QDir().mkpath(dir))
        return false;
    dir = QDir(dir).absolutePath();
    return true;
}

void LocalFleetHost::start(int count)
{
    m_count = count;
    m_set->scale(count);
}

void LocalFleetHost::onScaleFinished(bool ok, const QString& error)
{
    if (m_started) // only the first scale starts (or fails) the fleet
        return;
    m_started = true;
    if (ok) {
        spdlog::info("[fleet] {} replica(s) serving on {} (runtime folder {})", m_count,
                     m_set->hasFrontDoor() ? m_set->frontAddress().toStdString()
                                           : m_set->frontAddress().toStdString() + " (no nginx)",
                     m_options.runtimeDir.toStdString());
        if (const QString failure = m_autoscaler->start(); !failure.isEmpty()) {
            spdlog::critical("[fleet] auto-scaler: {}", failure.toStdString());
            m_exitCode = 1;
            m_set->shutdown();
        }
        return;
    }
    spdlog::critical("[fleet] cannot start: {}", error.toStdString());
    m_exitCode = 1;
    m_set->shutdown();
}

void LocalFleetHost::shutdown()
{
    m_autoscaler->stop(); // no scaling while the fleet drains
    m_set->shutdown();
}

void LocalFleetHost::stopOnSignal(int signal)
{
    QMetaObject::invokeMethod(this, [this, signal] {
        spdlog::info("[fleet] received {}: draining", signal == SIGTERM ? "SIGTERM" : "SIGINT");
        shutdown();
    });
}

} // namespace querydeck
