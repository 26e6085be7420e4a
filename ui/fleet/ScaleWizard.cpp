#include "ui/fleet/ScaleWizard.h"

#include "ui/fleet/ScaleApplyPage.h"
#include "ui/fleet/ScalePreflightPage.h"
#include "ui/fleet/ScaleReportPage.h"
#include "ui/fleet/ScaleStatePage.h"
#include "ui/fleet/ScaleTargetPage.h"
#include "ui/fleet/ScaleVerifyPage.h"

namespace querydeck {

ScaleWizard::ScaleWizard(ScaleOperatorMirror* scaleOperator, ScaleRequest defaults, QWidget* parent)
    : QWizard(parent)
    , m_scaleOperator(scaleOperator)
    , m_request(std::move(defaults))
{
    setWindowTitle(tr("Scale the query service"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(int(Page::State), new ScaleStatePage(this));
    setPage(int(Page::Target), new ScaleTargetPage(this));
    setPage(int(Page::Preflight), new ScalePreflightPage(this));
    setPage(int(Page::Apply), new ScaleApplyPage(this));
    setPage(int(Page::Verify), new ScaleVerifyPage(this));
    setPage(int(Page::Report), new ScaleReportPage(this));
    setStartId(int(Page::State));
    setButtonText(QWizard::CommitButton, tr("&Apply"));
    resize(760, 560);
}

} // namespace querydeck
