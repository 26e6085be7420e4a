#include "ui/alerts/ThresholdPreviewPage.h"

#include "backend/metrics/PromDuration.h"
#include "ui/alerts/ThresholdWizard.h"

#include <QGridLayout>
#include <QLabel>

namespace querydeck {

namespace {

QString describe(const ThresholdWizardController::Preview& p)
{
    if (p.series == 0)
        return QObject::tr("no stored data");
    QString text =
        p.firings == 1 ? QObject::tr("fired once") : QObject::tr("fired %1 times").arg(p.firings);
    if (p.firings == 0)
        text = QObject::tr("never fired");
    if (p.covered + 60 * 1000 < p.spanMs)
        text += QObject::tr(" (data covers only %1)")
                    .arg(PromDuration::format(p.covered / 60000 * 60000));
    return text;
}

} // namespace

ThresholdPreviewPage::ThresholdPreviewPage(ThresholdWizard* wizard)
    : ThresholdPageBase(wizard)
{
    setTitle(tr("Preview"));
    setSubTitle(tr("How often this rule would have fired over the stored history, replayed "
                   "with its for and keep_firing_for."));
    auto* grid = new QGridLayout(this);
    grid->addWidget(new QLabel(tr("<b>Window</b>"), this), 0, 0);
    grid->addWidget(new QLabel(tr("<b>As edited</b>"), this), 0, 1);
    grid->addWidget(new QLabel(tr("<b>Before</b>"), this), 0, 2);
    static const char* const names[] = {"1h", "6h", "24h"};
    for (int i = 0; i < 3; ++i) {
        grid->addWidget(new QLabel(tr("last %1").arg(QLatin1String(names[i])), this), i + 1, 0);
        m_results[i] = new QLabel(this);
        m_results[i]->setObjectName(QStringLiteral("preview%1").arg(QLatin1String(names[i])));
        m_old[i] = new QLabel(this);
        m_old[i]->setObjectName(QStringLiteral("previewOld%1").arg(QLatin1String(names[i])));
        grid->addWidget(m_results[i], i + 1, 1);
        grid->addWidget(m_old[i], i + 1, 2);
    }
    m_warning = makeMessage(QStringLiteral("preview"));
    grid->addWidget(m_warning, 4, 0, 1, 3);
    grid->setRowStretch(5, 1);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
}

void ThresholdPreviewPage::initializePage()
{
    const AlertRule* old = thresholdWizard()->originalRule();
    for (int i = 0; i < 3; ++i) {
        const auto now = controller()->preview(request().rule, kSpans[i]);
        m_firings[i] = now.firings;
        m_results[i]->setText(describe(now));
        m_old[i]->setText(old ? describe(controller()->preview(*old, kSpans[i]))
                              : tr("(new rule)"));
    }
    showWarning(m_warning, controller()->thresholdWarning(request().rule));
}

int ThresholdPreviewPage::nextId() const
{
    return int(ThresholdWizard::Page::Details);
}

} // namespace querydeck
