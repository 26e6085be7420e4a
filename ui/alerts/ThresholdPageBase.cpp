#include "ui/alerts/ThresholdPageBase.h"

#include "ui/alerts/ThresholdWizard.h"
#include "ui/common/Theme.h"

#include <QLabel>

namespace querydeck {

ThresholdPageBase::ThresholdPageBase(ThresholdWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
}

ThresholdRequest& ThresholdPageBase::request() const
{
    return m_wizard->request();
}

ThresholdWizardController* ThresholdPageBase::controller() const
{
    return m_wizard->controller();
}

QLabel* ThresholdPageBase::makeMessage(const QString& field)
{
    auto* label = new QLabel(this);
    label->setObjectName(field + QStringLiteral("Message"));
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->hide();
    return label;
}

void ThresholdPageBase::showError(QLabel* label, QWidget* field, const QString& text)
{
    label->setText(text);
    label->setProperty("level", QStringLiteral("error"));
    label->setStyleSheet(
        QStringLiteral("color: %1;").arg(Theme::color(QStringLiteral("red")).name()));
    label->show();
    if (field) {
        field->setProperty("invalid", true);
        field->setStyleSheet(QStringLiteral("border: 1px solid %1;")
                                 .arg(Theme::color(QStringLiteral("red")).name()));
        field->setToolTip(text);
    }
}

void ThresholdPageBase::showWarning(QLabel* label, const QString& text)
{
    label->setText(text);
    label->setProperty("level", QStringLiteral("warning"));
    label->setStyleSheet(
        QStringLiteral("color: %1;").arg(Theme::color(QStringLiteral("amber")).name()));
    label->setVisible(!text.isEmpty());
}

void ThresholdPageBase::clearMessage(QLabel* label, QWidget* field)
{
    label->clear();
    label->setProperty("level", QString());
    label->hide();
    if (field) {
        field->setProperty("invalid", false);
        field->setStyleSheet({});
        field->setToolTip({});
    }
}

} // namespace querydeck
