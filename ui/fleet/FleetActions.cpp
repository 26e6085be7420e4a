#include "ui/fleet/FleetActions.h"

#include "backend/scaling/ScaleClient.h"
#include "ui/fleet/AutoscalerPanel.h"
#include "ui/fleet/QuickScaleDialog.h"
#include "ui/fleet/ScaleWizard.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

namespace querydeck {

namespace {

void explain(QAction* action, bool enabled, const QString& why, const QString& what)
{
    action->setEnabled(enabled);
    action->setToolTip(enabled ? what : why);
    action->setStatusTip(enabled ? what : why);
}

const char* kNoReplicaSet = QT_TRANSLATE_NOOP(
    "FleetActions", "Disabled: no replica set is configured (a local fleet or a Kubernetes "
                    "deployment in the config file).");

} // namespace

FleetActions::FleetActions(QMainWindow* window)
    : QObject(window)
    , m_window(window)
{
    m_menu = window->menuBar()->addMenu(tr("F&leet"));
    m_menu->setToolTipsVisible(true);
    m_scale = m_menu->addAction(tr("&Scale wizard…"), this, &FleetActions::openWizard);
    m_scale->setObjectName("scaleWizardAction");
    m_quick = m_menu->addAction(tr("&Quick scale…"), this, &FleetActions::openQuickScale);
    m_quick->setObjectName("quickScaleAction");
    m_quick->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_autoscaler = m_menu->addAction(tr("&Auto-scaler"));
    m_autoscaler->setObjectName("autoscalerAction");
    setScaleClient(nullptr);
    setAutoscalerPanel(nullptr);
}

void FleetActions::setScaleClient(ScaleClient* client, const ScaleRequest& defaults)
{
    m_client = client;
    m_defaults = defaults;
    const bool on = client != nullptr;
    explain(m_scale, on, tr(kNoReplicaSet),
            tr("Scale the fleet step by step: state, target, checks, apply, verify."));
    explain(m_quick, on, tr(kNoReplicaSet), tr("Set the replica count at once (+/- keys)."));
}

void FleetActions::setAutoscalerPanel(AutoscalerPanel* panel)
{
    if (m_dock) {
        m_menu->removeAction(m_dock->toggleViewAction());
        m_dock->deleteLater();
        m_dock = nullptr;
    }
    if (!panel) {
        m_autoscaler->setVisible(true);
        explain(m_autoscaler, false,
                tr("Disabled: the auto-scaler needs a replica set and its settings in the config "
                   "file."),
                {});
        return;
    }
    m_dock = new QDockWidget(tr("Auto-scaler"), m_window);
    m_dock->setObjectName("autoscalerDock");
    m_dock->setWidget(panel);
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_dock);
    m_dock->hide();
    // The dock's own toggle takes the place of the disabled placeholder.
    m_autoscaler->setVisible(false);
    QAction* toggle = m_dock->toggleViewAction();
    toggle->setText(tr("&Auto-scaler"));
    toggle->setObjectName("autoscalerToggle");
    m_menu->addAction(toggle);
}

void FleetActions::openWizard()
{
    if (!m_client)
        return;
    ScaleRequest request = m_defaults;
    auto* wizard = new ScaleWizard(m_client, request, m_window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &QDialog::rejected, m_client.data(), &ScaleClient::cancel);
    wizard->show();
}

void FleetActions::openQuickScale()
{
    if (!m_client)
        return;
    const int current = m_client->replicaSet() ? m_client->replicaSet()->desiredCount() : 1;
    auto* dialog = new QuickScaleDialog(std::max(0, current), 1, 1000, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, current] {
        if (!m_client || dialog->count() == current)
            return;
        ScaleRequest request = m_defaults;
        request.currentReplicas = current;
        request.targetReplicas = dialog->count();
        m_client->apply(request);
    });
    dialog->open();
}

} // namespace querydeck
