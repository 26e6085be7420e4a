#include "backend/scaling/ScaleOperatorMirror.h"
#include "ui/fleet/ScaleWizard.h"
#include "ui/fleet/ScaleWizardPages.h"

#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace querydeck {

namespace {

QIcon levelIcon(const QWidget* w, CheckResult::Level level)
{
    switch (level) {
    case CheckResult::Level::Pass:
        return w->style()->standardIcon(QStyle::SP_DialogApplyButton);
    case CheckResult::Level::Warn:
        return w->style()->standardIcon(QStyle::SP_MessageBoxWarning);
    case CheckResult::Level::Fail:
        return w->style()->standardIcon(QStyle::SP_MessageBoxCritical);
    }
    return {};
}

void fillLines(QListWidget* list, const QStringList& lines)
{
    list->clear();
    for (const QString& line : lines) {
        auto* item = new QListWidgetItem(line, list);
        item->setIcon(
            list->style()->standardIcon(line.startsWith("fail")   ? QStyle::SP_MessageBoxCritical
                                        : line.startsWith("warn") ? QStyle::SP_MessageBoxWarning
                                                                  : QStyle::SP_DialogApplyButton));
    }
}

} // namespace

PreflightPage::PreflightPage(ScaleWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Pre-flight checks"));
    setSubTitle(tr("Nothing changes until every check passes. Warnings do not block."));
    setCommitPage(true);
    m_checks = new QTreeWidget(this);
    m_checks->setObjectName("checks");
    m_checks->setHeaderLabels({tr("Check"), tr("Result"), tr("Details")});
    m_checks->setRootIsDecorated(false);
    m_checks->setWordWrap(true);
    m_checks->setFocusPolicy(Qt::NoFocus);
    m_checks->setSelectionMode(QAbstractItemView::NoSelection);
    m_checks->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_checks->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_status = new QLabel(this);
    m_status->setObjectName("preflightStatus");
    m_status->setWordWrap(true);
    m_rerun = new QPushButton(tr("&Run the checks again"), this);
    m_rerun->setObjectName("rerun");
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_checks, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_rerun, 0, Qt::AlignLeft);

    ScaleOperatorMirror* scaleOperator = wizard->scaleOperator();
    connect(m_rerun, &QPushButton::clicked, this, &PreflightPage::run);
    connect(scaleOperator, &ScaleOperatorMirror::checkFinished, this,
            [this](int index, const QString&, const CheckResult& result) {
                if (QTreeWidgetItem* item = m_checks->topLevelItem(index)) {
                    item->setText(1, checkLevelName(result.level));
                    item->setIcon(1, levelIcon(this, result.level));
                    item->setText(2, result.message);
                    item->setToolTip(2, result.message);
                }
            });
    connect(scaleOperator, &ScaleOperatorMirror::preflightFinished, this, [this](bool canProceed) {
        m_done = true;
        m_canProceed = canProceed;
        m_rerun->setEnabled(true);
        // The failing checks' messages in full: the table elides long ones.
        QStringList failed;
        for (int i = 0; i < m_checks->topLevelItemCount(); ++i)
            if (m_checks->topLevelItem(i)->text(1) == checkLevelName(CheckResult::Level::Fail))
                failed << m_checks->topLevelItem(i)->text(2);
        m_status->setText(
            canProceed
                ? tr("Ready: Apply scales to %1 replicas.").arg(m_wizard->request().targetReplicas)
                : tr("A check failed: %1\nFix it, then run the checks again.")
                      .arg(failed.join("\n")));
        emit completeChanged();
    });
}

void PreflightPage::initializePage()
{
    run();
}

void PreflightPage::run()
{
    m_done = false;
    m_canProceed = false;
    m_rerun->setEnabled(false);
    m_checks->clear();
    for (const QString& name : m_wizard->scaleOperator()->checkNames())
        new QTreeWidgetItem(m_checks, {name, tr("running…"), {}});
    m_status->setText(tr("Checking…"));
    emit completeChanged();
    m_wizard->scaleOperator()->runPreflight(m_wizard->request());
}

bool PreflightPage::isComplete() const
{
    return m_done && m_canProceed;
}

ApplyPage::ApplyPage(ScaleWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Apply"));
    setSubTitle(tr("Scaling, replica by replica."));
    m_status = new QLabel(this);
    m_status->setObjectName("applyStatus");
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName("applyProgress");
    m_replicas = new QTableWidget(0, 3, this);
    m_replicas->setObjectName("replicas");
    m_replicas->setHorizontalHeaderLabels({tr("Replica"), tr("Address"), tr("State")});
    m_replicas->verticalHeader()->hide();
    m_replicas->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_replicas->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_replicas, 1);

    ScaleOperatorMirror* scaleOperator = wizard->scaleOperator();
    connect(scaleOperator, &ScaleOperatorMirror::progress, this, [this](const QString& message) {
        if (!m_done && isVisible())
            m_status->setText(message);
    });
    connect(scaleOperator, &ScaleOperatorMirror::replicasUpdated, this,
            [this](const QList<ReplicaInfo>& list) {
                if (m_done)
                    return;
                int ready = 0;
                m_replicas->setRowCount(int(list.size()));
                for (int i = 0; i < list.size(); ++i) {
                    const ReplicaInfo& r = list[i];
                    ready += r.state == ReplicaState::Ready ? 1 : 0;
                    const QStringList cells{r.id, r.address, replicaStateName(r.state)};
                    for (int c = 0; c < 3; ++c)
                        m_replicas->setItem(i, c, new QTableWidgetItem(cells[c]));
                }
                m_progress->setValue(ready);
            });
    connect(scaleOperator, &ScaleOperatorMirror::applyFinished, this,
            [this](bool ok, const QString& error) {
                if (m_done)
                    return;
                m_done = true;
                m_wizard->applyOk = ok;
                m_wizard->applyError = error;
                m_progress->setValue(ok ? m_progress->maximum() : m_progress->value());
                m_status->setText(ok ? tr("Every requested replica is ready.")
                                     : tr("The scale failed: %1").arg(error));
                emit completeChanged();
            });
}

