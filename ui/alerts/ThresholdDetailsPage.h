#pragma once

#include "ui/alerts/ThresholdPageBase.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace querydeck {

// Page 5: severity, labels ("team=db, tier=cache"), the notification route
// (empty: the severity's route) and the summary template.
class ThresholdDetailsPage : public ThresholdPageBase
{
    Q_OBJECT

public:
    explicit ThresholdDetailsPage(ThresholdWizard* wizard);

    void initializePage() override;
    bool validatePage() override;
    int nextId() const override;

    QComboBox* severityBox() const { return m_severity; }
    QLineEdit* labelsEdit() const { return m_labels; }
    QLineEdit* routeEdit() const { return m_route; }
    QLineEdit* summaryEdit() const { return m_summary; }

private:
    QComboBox* m_severity = nullptr;
    QLineEdit* m_labels = nullptr;
    QLineEdit* m_route = nullptr;
    QLineEdit* m_summary = nullptr;
    QLabel* m_labelsMessage = nullptr;
    QLabel* m_summaryMessage = nullptr;
};

} // namespace querydeck
