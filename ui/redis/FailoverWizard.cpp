#include "ui/redis/FailoverWizard.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverRunPages.h"
#include "ui/redis/FailoverSetupPages.h"

namespace querydeck {

FailoverWizard::FailoverWizard(QWidget* parent)
    : QWizard(parent)
    , m_controller(new FailoverController(this))
{
    setWindowTitle(tr("Redis failover"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(Page_Discover, new DiscoverPage(this));
    setPage(Page_PreChecks, new PreChecksPage(this));
    setPage(Page_Choose, new ChoosePage(this));
    setPage(Page_Trigger, new TriggerPage(this));
    setPage(Page_Progress, new ProgressPage(this));
    setPage(Page_Verify, new FailoverVerifyPage(this));
    setPage(Page_Report, new FailoverReportPage(this));
    setStartId(Page_Discover);
    resize(760, 560);
}

FailoverWizard::~FailoverWizard() = default;

void FailoverWizard::setDefaults(const QString& addresses, const QString& masterName, bool cluster)
{
    static_cast<DiscoverPage*>(page(Page_Discover))->setDefaults(addresses, masterName, cluster);
}

void FailoverWizard::reject()
{
    // Before the trigger nothing on the servers has changed: closing is safe.
    // Once triggered, closing would hide a failover that is still running.
    if (!m_controller->cancel() && m_controller->phase() != FailoverController::Phase::Succeeded &&
        m_controller->phase() != FailoverController::Phase::Failed)
        return;
    QWizard::reject();
}

} // namespace querydeck
