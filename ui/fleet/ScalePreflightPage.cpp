#include "ui/fleet/ScalePreflightPage.h"

#include "backend/scaling/ScaleOperatorMirror.h"
#include "ui/fleet/ScaleWizard.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
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

} // namespace

ScalePreflightPage::ScalePreflightPage(ScaleWizard* wizard)
    : ScalePageBase(wizard)
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

    connect(m_rerun, &QPushButton::clicked, this, &ScalePreflightPage::run);
    connect(scaleOperator(), &ScaleOperatorMirror::checkFinished, this,
            [this](int index, const QString&, const CheckResult& result) {
                if (QTreeWidgetItem* item = m_checks->topLevelItem(index)) {
                    item->setText(1, checkLevelName(result.level));
                    item->setIcon(1, levelIcon(this, result.level));
                    item->setText(2, result.message);
                    item->setToolTip(2, result.message);
                }
            });
    connect(
        scaleOperator(), &ScaleOperatorMirror::preflightFinished, this, [this](bool canProceed) {
            m_done = true;
            m_canProceed = canProceed;
            m_rerun->setEnabled(true);
            // The failing checks' messages in full: the table elides long ones.
            QStringList failed;
            for (int i = 0; i < m_checks->topLevelItemCount(); ++i)
                if (m_checks->topLevelItem(i)->text(1) == checkLevelName(CheckResult::Level::Fail))
                    failed << m_checks->topLevelItem(i)->text(2);
            m_status->setText(
                canProceed ? tr("Ready: Apply scales to %1 replicas.").arg(request().targetReplicas)
                           : tr("A check failed: %1\nFix it, then run the checks again.")
                                 .arg(failed.join("\n")));
            emit completeChanged();
        });
}

void ScalePreflightPage::initializePage()
{
    run();
}

void ScalePreflightPage::run()
{
    m_done = false;
    m_canProceed = false;
    m_rerun->setEnabled(false);
    m_checks->clear();
    for (const QString& name : scaleOperator()->checkNames())
        new QTreeWidgetItem(m_checks, {name, tr("running…"), {}});
    m_status->setText(tr("Checking…"));
    emit completeChanged();
    scaleOperator()->runPreflight(request());
}

bool ScalePreflightPage::isComplete() const
{
    return m_done && m_canProceed;
}

int ScalePreflightPage::nextId() const
{
    return int(ScaleWizard::Page::Apply);
}

} // namespace querydeck
