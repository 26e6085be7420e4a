#include "ui/alerts/ThresholdDonePage.h"

#include "backend/metrics/PromDuration.h"
#include "ui/alerts/ThresholdWizard.h"

#include <QLabel>
#include <QVBoxLayout>

namespace querydeck {

ThresholdDonePage::ThresholdDonePage(ThresholdWizard* wizard)
    : ThresholdPageBase(wizard)
{
    setTitle(tr("Saved"));
    setFinalPage(true);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_result);
    layout->addStretch(1);
}

void ThresholdDonePage::initializePage()
{
    const auto verified = controller()->verifiedRule();
    const AlertRule& r = verified ? *verified : request().rule;
    QString text =
        verified ? tr("Read back from the rule file:\n") : tr("Handed to the alert engine:\n");
    text += tr("%1: %2 %3 %4 for %5, keep firing for %6, %7")
                .arg(r.name, r.expression, comparatorSymbol(r.comparator),
                     QString::number(r.threshold, 'g', 12), PromDuration::format(r.forMs),
                     PromDuration::format(r.keepFiringForMs), severityName(r.severity));
    text += tr("\n\nRecorded in the alert history: %1").arg(controller()->lastNote());
    m_result->setText(text);
}

} // namespace querydeck
