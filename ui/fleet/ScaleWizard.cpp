#include "ui/fleet/ScaleWizard.h"

#include "ui/fleet/ScaleWizardPages.h"

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
    setPage(Page_State, new CurrentStatePage(this));
    setPage(Page_Target, new TargetPage(this));
    setPage(Page_Preflight, new PreflightPage(this));
    setPage(Page_Apply, new ApplyPage(this));
    setPage(Page_Verify, new VerifyPage(this));
    setPage(Page_Report, new ReportPage(this));
    setStartId(Page_State);
    setButtonText(QWizard::CommitButton, tr("&Apply"));
    resize(760, 560);
}

} // namespace querydeck
