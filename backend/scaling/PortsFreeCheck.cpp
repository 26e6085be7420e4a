#include "backend/scaling/PortsFreeCheck.h"

#include <QHostAddress>
#include <QStringList>
#include <QTcpServer>

namespace querydeck {

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

} // namespace querydeck
