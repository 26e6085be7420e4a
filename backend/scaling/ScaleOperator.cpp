#include "backend/scaling/ScaleOperator.h"

#include "backend/fleet/ReplicaCounts.h"
#include "backend/scaling/FleetProbe.h"

#include <QStringList>

namespace querydeck {

ScaleOperator::ScaleOperator(ReplicaSet* replicas, std::shared_ptr<FleetProbe> probe,
                             QObject* parent)
    : QObject(parent)
    , m_replicas(replicas)
    , m_probe(std::move(probe))
    , m_verifyTimer(new QTimer(this))
{
    m_verifyTimer->setSingleShot(true);
}

ScaleOperator::~ScaleOperator()
{
    disconnect(m_scaleConnection);
    disconnect(m_progressConnection);
}

void ScaleOperator::addCheck(std::unique_ptr<PreflightCheck> check)
{
    m_checks.push_back(std::move(check));
}

QStringList ScaleOperator::checkNames() const
{
    QStringList names;
    for (const auto& check : m_checks)
        names << check->name();
    return names;
}

FleetState ScaleOperator::currentState() const
{
    return stateOf(m_probe.get(), m_replicas.data());
}

FleetState ScaleOperator::stateOf(const FleetProbe* probe, const ReplicaSet* replicas)
{
    FleetState state = probe ? probe->read() : FleetState{};
    if (replicas) {
        const ReplicaCounts counts = ReplicaCounts::of(*replicas);
        state.replicas = counts.desired;
        state.working = counts.working();
        state.ready = counts.ready;
        state.failed = counts.failed;
    } else {
        state.replicas = 0;
    }
    return state;
}

void ScaleOperator::runPreflight(const ScaleRequest& request)
{
    m_anyFailed = false;
    ++m_generation;
    if (m_checks.empty())
        return emit preflightFinished(true);
    runCheck(0, request);
}

void ScaleOperator::runCheck(int index, const ScaleRequest& request)
{
    const int generation = m_generation;
    m_checks[std::size_t(index)]->run(
        request, this, [this, index, request, generation](const CheckResult& r) {
            if (generation != m_generation)
                return;
            if (r.level == CheckResult::Level::Fail)
                m_anyFailed = true;
            emit checkFinished(index, m_checks[std::size_t(index)]->name(), r);
            if (index + 1 < int(m_checks.size()))
                // Queued, so a check that answers at once does not recurse.
                QMetaObject::invokeMethod(
                    this,
                    [this, index, request, generation] {
                        if (generation == m_generation)
                            runCheck(index + 1, request);
                    },
                    Qt::QueuedConnection);
            else
                emit preflightFinished(!m_anyFailed);
        });
}

void ScaleOperator::scaleAndWait(int count, std::function<void(bool, const QString&)> done)
{
    disconnect(m_scaleConnection);
    disconnect(m_progressConnection);
    if (!m_replicas)
        return done(false, QStringLiteral("no replica set"));
    const int generation = m_generation;
    m_progressConnection = connect(m_replicas, &ReplicaSet::replicasChanged, this, [this] {
        int ready = 0;
        const auto list = m_replicas->replicas();
        for (const ReplicaInfo& r : list)
            if (r.state == ReplicaState::Ready)
                ++ready;
        emit progress(
            QStringLiteral("%1 of %2 replicas ready").arg(ready).arg(m_replicas->desiredCount()));
        emit replicasUpdated(list);
    });
    m_scaleConnection = connect(m_replicas, &ReplicaSet::scaleFinished, this,
                                [this, done, generation](bool ok, const QString& error) {
                                    disconnect(m_scaleConnection);
                                    disconnect(m_progressConnection);
                                    if (generation == m_generation)
                                        done(ok, error);
                                });
    m_replicas->scale(count);
}

void ScaleOperator::apply(const ScaleRequest& request)
{
    ++m_generation;
    m_errorBefore = m_probe ? m_probe->read().errorPercent : std::nullopt;
    m_applyStartedMs = m_clock();
    emit progress(QStringLiteral("scaling from %1 to %2 replicas")
                      .arg(request.currentReplicas)
                      .arg(request.targetReplicas));
    scaleAndWait(request.targetReplicas, [this](bool ok, const QString& error) {
        emit applyFinished(ok, error, m_clock() - m_applyStartedMs);
    });
}

void ScaleOperator::requestRefresh()
{
    // Sets that cache their state (Kubernetes) expose a refresh() slot; local
    // sets are always current and have none.
    if (m_replicas && m_replicas->metaObject()->indexOfSlot("refresh()") >= 0)
        QMetaObject::invokeMethod(m_replicas, "refresh", Qt::QueuedConnection);
}

void ScaleOperator::verify(const ScaleRequest& request)
{
    ++m_generation;
    const int generation = m_generation;
    emit progress(QStringLiteral("watching traffic and errors for %1 s")
                      .arg(request.verifyWindowMs / 1000.0));
    requestRefresh();
    m_verifyTimer->disconnect(this);
    connect(m_verifyTimer, &QTimer::timeout, this, [this, request, generation] {
        if (generation != m_generation)
            return;
        if (!m_replicas || m_replicas->metaObject()->indexOfSlot("refresh()") < 0)
            return finishVerify(request);
        // Read the state once more after the window, then judge.
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(m_replicas, &ReplicaSet::replicasChanged, this,
                        [this, once, request, generation] {
                            disconnect(*once);
                            if (generation == m_generation)
                                finishVerify(request);
                        });
        requestRefresh();
    });
    m_verifyTimer->start(request.verifyWindowMs);
}

void ScaleOperator::finishVerify(const ScaleRequest& request)
{
    QStringList lines;
    bool ok = true;
    const QList<ReplicaInfo> list = m_replicas ? m_replicas->replicas() : QList<ReplicaInfo>{};
    emit replicasUpdated(list);
    int ready = 0;
    QStringList notReady; // "3 failed": which replica, so the operator knows where to look
    for (const ReplicaInfo& r : list) {
        if (r.state == ReplicaState::Ready)
            ++ready;
        else
            notReady << r.id + QLatin1Char(' ') + replicaStateName(r.state);
    }
    if (ready == request.targetReplicas) {
        lines << QStringLiteral("pass: %1 of %1 replicas ready").arg(ready);
    } else {
        ok = false;
        lines << QStringLiteral("fail: %1 replicas ready, %2 asked for%3")
                     .arg(ready)
                     .arg(request.targetReplicas)
                     .arg(notReady.isEmpty()
                              ? QString()
                              : QStringLiteral(" (not ready: %1)").arg(notReady.join(", ")));
    }

    const QHash<QString, double> traffic =
        m_probe ? m_probe->requestsByInstance(request.verifyWindowMs) : QHash<QString, double>{};
    QStringList idle;
    QList<ReplicaTraffic> perReplica;
    for (const ReplicaInfo& r : list) {
        if (r.state != ReplicaState::Ready)
            continue;
        double served = 0;
        for (auto it = traffic.begin(); it != traffic.end(); ++it)
            if (!r.address.isEmpty() &&
                (it.key() == r.address || it.key().startsWith(r.address + ':')))
                served += it.value();
            else if (it.key() == r.id)
                served += it.value();
        if (served <= 0)
            idle << r.id;
        // The probe counts over whole seconds (at least one).
        perReplica.append({r.id, r.address, served,
                           std::max<qint64>(1, (request.verifyWindowMs + 999) / 1000) * 1000});
    }
    if (idle.isEmpty()) {
        lines << QStringLiteral("pass: every ready replica received traffic");
    } else {
        ok = false;
        lines << QStringLiteral("fail: no traffic reached %1").arg(idle.join(", "));
    }

    const std::optional<double> after = m_probe ? m_probe->read().errorPercent : std::nullopt;
    if (!after) {
        lines << QStringLiteral("warn: no error-rate data to compare");
    } else if (m_errorBefore && *after > *m_errorBefore + request.errorRateTolerancePercent) {
        ok = false;
        lines << QStringLiteral("fail: error rate rose from %1% to %2%")
                     .arg(*m_errorBefore, 0, 'f', 2)
                     .arg(*after, 0, 'f', 2);
    } else {
        lines << QStringLiteral("pass: error rate %1% (before: %2)")
                     .arg(*after, 0, 'f', 2)
                     .arg(m_errorBefore ? QString::number(*m_errorBefore, 'f', 2) + "%"
                                        : QStringLiteral("no data"));
    }
    emit verifyFinished(ok, lines, perReplica);
}

void ScaleOperator::rollback(const ScaleRequest& request)
{
    ++m_generation;
    emit progress(QStringLiteral("rolling back to %1 replicas").arg(request.currentReplicas));
    scaleAndWait(request.currentReplicas,
                 [this](bool ok, const QString& error) { emit rollbackFinished(ok, error); });
}

void ScaleOperator::cancel()
{
    ++m_generation;
    m_verifyTimer->stop();
    disconnect(m_scaleConnection);
    disconnect(m_progressConnection);
    emit progress(QStringLiteral("cancelled; a scale already sent is not undone"));
}

} // namespace querydeck
