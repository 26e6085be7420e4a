#include "ui/redis/FailoverWizard.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverChoosePage.h"
#include "ui/redis/FailoverDiscoverPage.h"
#include "ui/redis/FailoverPreChecksPage.h"
#include "ui/redis/FailoverProgressPage.h"
#include "ui/redis/FailoverReportPage.h"
#include "ui/redis/FailoverTriggerPage.h"
#include "ui/redis/FailoverVerifyPage.h"

namespace querydeck {

FailoverWizard::FailoverWizard(QWidget* parent)
    : QWizard(parent)
    , m_controller(new FailoverController(this))
{
    setWindowTitle(tr("Redis failover"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(int(Page::Discover), new FailoverDiscoverPage(this));
    setPage(int(Page::PreChecks), new FailoverPreChecksPage(this));
    setPage(int(Page::Choose), new FailoverChoosePage(this));
    setPage(int(Page::Trigger), new FailoverTriggerPage(this));
    setPage(int(Page::Progress), new FailoverProgressPage(this));
    setPage(int(Page::Verify), new FailoverVerifyPage(this));
    setPage(int(Page::Report), new FailoverReportPage(this));
    setStartId(int(Page::Discover));
    resize(760, 560);
}

FailoverWizard::~FailoverWizard() = default;

void FailoverWizard::setDefaults(const QString& addresses, const QString& masterName, bool cluster)
{
    static_cast<FailoverDiscoverPage*>(page(int(Page::Discover)))
        ->setDefaults(addresses, masterName, cluster);
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
