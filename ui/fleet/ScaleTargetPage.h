#pragma once

#include "backend/scaling/FleetAdvisor.h"
#include "ui/fleet/ScalePageBase.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QRadioButton;
class QSpinBox;
class QTableWidget;

namespace querydeck {

// Page 2: the target as a replica count or a capacity tier, and the price
// per instance; a table projects capacity and cost for the current count,
// each tier and the choice, from one replica's measured saturation point
// (FleetAdvisor::capacity) at the planning utilisation. Below it: how that
// was measured, and the load now, apart. Next only for a target other than
// the current.
class ScaleTargetPage : public ScalePageBase
{
    Q_OBJECT

public:
    explicit ScaleTargetPage(ScaleWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    int nextId() const override;
    int target() const;

private:
    void updateTable();

    FleetState m_state;
    ReplicaCapacity m_capacity;
    QRadioButton* m_byCount;
    QRadioButton* m_byTier;
    QSpinBox* m_count;
    QComboBox* m_tier;
    QDoubleSpinBox* m_price;
    QTableWidget* m_table;
    QLabel* m_method;
    QLabel* m_load;
    QLabel* m_note;
};

} // namespace querydeck