void ApplyPage::initializePage()
{
    m_done = false;
    m_replicas->setRowCount(0);
    m_progress->setRange(0, std::max(1, m_wizard->request().targetReplicas));
    m_progress->setValue(0);
    m_wizard->scaleOperator()->apply(m_wizard->request());
}

int ApplyPage::nextId() const
{
    return m_wizard->applyOk ? ScaleWizard::Page_Verify : ScaleWizard::Page_Report;
}

VerifyPage::VerifyPage(ScaleWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Verify"));
    setSubTitle(tr("Reads the real state: every replica ready and receiving traffic, and the error "
                   "rate not worse than before."));
    m_status = new QLabel(this);
    m_status->setObjectName("verifyStatus");
    m_lines = new QListWidget(this);
    m_lines->setObjectName("verifyLines");
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_lines, 1);
    connect(wizard->scaleOperator(), &ScaleOperatorMirror::verifyFinished, this,
            [this](bool ok, const QStringList& lines) {
                if (m_done)
                    return;
                m_done = true;
                m_wizard->verifyOk = ok;
                m_wizard->verifyLines = lines;
                m_status->setText(ok ? tr("Verified.") : tr("Verification failed."));
                fillLines(m_lines, lines);
                emit completeChanged();
            });
}

void VerifyPage::initializePage()
{
    m_done = false;
    m_lines->clear();
    m_status->setText(
        tr("Watching the fleet for %1 s…").arg(m_wizard->request().verifyWindowMs / 1000.0));
    m_wizard->scaleOperator()->verify(m_wizard->request());
}

ReportPage::ReportPage(ScaleWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Report"));
    m_summary = new QLabel(this);
    m_summary->setObjectName("reportSummary");
    m_summary->setWordWrap(true);
    m_lines = new QListWidget(this);
    m_lines->setObjectName("reportLines");
    m_rollback = new QPushButton(this);
    m_rollback->setObjectName("rollback");
    m_rollbackStatus = new QLabel(this);
    m_rollbackStatus->setObjectName("rollbackStatus");
    m_rollbackStatus->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_lines, 1);
    layout->addWidget(m_rollback, 0, Qt::AlignLeft);
    layout->addWidget(m_rollbackStatus);

    ScaleOperatorMirror* scaleOperator = wizard->scaleOperator();
    connect(m_rollback, &QPushButton::clicked, this, [this] {
        m_rollback->setEnabled(false);
        m_rollbackStatus->setText(
            tr("Rolling back to %1 replicas…").arg(m_wizard->request().currentReplicas));
        m_wizard->scaleOperator()->rollback(m_wizard->request());
    });
    connect(scaleOperator, &ScaleOperatorMirror::rollbackFinished, this,
            [this](bool ok, const QString& error) {
                m_rollbackStatus->setText(ok ? tr("Rolled back: %1 replicas, all ready.")
                                                   .arg(m_wizard->request().currentReplicas)
                                             : tr("Rollback failed: %1").arg(error));
                m_rollback->setEnabled(!ok);
            });
}

void ReportPage::initializePage()
{
    const ScaleRequest& r = m_wizard->request();
    const bool ok = m_wizard->applyOk && m_wizard->verifyOk;
    setSubTitle(ok ? tr("The fleet runs %1 replicas and passed verification.").arg(r.targetReplicas)
                   : tr("The scale to %1 replicas did not pass.").arg(r.targetReplicas));
    m_summary->setText(tr("From %1 to %2 replicas%3.")
                           .arg(r.currentReplicas)
                           .arg(r.targetReplicas)
                           .arg(r.tier.isEmpty() ? QString() : tr(" (tier %1)").arg(r.tier)));
    QStringList lines;
    lines << (m_wizard->applyOk ? QStringLiteral("pass: scale applied")
                                : QStringLiteral("fail: scale: ") + m_wizard->applyError);
    lines << m_wizard->verifyLines;
    fillLines(m_lines, lines);
    m_rollback->setText(tr("&Roll back to %1 replicas").arg(r.currentReplicas));
    m_rollback->setVisible(!ok);
    m_rollback->setEnabled(!ok);
    m_rollbackStatus->clear();
}

} // namespace querydeck
