#pragma once

#include "ui/alerts/ThresholdPageBase.h"

class QLabel;

namespace querydeck {

// Page 4: how often the rule as edited would have fired over the last 1 h,
// 6 h and 24 h of stored history (and the old rule, when editing one), so a
// threshold is tuned against real data rather than guessed.
class ThresholdPreviewPage : public ThresholdPageBase
{
    Q_OBJECT

public:
    static constexpr qint64 kSpans[3] = {3600LL * 1000, 6 * 3600LL * 1000, 24 * 3600LL * 1000};

    explicit ThresholdPreviewPage(ThresholdWizard* wizard);

    void initializePage() override;
    int nextId() const override;

    // The count shown for span i (0: 1 h, 1: 6 h, 2: 24 h).
    int firings(int span) const { return m_firings[span]; }
    QLabel* resultLabel(int span) const { return m_results[span]; }

private:
    QLabel* m_results[3] = {};
    QLabel* m_old[3] = {};
    QLabel* m_warning = nullptr;
    int m_firings[3] = {};
};

} // namespace querydeck
