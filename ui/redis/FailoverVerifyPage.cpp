#include "ui/redis/FailoverVerifyPage.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace querydeck {

FailoverVerifyPage::FailoverVerifyPage(FailoverWizard* wizard)
    : FailoverPageBase(wizard)
    , m_verified(new QListWidget(this))
    , m_state(new QLabel(this))
{
    setTitle(tr("Verify"));
    setSubTitle(tr("Read back from the servers: writes on the new master, the old master as its "
                   "replica, and every QueryDeck replica's cache on the new master."));
    m_verified->setObjectName(QStringLiteral("verified"));
    m_state->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_verified);
    layout->addWidget(m_state);
    connect(controller(), &FailoverController::finished, this, &FailoverVerifyPage::refresh);
}

void FailoverVerifyPage::initializePage()
{
    refresh();
}

void FailoverVerifyPage::refresh()
{
    const FailoverController::Report& report = controller()->report();
    m_verified->clear();
    for (const QString& line : report.verified)
        m_verified->addItem(QStringLiteral("✔  %1").arg(line));
    const FailoverController::Phase phase = controller()->phase();
    if (phase == FailoverController::Phase::Failed)
        m_state->setText(tr("✖  %1").arg(report.error));
    else if (phase == FailoverController::Phase::Succeeded)
        m_state->setText(tr("All verified. Client requests failed during the window: %1")
                             .arg(failedRequestsText(report)));
    else
        m_state->setText(tr("Verifying…"));
    emit completeChanged();
}

bool FailoverVerifyPage::isComplete() const
{
    return isOver(controller()->phase());
}

int FailoverVerifyPage::nextId() const
{
    return int(FailoverWizard::Page::Report);
}

} // namespace querydeck
