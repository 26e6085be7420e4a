#pragma once

#include "ui/redis/FailoverPageBase.h"

class QLabel;
class QListWidget;

namespace querydeck {

// The final checks for the chosen plan; committing it triggers the failover.
class FailoverTriggerPage : public FailoverPageBase
{
    Q_OBJECT

public:
    explicit FailoverTriggerPage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    int nextId() const override;

private:
    QLabel* m_plan;
    QListWidget* m_checks;
    QLabel* m_error;
};

} // namespace querydeck
