#include "ui/fleet/ScaleReportPage.h"

#include "backend/scaling/ScaleOperatorMirror.h"
#include "ui/fleet/ScaleReportText.h"
#include "ui/fleet/ScaleWizard.h"

#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace querydeck {

ScaleReportPage::ScaleReportPage(ScaleWizard* wizard)
    : ScalePageBase(wizard)
{
    setTitle(tr("Report"));
    m_summary = new QLabel(this);
    m_summary->setObjectName("reportSummary");
    m_summary->setWordWrap(true);
    const auto figure = [this](const char* name) {
        auto* label = new QLabel(this);
        label->setObjectName(QString::fromLatin1(name));
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    };
    m_duration = figure("durationValue");
    m_traffic = figure("trafficValue");
    m_cost = figure("costValue");
    auto* figures = new QFormLayout;
    figures->addRow(tr("Duration:"), m_duration);
    figures->addRow(tr("Traffic per replica:"), m_traffic);
    figures->addRow(tr("Cost:"), m_cost);
    m_lines = new QListWidget(this);
    m_lines->setObjectName("reportLines");
    m_rollback = new QPushButton(this);
    m_rollback->setObjectName("rollback");
    m_rollbackStatus = new QLabel(this);
    m_rollbackStatus->setObjectName("rollbackStatus");
    m_rollbackStatus->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(figures);
    layout->addWidget(m_lines, 1);
    layout->addWidget(m_rollback, 0, Qt::AlignLeft);
    layout->addWidget(m_rollbackStatus);

    connect(m_rollback, &QPushButton::clicked, this, [this] {
        m_rollback->setEnabled(false);
        m_rollbackStatus->setText(
            tr("Rolling back to %1 replicas…").arg(request().currentReplicas));
        scaleOperator()->rollback(request());
    });
    connect(scaleOperator(), &ScaleOperatorMirror::rollbackFinished, this,
            [this](bool ok, const QString& error) {
                m_rollbackStatus->setText(
                    ok ? tr("Rolled back: %1 replicas, all ready.").arg(request().currentReplicas)
                       : tr("Rollback failed: %1").arg(error));
                m_rollback->setEnabled(!ok);
            });
}

void ScaleReportPage::initializePage()
{
    const ScaleRequest& r = request();
    const bool ok = scaleWizard()->applyOk && scaleWizard()->verifyOk;
    setSubTitle(ok ? tr("The fleet runs %1 replicas and passed verification.").arg(r.targetReplicas)
                   : tr("The scale to %1 replicas did not pass.").arg(r.targetReplicas));
    m_summary->setText(tr("From %1 to %2 replicas%3.")
                           .arg(r.currentReplicas)
                           .arg(r.targetReplicas)
                           .arg(r.tier.isEmpty() ? QString() : tr(" (tier %1)").arg(r.tier)));
    m_duration->setText(ScaleReportText::duration(scaleWizard()->applyOk, scaleWizard()->applyMs,
                                                  scaleWizard()->verified, r.verifyWindowMs));
    m_traffic->setText(ScaleReportText::traffic(scaleWizard()->traffic));
    m_cost->setText(
        ScaleReportText::cost(r.currentReplicas, r.targetReplicas, r.pricePerInstanceMonth));
    QStringList lines;
    lines << (scaleWizard()->applyOk ? QStringLiteral("pass: scale applied")
                                     : QStringLiteral("fail: scale: ") + scaleWizard()->applyError);
    lines << scaleWizard()->verifyLines;
    fillLines(m_lines, lines);
    m_rollback->setText(tr("&Roll back to %1 replicas").arg(r.currentReplicas));
    m_rollback->setVisible(!ok);
    m_rollback->setEnabled(!ok);
    m_rollbackStatus->clear();
}

} // namespace querydeck
