#include "ui/alerts/ThresholdDetailsPage.h"

#include "ui/alerts/ThresholdWizard.h"
#include "ui/common/LabelText.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace querydeck {

ThresholdDetailsPage::ThresholdDetailsPage(ThresholdWizard* wizard)
    : ThresholdPageBase(wizard)
{
    setTitle(tr("Severity, labels and route"));
    setSubTitle(tr("Critical goes to the pager route, warning to chat, unless a route is named."));
    m_severity = new QComboBox(this);
    m_severity->setObjectName(QStringLiteral("severity"));
    for (AlertSeverity s : {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info})
        m_severity->addItem(severityName(s), int(s));
    m_labels = new QLineEdit(this);
    m_labels->setObjectName(QStringLiteral("labels"));
    m_labels->setPlaceholderText(QStringLiteral("team=search, tier=cache"));
    m_route = new QLineEdit(this);
    m_route->setObjectName(QStringLiteral("route"));
    m_route->setPlaceholderText(tr("empty: the route of the severity"));
    m_summary = new QLineEdit(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_labelsMessage = makeMessage(QStringLiteral("labels"));
    m_summaryMessage = makeMessage(QStringLiteral("summary"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("&Severity"), m_severity);
    form->addRow(tr("&Labels"), m_labels);
    form->addRow(QString(), m_labelsMessage);
    form->addRow(tr("&Route"), m_route);
    form->addRow(tr("S&ummary"), m_summary);
    form->addRow(QString(), m_summaryMessage);
}

void ThresholdDetailsPage::initializePage()
{
    const AlertRule& rule = request().rule;
    m_severity->setCurrentIndex(m_severity->findData(int(rule.severity)));
    m_labels->setText(LabelText::format(rule.labels));
    m_route->setText(rule.route);
    m_summary->setText(rule.summary);
    clearMessage(m_labelsMessage, m_labels);
    clearMessage(m_summaryMessage, m_summary);
}

bool ThresholdDetailsPage::validatePage()
{
    QString error;
    const auto labels = LabelText::parse(m_labels->text(), &error);
    if (!labels) {
        showError(m_labelsMessage, m_labels, error);
        return false;
    }
    clearMessage(m_labelsMessage, m_labels);
    AlertRule& rule = request().rule;
    rule.severity = AlertSeverity(m_severity->currentData().toInt());
    rule.labels = *labels;
    rule.route = m_route->text().trimmed();
    rule.summary = m_summary->text();
    const QMap<QString, QString> problems = controller()->validate(request());
    for (const QString& field : {QStringLiteral("labels"), QStringLiteral("summary")}) {
        if (problems.contains(field)) {
            showError(field == u"labels" ? m_labelsMessage : m_summaryMessage,
                      field == u"labels" ? m_labels : m_summary, problems.value(field));
            return false;
        }
    }
    return true;
}

int ThresholdDetailsPage::nextId() const
{
    return int(ThresholdWizard::Page::Review);
}

} // namespace querydeck
