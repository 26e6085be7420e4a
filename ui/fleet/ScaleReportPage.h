#pragma once

#include "ui/fleet/ScalePageBase.h"

class QLabel;
class QListWidget;
class QPushButton;

namespace querydeck {

// Last page: what was applied and verified, line by line; how long it took,
// the traffic each replica served while verified and the cost change; and a
// rollback to the previous count when the scale or its verification failed.
class ScaleReportPage : public ScalePageBase
{
    Q_OBJECT

public:
    explicit ScaleReportPage(ScaleWizard* wizard);
    void initializePage() override;
    int nextId() const override { return -1; }

private:
    QLabel* m_summary;
    QLabel* m_duration;
    QLabel* m_traffic;
    QLabel* m_cost;
    QListWidget* m_lines;
    QPushButton* m_rollback;
    QLabel* m_rollbackStatus;
};

} // namespace querydeck
