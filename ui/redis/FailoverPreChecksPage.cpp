#include "ui/redis/FailoverPreChecksPage.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"
#include "ui/redis/RedisTopologyView.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace querydeck {

FailoverPreChecksPage::FailoverPreChecksPage(FailoverWizard* wizard)
    : FailoverPageBase(wizard)
    , m_topology(new RedisTopologyView(this))
    , m_checks(new QListWidget(this))
    , m_summary(new QLabel(this))
{
    setTitle(tr("Pre-checks"));
    setSubTitle(tr("The topology as the servers report it, and whether a failover is safe now."));
    m_checks->setObjectName(QStringLiteral("checks"));
    m_summary->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_topology, 3);
    layout->addWidget(m_checks, 2);
    layout->addWidget(m_summary);
    connect(controller(), &FailoverController::topologyReady, m_topology,
            &RedisTopologyView::setTopology);
    connect(controller(), &FailoverController::checksReady, this,
            [this](const QList<FailoverCheck>& checks) {
                if (failoverWizard()->currentId() != int(FailoverWizard::Page::PreChecks))
                    return;
                showChecks(m_checks, checks);
                // Here the choice is not made yet: Next needs a promotable replica, not a clean
                // sheet.
                bool promotable = false;
                for (const FailoverCheck& check : checks)
                    promotable =
                        promotable || (check.name.startsWith(QLatin1String("Replica link")) &&
                                       check.status != FailoverCheck::Status::Fail);
                m_ready = promotable || isCluster();
                m_summary->setText(
                    FailoverCheck::allowTrigger(checks)
                        ? tr("All checks pass or only warn. Choose how to fail over next.")
                        : tr("Some checks fail (✖): a failover now could lose writes or not "
                             "complete."));
                emit completeChanged();
            });
}

void FailoverPreChecksPage::initializePage()
{
    m_ready = false;
    m_checks->clear();
    m_summary->clear();
    m_topology->setMessage(tr("Discovering…"));
}

bool FailoverPreChecksPage::isComplete() const
{
    return m_ready && controller()->phase() == FailoverController::Phase::Checked;
}

int FailoverPreChecksPage::nextId() const
{
    return int(FailoverWizard::Page::Choose);
}

} // namespace querydeck
