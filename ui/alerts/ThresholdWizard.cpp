#include "ui/alerts/ThresholdWizard.h"

#include "ui/alerts/ConditionPage.h"
#include "ui/alerts/DetailsPage.h"
#include "ui/alerts/DonePage.h"
#include "ui/alerts/DurationsPage.h"
#include "ui/alerts/PickRulePage.h"
#include "ui/alerts/PreviewPage.h"
#include "ui/alerts/ReviewPage.h"

namespace querydeck {

ThresholdWizard::ThresholdWizard(ThresholdWizardController* controller, QWidget* parent)
    : QWizard(parent)
    , m_controller(controller)
{
    setObjectName(QStringLiteral("thresholdWizard"));
    setWindowTitle(tr("Edit alert thresholds"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setPage(Page_Pick, new PickRulePage(this));
    setPage(Page_Condition, new ConditionPage(this));
    setPage(Page_Durations, new DurationsPage(this));
    setPage(Page_Preview, new PreviewPage(this));
    setPage(Page_Details, new DetailsPage(this));
    setPage(Page_Review, new ReviewPage(this));
    setPage(Page_Done, new DonePage(this));
    setStartId(Page_Pick);
    resize(900, 680);
}

const AlertRule* ThresholdWizard::originalRule() const
{
    const auto& rules = m_controller->rules();
    const int i = m_request.originalIndex;
    return i >= 0 && i < int(rules.size()) ? &rules[size_t(i)] : nullptr;
}

} // namespace querydeck
