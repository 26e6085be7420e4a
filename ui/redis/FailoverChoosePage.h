#pragma once

#include "ui/redis/FailoverPageBase.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QRadioButton;

namespace querydeck {

// Sentinel: let Sentinel pick, or prefer one replica (by priority). Cluster:
// the replica to promote and the mode; FORCE and TAKEOVER need the risk box.
class FailoverChoosePage : public FailoverPageBase
{
    Q_OBJECT

public:
    explicit FailoverChoosePage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    int nextId() const override;

private:
    void updateRisk();

    QRadioButton* m_sentinelPicks;
    QRadioButton* m_prefer;
    QComboBox* m_replica;
    QLabel* m_optionLabel;
    QComboBox* m_option;
    QCheckBox* m_risk;
};

} // namespace querydeck
