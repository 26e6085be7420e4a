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
class ScaleClient;

// The main window's Fleet menu: the scale wizard, the quick scale dialog and
// the auto-scaler panel (in a dock). Each action is disabled, with a tooltip
// and status tip saying why, until the app gives it what it needs (a
// ScaleClient for the configured fleet's ScaleController; an AutoscalerPanel).
// GUI thread only; the controller may run on another thread behind the client.
class FleetActions : public QObject
{
    Q_OBJECT

public:
    explicit FleetActions(QMainWindow* window);

    void setScaleClient(ScaleClient* client, const ScaleRequest& defaults = {});
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
    QPointer<ScaleClient> m_client;
    ScaleRequest m_defaults;
    QDockWidget* m_dock = nullptr;
};

} // namespace querydeck
