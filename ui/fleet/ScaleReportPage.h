#pragma once

#include "ui/fleet/ScalePageBase.h"

class QLabel;
class QListWidget;
class QPushButton;

namespace querydeck {

// Last page: what was applied and verified, line by line, and a rollback to
// the previous count when the scale or its verification failed.
class ScaleReportPage : public ScalePageBase
{
    Q_OBJECT

public:
    explicit ScaleReportPage(ScaleWizard* wizard);
    void initializePage() override;
    int nextId() const override { return -1; }

private:
    QLabel* m_summary;
    QListWidget* m_lines;
    QPushButton* m_rollback;
    QLabel* m_rollbackStatus;
};

} // namespace querydeck
