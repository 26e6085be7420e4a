#pragma once

#include "ui/fleet/ScalePageBase.h"

class QLabel;
class QTreeWidget;

namespace querydeck {

// Page 1: what the fleet does now (replicas, throughput per replica, CPU,
// latency, cache hit rate) and the decision matrix applied to the live
// metrics, so the operator sees whether more replicas would help at all.
class ScaleStatePage : public ScalePageBase
{
    Q_OBJECT

public:
    explicit ScaleStatePage(ScaleWizard* wizard);
    void initializePage() override;
    int nextId() const override;

private:
    QLabel* m_replicas;
    QLabel* m_throughput;
    QLabel* m_utilisation;
    QLabel* m_latency;
    QLabel* m_cacheHit;
    QTreeWidget* m_findings;
    QLabel* m_verdict;
};

} // namespace querydeck
