#pragma once

#include "ui/fleet/ScalePageBase.h"

class QLabel;
class QProgressBar;
class QTableWidget;

namespace querydeck {

// Page 4: the scale as it runs, replica by replica (state table and a bar of
// ready replicas). A failed apply skips verification and goes to the report.
class ScaleApplyPage : public ScalePageBase
{
    Q_OBJECT

public:
    explicit ScaleApplyPage(ScaleWizard* wizard);
    void initializePage() override;
    bool isComplete() const override { return m_done; }
    int nextId() const override;

private:
    QLabel* m_status;
    QProgressBar* m_progress;
    QTableWidget* m_replicas;
    bool m_done = false;
};

} // namespace querydeck
