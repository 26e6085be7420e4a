#pragma once

#include "backend/scaling/ScaleRequest.h"

#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace querydeck {

class AutoscalerPanel;
class ScaleOperatorMirror;

// The main window's Fleet menu: the scale wizard, the quick scale dialog and
// the auto-scaler panel (in a dock). Each action is disabled, with a tooltip
// and status tip saying why, until the app gives it what it needs (a
// ScaleOperatorMirror for the configured fleet's ScaleOperator; an AutoscalerPanel).
// GUI thread only; the ScaleOperator may run on another thread behind its mirror.
class FleetActions : public QObject
{
    Q_OBJECT

public:
    explicit FleetActions(QMainWindow* window);

    void setScaleMirror(ScaleOperatorMirror* scaleMirror, const ScaleRequest& defaults = {});
    void setAutoscalerPanel(AutoscalerPanel* panel);

    QMenu* menu() const { return m_menu; }
    QAction* scaleAction() const { return m_scale; }
    QAction* quickScaleAction() const { return m_quick; }
    QAction* autoscalerAction() const { return m_autoscaler; }

public slots:
    void openWizard();
    void openQuickScale();

private:
    QMainWindow* m_window;
    QMenu* m_menu;
    QAction* m_scale;
    QAction* m_quick;
    QAction* m_autoscaler;
    QPointer<ScaleOperatorMirror> m_scaleMirror;
    ScaleRequest m_defaults;
    QDockWidget* m_dock = nullptr;
};

} // namespace querydeck
