#pragma once

#include "ui/alerts/ThresholdPageBase.h"

class QListWidget;
class QRadioButton;

namespace querydeck {

// Page 1: edit one of the rules (a list with their current conditions) or
// start a new one.
class ThresholdPickPage : public ThresholdPageBase
{
    Q_OBJECT

public:
    explicit ThresholdPickPage(ThresholdWizard* wizard);

    void initializePage() override;
    bool validatePage() override;
    bool isComplete() const override;
    int nextId() const override;

    QListWidget* ruleList() const { return m_list; }
    QRadioButton* newRuleButton() const { return m_new; }
    QRadioButton* editButton() const { return m_edit; }

private:
    QRadioButton* m_edit = nullptr;
    QRadioButton* m_new = nullptr;
    QListWidget* m_list = nullptr;
};

} // namespace querydeck
