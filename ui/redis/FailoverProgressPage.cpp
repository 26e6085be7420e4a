#include "ui/redis/FailoverProgressPage.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"

#include <QAbstractButton>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace querydeck {

FailoverProgressPage::FailoverProgressPage(FailoverWizard* wizard)
    : FailoverPageBase(wizard)
    , m_timeline(makeTimeline())
    , m_state(new QLabel(this))
{
    setTitle(tr("Progress"));
    setSubTitle(tr("Events from Sentinel and the roles the servers report, as they happen."));
    m_state->setObjectName(QStringLiteral("state"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_timeline);
    layout->addWidget(m_state);
    connect(controller(), &FailoverController::progress, this,
            [this](const FailoverController::Event& event) {
                m_timeline->addItem(eventText(event));
                m_timeline->scrollToBottom();
            });
    connect(controller(), &FailoverController::phaseChanged, this,
            [this](FailoverController::Phase phase) {
                if (phase == FailoverController::Phase::Triggered)
                    m_state->setText(tr("Failing over… (cancel is no longer possible)"));
                else if (phase == FailoverController::Phase::Verifying)
                    m_state->setText(tr("Switched. Verifying on the servers…"));
                else if (phase == FailoverController::Phase::Failed)
                    m_state->setText(tr("Failed: %1").arg(controller()->report().error));
                emit completeChanged();
            });
}

void FailoverProgressPage::initializePage()
{
    // The failover runs on the servers now; FailoverWizard::reject() refuses too.
    failoverWizard()->button(QWizard::CancelButton)->setEnabled(false);
    m_timeline->clear();
    for (const FailoverController::Event& event : controller()->report().timeline)
        m_timeline->addItem(eventText(event));
}

bool FailoverProgressPage::isComplete() const
{
    const FailoverController::Phase phase = controller()->phase();
    return phase == FailoverController::Phase::Verifying || isOver(phase);
}

int FailoverProgressPage::nextId() const
{
    return int(FailoverWizard::Page::Verify);
}

} // namespace querydeck
