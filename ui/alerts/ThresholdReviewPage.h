#pragma once

#include "ui/alerts/ThresholdPageBase.h"

class QLabel;
class QTableWidget;

namespace querydeck {

// Page 6: the rule before and after, side by side (changed rows in bold),
// and the save: a commit page whose Save validates the whole rule, persists
// the set and records the change in the alert history. A failed save stays
// on this page with the reason.
class ThresholdReviewPage : public ThresholdPageBase
{
    Q_OBJECT

public:
    explicit ThresholdReviewPage(ThresholdWizard* wizard);

    void initializePage() override;
    bool validatePage() override;
    int nextId() const override;

    QTableWidget* table() const { return m_table; }
    QLabel* errorLabel() const { return m_error; }

private:
    QTableWidget* m_table = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace querydeck
