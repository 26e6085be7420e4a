#pragma once

#include "ui/redis/FailoverPageBase.h"

class QLabel;
class QListWidget;

namespace querydeck {

// Outcome, old and new master; when the QueryDeck replicas wrote to the new
// master and how long their caching was degraded (ServiceWriteWatch); the
// console's check write, the window and the client requests that failed in
// it; the whole timeline.
class FailoverReportPage : public FailoverPageBase
{
    Q_OBJECT

public:
    explicit FailoverReportPage(FailoverWizard* wizard);
    void initializePage() override;
    int nextId() const override { return -1; }

private:
    QLabel* m_outcome;
    QLabel* m_writes;
    QLabel* m_degraded;
    QLabel* m_checkWrite;
    QLabel* m_method;
    QLabel* m_window;
    QLabel* m_failed;
    QListWidget* m_timeline;
};

} // namespace querydeck
