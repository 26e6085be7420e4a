#include "FleetTeardown.h"

#include "backend/fleethost/ConsoleFleetHost.h"
#include "backend/scaling/FleetThreadHost.h"

#include <QProcess>
#include <QTest>
#include <QThread>
#include <csignal>

namespace querydeck::test {

namespace {

void checkStopped(QThread& control, const QList<qint64>& pids, const QString& runtimeDir)
{
    control.quit();
    QVERIFY(control.wait(10000));
    QVERIFY(!pids.isEmpty());
    for (qint64 pid : pids)
        QTRY_VERIFY2_WITH_TIMEOUT(::kill(pid_t(pid), 0) != 0, qPrintable(QString::number(pid)),
                                  10000);
    QProcess pgrep;
    pgrep.start(QStringLiteral("pgrep"), {QStringLiteral("-f"), runtimeDir});
    QVERIFY(pgrep.waitForFinished(5000));
    QCOMPARE(pgrep.exitCode(), 1); // none found
}

} // namespace

void tearDownLocalFleet(FleetThreadHost*& fleet, QThread& control, const QList<qint64>& pids,
                        const QString& runtimeDir)
{
    delete fleet;
    fleet = nullptr;
    checkStopped(control, pids, runtimeDir);
}

void tearDownLocalFleet(ConsoleFleetHost*& fleet, QThread& control, const QList<qint64>& pids,
                        const QString& runtimeDir)
{
    delete fleet;
    fleet = nullptr;
    checkStopped(control, pids, runtimeDir);
}

} // namespace querydeck::test
