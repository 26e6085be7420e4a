#include "backend/scaling/PreflightCheck.h"

#include "backend/fleet/KubernetesReplicaSet.h"

#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QStringList>
#include <QTcpServer>
#include <QThread>
#include <memory>

namespace querydeck {

QString checkLevelName(CheckResult::Level level)
{
    switch (level) {
    case CheckResult::Level::Pass:
        return QStringLiteral("pass");
    case CheckResult::Level::Warn:
        return QStringLiteral("warn");
    case CheckResult::Level::Fail:
        return QStringLiteral("fail");
    }
    return {};
}

void PortsFreeCheck::run(const ScaleRequest& request, QObject*, Done done)
{
    if (request.targetReplicas <= request.currentReplicas)
        return done({CheckResult::Level::Pass, QStringLiteral("no new ports needed")});
    if (request.basePort <= 0)
        return done(
            {CheckResult::Level::Warn, QStringLiteral("no base port configured; not checked")});
    QStringList taken;
    QStringList checked;
    for (int n = request.currentReplicas + 1; n <= request.targetReplicas; ++n) {
        const int port = request.basePort + n - 1;
        if (port > 65535) {
            taken << QStringLiteral("%1 (out of range)").arg(port);
            continue;
        }
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, quint16(port)))
            taken << QStringLiteral("%1 (%2)").arg(port).arg(probe.errorString());
        checked << QString::number(port);
    }
    if (!taken.isEmpty())
        return done(
            {CheckResult::Level::Fail, QStringLiteral("ports in use: %1").arg(taken.join(", "))});
    done({CheckResult::Level::Pass, QStringLiteral("ports %1 free").arg(checked.join(", "))});
}

HostResourcesCheck::HostResourcesCheck(QString procRoot)
    : m_procRoot(std::move(procRoot))
{
}

void HostResourcesCheck::run(const ScaleRequest& request, QObject*, Done done)
{
    const int added = request.targetReplicas - request.currentReplicas;
    if (added <= 0)
        return done({CheckResult::Level::Pass, QStringLiteral("no new replicas on this host")});
    QFile meminfo(m_procRoot + "/meminfo");
    if (!meminfo.open(QIODevice::ReadOnly))
        return done({CheckResult::Level::Warn,
                     QStringLiteral("cannot read %1: memory not checked").arg(meminfo.fileName())});
    static const QRegularExpression re(R"(^MemAvailable:\s+(\d+)\s+kB)",
                                       QRegularExpression::MultilineOption);
    const auto match = re.match(QString::fromLatin1(meminfo.read(64 * 1024)));
    if (!match.hasMatch())
        return done({CheckResult::Level::Warn,
                     QStringLiteral("no MemAvailable in %1").arg(meminfo.fileName())});
    const qint64 available = match.captured(1).toLongLong() * 1024;
    const qint64 needed = added * request.memoryPerReplicaBytes;
    const int cores = QThread::idealThreadCount();
    const double coresNeeded = request.targetReplicas * request.cpuPerReplica;
    const QString summary = QStringLiteral("%1 new replicas need %2 MiB (%3 MiB available); %4 "
                                           "replicas want %5 cores (%6 present)")
                                .arg(added)
                                .arg(needed >> 20)
                                .arg(available >> 20)
                                .arg(request.targetReplicas)
                                .arg(coresNeeded)
                                .arg(cores);
    if (needed > available)
        return done({CheckResult::Level::Fail, QStringLiteral("not enough memory: ") + summary});
    if (coresNeeded > cores)
        return done({CheckResult::Level::Warn, QStringLiteral("CPU oversubscribed: ") + summary});
    done({CheckResult::Level::Pass, summary});
}

HpaConflictCheck::HpaConflictCheck(KubernetesReplicaSet* replicas)
    : m_replicas(replicas)
{
}

void HpaConflictCheck::run(const ScaleRequest&, QObject* context, Done done)
{
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(
        m_replicas, &KubernetesReplicaSet::hpaChecked, context,
        [connection, done](const QString& warning, const QString& error) {
            QObject::disconnect(*connection);
            if (!error.isEmpty())
                done({CheckResult::Level::Warn, QStringLiteral("HPA not checked: ") + error});
            else if (!warning.isEmpty())
                done({CheckResult::Level::Fail, warning});
            else
                done({CheckResult::Level::Pass, QStringLiteral("no HPA manages the deployment")});
        });
    m_replicas->checkHpa();
}

} // namespace querydeck
