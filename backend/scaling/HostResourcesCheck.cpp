#include "backend/scaling/HostResourcesCheck.h"

#include <QFile>
#include <QRegularExpression>
#include <QThread>

namespace querydeck {

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

} // namespace querydeck
