#pragma once

#include "ui/redis/FailoverPageBase.h"

class QLabel;
class QListWidget;

namespace querydeck {

// The live timeline of the running failover (events and role changes).
class FailoverProgressPage : public FailoverPageBase
{
    Q_OBJECT

public:
    explicit FailoverProgressPage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    QListWidget* m_timeline;
    QLabel* m_state;
};

} // namespace querydeck
