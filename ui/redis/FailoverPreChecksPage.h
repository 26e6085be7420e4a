#pragma once

#include "ui/redis/FailoverPageBase.h"

class QLabel;
class QListWidget;

namespace querydeck {

class RedisTopologyView;

// The discovered topology and the pre-checks; Next only when discovery ended
// and at least one replica can be promoted.
class FailoverPreChecksPage : public FailoverPageBase
{
    Q_OBJECT

public:
    explicit FailoverPreChecksPage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    RedisTopologyView* m_topology;
    QListWidget* m_checks;
    QLabel* m_summary;
    bool m_ready = false;
};

} // namespace querydeck
