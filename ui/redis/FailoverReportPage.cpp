#include "ui/redis/FailoverReportPage.h"

#include "backend/redisops/FailoverController.h"

#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace querydeck {

FailoverReportPage::FailoverReportPage(FailoverWizard* wizard)
    : FailoverPageBase(wizard)
    , m_outcome(new QLabel(this))
    , m_window(new QLabel(this))
    , m_failed(new QLabel(this))
    , m_timeline(makeTimeline())
{
    setTitle(tr("Report"));
    setSubTitle(tr("What happened, as observed on the servers and the QueryDeck replicas."));
    m_outcome->setObjectName(QStringLiteral("outcome"));
    m_window->setObjectName(QStringLiteral("window"));
    m_failed->setObjectName(QStringLiteral("failedRequests"));
    for (QLabel* label : {m_outcome, m_window, m_failed}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    auto* figures = new QFormLayout;
    figures->addRow(tr("Window (trigger → verified):"), m_window);
    figures->addRow(tr("Client requests failed during the window:"), m_failed);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_outcome);
    layout->addLayout(figures);
    layout->addWidget(m_timeline);
}

void FailoverReportPage::initializePage()
{
    const FailoverController::Report& report = controller()->report();
    if (report.ok)
        m_outcome->setText(
            tr("Failover done: %1 → %2. A replica was promoted %3 s after the trigger; "
               "the new master accepted a write %4 s after it, once the old master followed.")
                .arg(report.oldMaster, report.newMaster)
                .arg(double(report.promotedMs) / 1000.0, 0, 'f', 2)
                .arg(double(report.durationMs) / 1000.0, 0, 'f', 2));
    else
        m_outcome->setText(tr("Failover not verified: %1").arg(report.error));
    m_window->setText(report.windowMs < 0
                          ? tr("not reached")
                          : tr("%1 s").arg(double(report.windowMs) / 1000.0, 0, 'f', 2));
    m_failed->setText(failedRequestsText(report));
    m_timeline->clear();
    for (const FailoverController::Event& event : report.timeline)
        m_timeline->addItem(eventText(event));
}

} // namespace querydeck
