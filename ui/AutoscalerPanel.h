#pragma once

#include "fleet/AutoscaleSimulator.h"

#include <QWidget>
#include <functional>
#include <memory>

class QChart;
class QComboBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QTableView;
class QValueAxis;

namespace querydeck {

class ScaleDecisionModel;

// The auto-scaler at a glance: its mode (off / recommend / apply), the latest
// recommendation and its reason, the decision history, and a simulation
// chart of replicas over time for a load profile, to judge a policy before
// enabling it. Widgets only: the app connects modeRequested to the
// controller and the controller's decided() to showDecision. GUI thread only.
class AutoscalerPanel : public QWidget
{
    Q_OBJECT

public:
    using PolicyFactory = std::function<std::unique_ptr<AutoscalePolicy>()>;

    explicit AutoscalerPanel(PolicyFactory policyFactory, QWidget* parent = nullptr);
    ~AutoscalerPanel() override;

    ScaleDecisionModel* model() const { return m_model; }
    QLineSeries* replicaSeries() const { return m_replicas; }

public slots:
    void setMode(querydeck::AutoscaleMode mode);
    void showDecision(const querydeck::ScaleDecision& decision, querydeck::AutoscaleMode mode);
    void showSimulation(const std::vector<querydeck::SimulationStep>& steps);
    // A synthetic ramp through a fresh policy from the factory.
    void simulateRamp();

signals:
    void modeRequested(querydeck::AutoscaleMode mode);

private:
    PolicyFactory m_policyFactory;
    QComboBox* m_mode;
    QLabel* m_recommendation;
    QLabel* m_reason;
    ScaleDecisionModel* m_model;
    QTableView* m_history;
    QChart* m_chart;
    QLineSeries* m_replicas;
    QLineSeries* m_demand;
    QValueAxis* m_axisX;
    QValueAxis* m_axisY;
    QPushButton* m_simulate;
};

} // namespace querydeck
