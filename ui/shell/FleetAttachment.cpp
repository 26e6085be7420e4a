#include "ui/shell/FleetAttachment.h"

#include "backend/autoscale/AutoscaleOperator.h"
#include "backend/config/FleetCommandConfig.h"
#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/fleethost/ConsoleFleetHost.h"
#include "ui/fleet/AutoscalerPanel.h"
#include "ui/fleet/FleetActions.h"
#include "ui/fleet/ReplicasDock.h"
#include "ui/shell/LogsDock.h"
#include "ui/shell/MainWindow.h"

namespace querydeck {

void FleetAttachment::attach(ConsoleFleetHost* fleet, MainWindow* main)
{
    ReplicaSetMirror* mirror = fleet ? fleet->mirror() : nullptr;
    if (!mirror)
        return;
    auto* dock = new ReplicasDock(main);
    dock->setObjectName(QStringLiteral("replicasDock"));
    dock->setReplicaSet(mirror);
    if (!fleet->runtimeDir().isEmpty())
        dock->setLogPathResolver([fleet](const QString& id) { return fleet->replicaLogPath(id); });
    main->addDockWidget(Qt::BottomDockWidgetArea, dock);
    main->tabifyDockWidget(main->logsDock(), dock);
    dock->raise();
    main->resizeDocks({dock}, {260}, Qt::Vertical); // room for a few replicas

    main->fleetActions()->setScaleMirror(fleet->scaleMirror(), fleet->scaleDefaults());

    const AutoscalerConsoleConfig config = fleet->console().autoscaler;
    AutoscaleOperator* autoscaler = fleet->autoscaler();
    auto* panel = new AutoscalerPanel([config] { return makeAutoscalePolicy(config); });
    panel->setMode(config.mode);
    QObject::connect(panel, &AutoscalerPanel::modeRequested, autoscaler,
                     &AutoscaleOperator::setMode);
    QObject::connect(autoscaler, &AutoscaleOperator::decided, panel,
                     &AutoscalerPanel::showDecision);
    QObject::connect(autoscaler, &AutoscaleOperator::modeChanged, panel, &AutoscalerPanel::setMode);
    panel->setHistoryLoader([fleet, panel](qint64 spanMs, AutoscalerPanel::ProfileCallback done) {
        fleet->loadHistory(spanMs, panel, std::move(done));
    });
    main->fleetActions()->setAutoscalerPanel(panel);
    main->setReplicaCount(mirror->desiredCount());
    QObject::connect(mirror, &ReplicaSet::replicasChanged, main,
                     [mirror, main] { main->setReplicaCount(mirror->desiredCount()); });
}

} // namespace querydeck
