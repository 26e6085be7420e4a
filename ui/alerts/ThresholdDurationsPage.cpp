#include "ui/alerts/ThresholdDurationsPage.h"

#include "backend/metrics/PromDuration.h"
#include "ui/alerts/ThresholdWizard.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace querydeck {

ThresholdDurationsPage::ThresholdDurationsPage(ThresholdWizard* wizard)
    : ThresholdPageBase(wizard)
{
    setTitle(tr("How long"));
    setSubTitle(tr("Durations as Prometheus writes them: 30s, 5m, 1h30m. 0s fires at once."));
    m_for = new QLineEdit(this);
    m_for->setObjectName(QStringLiteral("for"));
    m_keep = new QLineEdit(this);
    m_keep->setObjectName(QStringLiteral("keepFiringFor"));
    registerField(QStringLiteral("for*"), m_for);
    registerField(QStringLiteral("keepFiringFor*"), m_keep);
    m_forMessage = makeMessage(QStringLiteral("for"));
    m_keepMessage = makeMessage(QStringLiteral("keepFiringFor"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("&For (pending period)"), m_for);
    form->addRow(QString(), m_forMessage);
    form->addRow(tr("&Keep firing for"), m_keep);
    form->addRow(QString(), m_keepMessage);
    auto* help = new QLabel(tr("A breach shorter than \"for\" stays Pending and never notifies. "
                               "\"Keep firing for\" holds a firing alert through short dips, so a "
                               "flapping series notifies once."),
                            this);
    help->setWordWrap(true);
    form->addRow(help);
}

void ThresholdDurationsPage::initializePage()
{
    m_for->setText(PromDuration::format(request().rule.forMs));
    m_keep->setText(PromDuration::format(request().rule.keepFiringForMs));
    clearMessage(m_forMessage, m_for);
    clearMessage(m_keepMessage, m_keep);
}

bool ThresholdDurationsPage::validatePage()
{
    bool ok = true;
    auto read = [&ok](QLineEdit* edit, QLabel* message, qint64* out) {
        QString error;
        const auto ms = PromDuration::parse(edit->text().trimmed(), &error);
        if (!ms) {
            showError(message, edit, error);
            ok = false;
            return;
        }
        clearMessage(message, edit);
        *out = *ms;
    };
    read(m_for, m_forMessage, &request().rule.forMs);
    read(m_keep, m_keepMessage, &request().rule.keepFiringForMs);
    return ok;
}

int ThresholdDurationsPage::nextId() const
{
    return int(ThresholdWizard::Page::Preview);
}

} // namespace querydeck
