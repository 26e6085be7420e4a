#pragma once

#include "backend/autoscale/AutoscaleSimulator.h"

#include <QWidget>
#include <functional>
#include <memory>

class QChart;
class QComboBox;
class QDoubleSpinBox;
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
// enabling it — a synthetic ramp up to a chosen peak, or the last hours of
// stored history (through a HistoryLoader the app provides, since the store
// lives on the telemetry thread). Widgets only: the app connects
// modeRequested to the controller and the controller's decided() to
// showDecision. GUI thread only.
class AutoscalerPanel : public QWidget
{
    Q_OBJECT

public:
    using PolicyFactory = std::function<std::unique_ptr<AutoscalePolicy>()>;
    // Loads the load profile of the last spanMs from stored history, off the
    // GUI thread, and calls done on the GUI thread (error empty on success).
    using ProfileCallback =
        std::function<void(const std::vector<LoadPoint>& profile, const QString& error)>;
    using HistoryLoader = std::function<void(qint64 spanMs, ProfileCallback done)>;

    explicit AutoscalerPanel(PolicyFactory policyFactory, QWidget* parent = nullptr);
    ~AutoscalerPanel() override;

    ScaleDecisionModel* model() const { return m_model; }
    QLineSeries* replicaSeries() const { return m_replicas; }
    QComboBox* profileChoice() const { return m_profile; }
    QDoubleSpinBox* peakDemand() const { return m_peak; }
    QLabel* simulationNote() const { return m_note; }
    // Offers "stored history" profiles; without a loader only the ramp.
    void setHistoryLoader(HistoryLoader loader);

public slots:
    void setMode(querydeck::AutoscaleMode mode);
    void showDecision(const querydeck::ScaleDecision& decision, querydeck::AutoscaleMode mode);
    void showSimulation(const std::vector<querydeck::SimulationStep>& steps);
    // The chosen profile (ramp or stored history) through a fresh policy.
    void simulate();
    // A synthetic ramp from 1 to the peak through a fresh policy.
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
    QComboBox* m_profile;
    QDoubleSpinBox* m_peak;
    QLabel* m_note;
    HistoryLoader m_historyLoader;
    int m_request = 0; // the latest history load; older answers are dropped
};

} // namespace querydeck
