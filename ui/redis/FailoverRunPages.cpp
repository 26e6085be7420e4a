#include "ui/redis/FailoverRunPages.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"

#include <QAbstractButton>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace querydeck {

namespace {

QString eventText(const FailoverController::Event& event)
{
    if (event.atMs < 0)
        return QStringLiteral("          %1").arg(event.text);
    return QStringLiteral("+%1 s   %2").arg(double(event.atMs) / 1000.0, 6, 'f', 2).arg(event.text);
}

QListWidget* timelineList(QWidget* parent)
{
    auto* list = new QListWidget(parent);
    list->setObjectName(QStringLiteral("timeline"));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    list->setFont(mono);
    return list;
}

QString failedRequestsText(const FailoverController::Report& report)
{
    if (report.failedRequests < 0)
        return report.failedRequestsDetail;
    return QObject::tr("%n (%1)", nullptr, int(report.failedRequests))
        .arg(report.failedRequestsDetail);
}

bool isOver(FailoverController::Phase phase)
{
    return phase == FailoverController::Phase::Succeeded ||
           phase == FailoverController::Phase::Failed;
}

} // namespace

ProgressPage::ProgressPage(FailoverWizard* wizard)
    : m_wizard(wizard)
    , m_timeline(timelineList(this))
    , m_state(new QLabel(this))
{
    setTitle(tr("Progress"));
    setSubTitle(tr("Events from Sentinel and the roles the servers report, as they happen."));
    m_state->setObjectName(QStringLiteral("state"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_timeline);
    layout->addWidget(m_state);
    FailoverController* controller = wizard->controller();
    connect(controller, &FailoverController::progress, this,
            [this](const FailoverController::Event& event) {
                m_timeline->addItem(eventText(event));
                m_timeline->scrollToBottom();
            });
    connect(controller, &FailoverController::phaseChanged, this,
            [this](FailoverController::Phase phase) {
                if (phase == FailoverController::Phase::Triggered)
                    m_state->setText(tr("Failing over… (cancel is no longer possible)"));
                else if (phase == FailoverController::Phase::Verifying)
                    m_state->setText(tr("Switched. Verifying on the servers…"));
                else if (phase == FailoverController::Phase::Failed)
                    m_state->setText(tr("Failed: %1").arg(m_wizard->controller()->report().error));
                emit completeChanged();
            });
}

void ProgressPage::initializePage()
{
    // The failover runs on the servers now; FailoverWizard::reject() refuses too.
    m_wizard->button(QWizard::CancelButton)->setEnabled(false);
    m_timeline->clear();
    for (const FailoverController::Event& event : m_wizard->controller()->report().timeline)
        m_timeline->addItem(eventText(event));
}

bool ProgressPage::isComplete() const
{
    const FailoverController::Phase phase = m_wizard->controller()->phase();
    return phase == FailoverController::Phase::Verifying || isOver(phase);
}

int ProgressPage::nextId() const
{
    return FailoverWizard::Page_Verify;
}

FailoverVerifyPage::FailoverVerifyPage(FailoverWizard* wizard)
    : m_wizard(wizard)
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
    connect(wizard->controller(), &FailoverController::finished, this,
            &FailoverVerifyPage::refresh);
}

void FailoverVerifyPage::initializePage()
{
    refresh();
}

void FailoverVerifyPage::refresh()
{
    const FailoverController::Report& report = m_wizard->controller()->report();
    m_verified->clear();
    for (const QString& line : report.verified)
        m_verified->addItem(QStringLiteral("✔  %1").arg(line));
    const FailoverController::Phase phase = m_wizard->controller()->phase();
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
    return isOver(m_wizard->controller()->phase());
}

int FailoverVerifyPage::nextId() const
{
    return FailoverWizard::Page_Report;
}

FailoverReportPage::FailoverReportPage(FailoverWizard* wizard)
    : m_wizard(wizard)
    , m_outcome(new QLabel(this))
    , m_window(new QLabel(this))
    , m_failed(new QLabel(this))
    , m_timeline(timelineList(this))
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
    const FailoverController::Report& report = m_wizard->controller()->report();
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
