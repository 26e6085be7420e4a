#include "ui/alerts/ThresholdWizard.h"

#include "ui/alerts/ThresholdConditionPage.h"
#include "ui/alerts/ThresholdDetailsPage.h"
#include "ui/alerts/ThresholdDonePage.h"
#include "ui/alerts/ThresholdDurationsPage.h"
#include "ui/alerts/ThresholdPickPage.h"
#include "ui/alerts/ThresholdPreviewPage.h"
#include "ui/alerts/ThresholdReviewPage.h"

namespace querydeck {

ThresholdWizard::ThresholdWizard(ThresholdWizardController* controller, QWidget* parent)
    : QWizard(parent)
    , m_controller(controller)
{
    setObjectName(QStringLiteral("thresholdWizard"));
    setWindowTitle(tr("Edit alert thresholds"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setPage(int(Page::Pick), new ThresholdPickPage(this));
    setPage(int(Page::Condition), new ThresholdConditionPage(this));
    setPage(int(Page::Durations), new ThresholdDurationsPage(this));
    setPage(int(Page::Preview), new ThresholdPreviewPage(this));
    setPage(int(Page::Details), new ThresholdDetailsPage(this));
    setPage(int(Page::Review), new ThresholdReviewPage(this));
    setPage(int(Page::Done), new ThresholdDonePage(this));
    setStartId(int(Page::Pick));
    resize(900, 680);
}

const AlertRule* ThresholdWizard::originalRule() const
{
    const auto& rules = m_controller->rules();
    const int i = m_request.originalIndex;
    return i >= 0 && i < int(rules.size()) ? &rules[size_t(i)] : nullptr;
}

} // namespace querydeck
