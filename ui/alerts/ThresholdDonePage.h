#pragma once

#include "ui/alerts/ThresholdPageBase.h"

class QLabel;

namespace querydeck {

// Last page: what was saved, as read back from storage (not what was asked
// for), and the note recorded in the alert history.
class ThresholdDonePage : public ThresholdPageBase
{
    Q_OBJECT

public:
    explicit ThresholdDonePage(ThresholdWizard* wizard);

    void initializePage() override;
    int nextId() const override { return -1; }
    QLabel* resultLabel() const { return m_result; }

private:
    QLabel* m_result = nullptr;
};

} // namespace querydeck
