#include "ui/fleet/ScaleVerifyPage.h"

#include "backend/scaling/ScaleOperatorMirror.h"
#include "ui/fleet/ScaleWizard.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace querydeck {

ScaleVerifyPage::ScaleVerifyPage(ScaleWizard* wizard)
    : ScalePageBase(wizard)
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
    connect(scaleOperator(), &ScaleOperatorMirror::verifyFinished, this,
            [this](bool ok, const QStringList& lines, const QList<ReplicaTraffic>& traffic) {
                if (m_done)
                    return;
                m_done = true;
                scaleWizard()->verifyOk = ok;
                scaleWizard()->verified = true;
                scaleWizard()->verifyLines = lines;
                scaleWizard()->traffic = traffic;
                m_status->setText(ok ? tr("Verified.") : tr("Verification failed."));
                fillLines(m_lines, lines);
                emit completeChanged();
            });
}

void ScaleVerifyPage::initializePage()
{
    m_done = false;
    scaleWizard()->verified = false;
    scaleWizard()->traffic.clear();
    m_lines->clear();
    m_status->setText(tr("Watching the fleet for %1 s…").arg(request().verifyWindowMs / 1000.0));
    scaleOperator()->verify(request());
}

int ScaleVerifyPage::nextId() const
{
    return int(ScaleWizard::Page::Report);
}

} // namespace querydeck
