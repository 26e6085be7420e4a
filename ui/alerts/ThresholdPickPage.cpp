#include "ui/alerts/ThresholdPickPage.h"

#include "backend/metrics/PromDuration.h"
#include "ui/alerts/ThresholdWizard.h"
#include "ui/common/AlertColors.h"

#include <QListWidget>
#include <QRadioButton>
#include <QVBoxLayout>

namespace querydeck {

ThresholdPickPage::ThresholdPickPage(ThresholdWizard* wizard)
    : ThresholdPageBase(wizard)
{
    setTitle(tr("Pick a rule"));
    setSubTitle(tr("Tune the threshold of an existing alert rule, or start a new one."));
    m_edit = new QRadioButton(tr("&Edit an existing rule"), this);
    m_edit->setObjectName(QStringLiteral("editExisting"));
    m_new = new QRadioButton(tr("Start a &new rule"), this);
    m_new->setObjectName(QStringLiteral("newRule"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("ruleList"));
    m_edit->setChecked(true);
    registerField(QStringLiteral("newRule"), m_new);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_edit);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_new);

    connect(m_new, &QRadioButton::toggled, this, [this](bool on) {
        m_list->setEnabled(!on);
        emit completeChanged();
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        if (m_list->currentRow() >= 0)
            m_edit->setChecked(true);
        emit completeChanged();
    });
}

void ThresholdPickPage::initializePage()
{
    m_list->clear();
    for (const AlertRule& rule : controller()->rules()) {
        auto* item = new QListWidgetItem(
            QStringLiteral("%1    %2 %3 %4  for %5   [%6]")
                .arg(rule.name, rule.expression, comparatorSymbol(rule.comparator),
                     QString::number(rule.threshold, 'g', 6), PromDuration::format(rule.forMs),
                     severityName(rule.severity)),
            m_list);
        item->setForeground(severityColor(rule.severity));
    }
    if (m_list->count() > 0 && m_list->currentRow() < 0)
        m_list->setCurrentRow(0);
    if (m_list->count() == 0)
        m_new->setChecked(true);
    m_edit->setEnabled(m_list->count() > 0);
}

bool ThresholdPickPage::isComplete() const
{
    return m_new->isChecked() || m_list->currentRow() >= 0;
}

bool ThresholdPickPage::validatePage()
{
    // The request starts afresh from the choice, so Back then Next re-reads the rule.
    request() = controller()->requestFor(m_new->isChecked() ? -1 : m_list->currentRow());
    return true;
}

int ThresholdPickPage::nextId() const
{
    return int(ThresholdWizard::Page::Condition);
}

} // namespace querydeck
