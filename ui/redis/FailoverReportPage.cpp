#include "ui/redis/FailoverReportPage.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverReportText.h"

#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace querydeck {

FailoverReportPage::FailoverReportPage(FailoverWizard* wizard)
    : FailoverPageBase(wizard)
    , m_outcome(new QLabel(this))
    , m_writes(new QLabel(this))
    , m_degraded(new QLabel(this))
    , m_checkWrite(new QLabel(this))
    , m_method(new QLabel(this))
    , m_window(new QLabel(this))
    , m_failed(new QLabel(this))
    , m_timeline(makeTimeline())
{
    setTitle(tr("Report"));
    setSubTitle(tr("What happened, as observed on the servers and the QueryDeck replicas."));
    m_outcome->setObjectName(QStringLiteral("outcome"));
    m_writes->setObjectName(QStringLiteral("writesResumed"));
    m_degraded->setObjectName(QStringLiteral("degraded"));
    m_checkWrite->setObjectName(QStringLiteral("checkWrite"));
    m_method->setObjectName(QStringLiteral("writesMethod"));
    m_window->setObjectName(QStringLiteral("window"));
    m_failed->setObjectName(QStringLiteral("failedRequests"));
    for (QLabel* label :
         {m_outcome, m_writes, m_degraded, m_checkWrite, m_method, m_window, m_failed}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    auto* figures = new QFormLayout;
    figures->addRow(tr("Replica caches on the new master:"), m_writes);
    figures->addRow(tr("Degraded caching:"), m_degraded);
    figures->addRow(tr("Check write accepted:"), m_checkWrite);
    figures->addRow(tr("Window (trigger → verified):"), m_window);
    figures->addRow(tr("Client requests failed during the window:"), m_failed);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_outcome);
    layout->addLayout(figures);
    layout->addWidget(m_method);
    layout->addWidget(m_timeline);
}

void FailoverReportPage::initializePage()
{
    const FailoverController::Report& report = controller()->report();
    m_outcome->setText(FailoverReportText::outcome(report));
    m_writes->setText(FailoverReportText::writesResumed(report));
    m_degraded->setText(FailoverReportText::degraded(report));
    m_checkWrite->setText(FailoverReportText::checkWrite(report));
    m_method->setText(FailoverReportText::method(report));
    m_method->setVisible(!m_method->text().isEmpty());
    m_window->setText(report.windowMs < 0 ? tr("not reached")
                                          : FailoverReportText::seconds(report.windowMs));
    m_failed->setText(failedRequestsText(report));
    m_timeline->clear();
    for (const FailoverController::Event& event : report.timeline)
        m_timeline->addItem(eventText(event));
}

} // namespace querydeck
