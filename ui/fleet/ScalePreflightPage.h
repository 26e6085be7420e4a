#pragma once

#include "ui/fleet/ScalePageBase.h"

class QLabel;
class QPushButton;
class QTreeWidget;

namespace querydeck {

// Page 3: the pre-flight checks, filled in as each finishes. A commit page:
// Apply stays disabled until no check fails (warnings do not block); the
// checks can be run again after a fix.
class ScalePreflightPage : public ScalePageBase
{
    Q_OBJECT

public:
    explicit ScalePreflightPage(ScaleWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void run();

    QTreeWidget* m_checks;
    QLabel* m_status;
    QPushButton* m_rerun;
    bool m_done = false;
    bool m_canProceed = false;
};

} // namespace querydeck
