#pragma once

#include "ui/alerts/ThresholdPageBase.h"

class QLabel;
class QLineEdit;

namespace querydeck {

// Page 3: `for` (how long the condition must hold before firing) and
// keep_firing_for (how long a firing alert is held after it clears), as
// Prometheus durations ("5m", "1h30m").
class ThresholdDurationsPage : public ThresholdPageBase
{
    Q_OBJECT

public:
    explicit ThresholdDurationsPage(ThresholdWizard* wizard);

    void initializePage() override;
    bool validatePage() override;
    int nextId() const override;

    QLineEdit* forEdit() const { return m_for; }
    QLineEdit* keepFiringEdit() const { return m_keep; }

private:
    QLineEdit* m_for = nullptr;
    QLineEdit* m_keep = nullptr;
    QLabel* m_forMessage = nullptr;
    QLabel* m_keepMessage = nullptr;
};

} // namespace querydeck
