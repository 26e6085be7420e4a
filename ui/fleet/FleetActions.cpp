#include "ui/fleet/FleetActions.h"

#include "backend/scaling/ScaleOperatorMirror.h"
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
    setScaleMirror(nullptr);
    setAutoscalerPanel(nullptr);
}

void FleetActions::setScaleMirror(ScaleOperatorMirror* scaleMirror, const ScaleRequest& defaults)
{
    m_scaleMirror = scaleMirror;
    m_defaults = defaults;
    const bool on = scaleMirror != nullptr;
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
    if (!m_scaleMirror)
        return;
    ScaleRequest request = m_defaults;
    auto* wizard = new ScaleWizard(m_scaleMirror, request, m_window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &QDialog::rejected, m_scaleMirror.data(), &ScaleOperatorMirror::cancel);
    wizard->show();
}

void FleetActions::openQuickScale()
{
    if (!m_scaleMirror)
        return;
    const int current =
        m_scaleMirror->replicaSet() ? m_scaleMirror->replicaSet()->desiredCount() : 1;
    auto* dialog = new QuickScaleDialog(std::max(0, current), 1, 1000, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, current] {
        if (!m_scaleMirror || dialog->count() == current)
            return;
        ScaleRequest request = m_defaults;
        request.currentReplicas = current;
        request.targetReplicas = dialog->count();
        m_scaleMirror->apply(request);
    });
    dialog->open();
}

} // namespace querydeck
