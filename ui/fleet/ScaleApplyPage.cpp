#include "ui/fleet/ScaleApplyPage.h"

#include "backend/scaling/ScaleOperatorMirror.h"
#include "ui/fleet/ScaleWizard.h"

#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace querydeck {

ScaleApplyPage::ScaleApplyPage(ScaleWizard* wizard)
    : ScalePageBase(wizard)
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

    connect(scaleOperator(), &ScaleOperatorMirror::progress, this, [this](const QString& message) {
        if (!m_done && isVisible())
            m_status->setText(message);
    });
    connect(scaleOperator(), &ScaleOperatorMirror::replicasUpdated, this,
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
    connect(scaleOperator(), &ScaleOperatorMirror::applyFinished, this,
            [this](bool ok, const QString& error, qint64 elapsedMs) {
                if (m_done)
                    return;
                m_done = true;
                scaleWizard()->applyOk = ok;
                scaleWizard()->applyError = error;
                scaleWizard()->applyMs = elapsedMs;
                m_progress->setValue(ok ? m_progress->maximum() : m_progress->value());
                m_status->setText(ok ? tr("Every requested replica is ready.")
                                     : tr("The scale failed: %1").arg(error));
                emit completeChanged();
            });
}

void ScaleApplyPage::initializePage()
{
    m_done = false;
    scaleWizard()->applyMs = -1;
    m_replicas->setRowCount(0);
    m_progress->setRange(0, std::max(1, request().targetReplicas));
    m_progress->setValue(0);
    scaleOperator()->apply(request());
}

int ScaleApplyPage::nextId() const
{
    return scaleWizard()->applyOk ? int(ScaleWizard::Page::Verify) : int(ScaleWizard::Page::Report);
}

} // namespace querydeck
