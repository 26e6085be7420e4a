#pragma once

#include "ui/fleet/ScalePageBase.h"

class QLabel;
class QListWidget;

namespace querydeck {

// Page 5: the real state after the scale over the verify window: every
// replica ready and receiving traffic, the error rate not worse than before.
class ScaleVerifyPage : public ScalePageBase
{
    Q_OBJECT

public:
    explicit ScaleVerifyPage(ScaleWizard* wizard);
    void initializePage() override;
    bool isComplete() const override { return m_done; }
    int nextId() const override;

private:
    QLabel* m_status;
    QListWidget* m_lines;
    bool m_done = false;
};

} // namespace querydeck
