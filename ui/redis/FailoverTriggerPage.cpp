#include "ui/redis/FailoverTriggerPage.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace querydeck {

FailoverTriggerPage::FailoverTriggerPage(FailoverWizard* wizard)
    : FailoverPageBase(wizard)
    , m_plan(new QLabel(this))
    , m_checks(new QListWidget(this))
    , m_error(makeErrorLabel())
{
    setTitle(tr("Trigger"));
    setSubTitle(
        tr("Last look. From here on the failover runs on the servers and cannot be cancelled."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Fail over now"));
    m_plan->setWordWrap(true);
    m_checks->setObjectName(QStringLiteral("checks"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_plan);
    layout->addWidget(m_checks);
    layout->addWidget(m_error);
    connect(controller(), &FailoverController::checksReady, this,
            [this](const QList<FailoverCheck>& checks) {
                if (failoverWizard()->currentId() == int(FailoverWizard::Page::Trigger)) {
                    showChecks(m_checks, checks);
                    emit completeChanged();
                }
            });
}

void FailoverTriggerPage::initializePage()
{
    const FailoverRequest& request = this->request();
    const QString master = controller()->topology().master.address;
    if (request.mode == FailoverRequest::Mode::Sentinel)
        m_plan->setText(
            request.replica.isEmpty()
                ? tr("SENTINEL FAILOVER %1: Sentinel promotes a replica of %2.")
                      .arg(request.masterName, master)
                : tr("Give %1 replica-priority 1, then SENTINEL FAILOVER %2 (master %3). "
                     "Priorities are restored afterwards.")
                      .arg(request.replica, request.masterName, master));
    else
        m_plan->setText(tr("CLUSTER FAILOVER%1 on %2, replacing master %3.")
                            .arg(request.clusterOption == FailoverRequest::ClusterOption::Force
                                     ? QStringLiteral(" FORCE")
                                 : request.clusterOption == FailoverRequest::ClusterOption::Takeover
                                     ? QStringLiteral(" TAKEOVER")
                                     : QString(),
                                 request.replica, master));
    m_error->clear();
    // The plan may differ from the pre-check page's (a chosen replica, FORCE).
    // QWizard still reports the previous page as current here, so fill the list directly.
    controller()->recheck();
    showChecks(m_checks, controller()->checks());
}

bool FailoverTriggerPage::isComplete() const
{
    return FailoverCheck::allowTrigger(controller()->checks());
}

bool FailoverTriggerPage::validatePage()
{
    if (!controller()->trigger()) {
        m_error->setText(
            tr("Not triggered: a check fails. Go back and choose differently, or cancel."));
        return false;
    }
    return true;
}

int FailoverTriggerPage::nextId() const
{
    return int(FailoverWizard::Page::Progress);
}

} // namespace querydeck
