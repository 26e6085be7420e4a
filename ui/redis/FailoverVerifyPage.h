#pragma once

#include "ui/redis/FailoverPageBase.h"

class QLabel;
class QListWidget;

namespace querydeck {

// What was read back from the servers after the switch.
class FailoverVerifyPage : public FailoverPageBase
{
    Q_OBJECT

public:
    explicit FailoverVerifyPage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void refresh();

    QListWidget* m_verified;
    QLabel* m_state;
};

} // namespace querydeck
