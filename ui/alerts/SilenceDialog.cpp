#include "ui/alerts/SilenceDialog.h"

#include "backend/metrics/PromDuration.h"
#include "ui/common/LabelText.h"
#include "ui/common/Theme.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace querydeck {

namespace {

QLabel* messageLabel(QWidget* parent, const QString& name)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setStyleSheet(
        QStringLiteral("color: %1;").arg(Theme::color(QStringLiteral("red")).name()));
    label->hide();
    return label;
}

void setMessage(QLabel* label, const QString& text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace

SilenceDialog::SilenceDialog(const QMap<QString, QString>& matchers, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("silenceDialog"));
    setWindowTitle(tr("Silence alerts"));
    m_matchers = new QLineEdit(LabelText::format(matchers), this);
    m_matchers->setObjectName(QStringLiteral("silenceMatchers"));
    m_duration = new QLineEdit(QStringLiteral("2h"), this);
    m_duration->setObjectName(QStringLiteral("silenceDuration"));
    m_comment = new QLineEdit(this);
    m_comment->setObjectName(QStringLiteral("silenceComment"));
    m_comment->setPlaceholderText(tr("why, and who to ask"));
    m_matchersMessage = messageLabel(this, QStringLiteral("matchersMessage"));
    m_durationMessage = messageLabel(this, QStringLiteral("durationMessage"));
    m_commentMessage = messageLabel(this, QStringLiteral("commentMessage"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Silence"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SilenceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* form = new QFormLayout(this);
    form->addRow(tr("&Matchers"), m_matchers);
    form->addRow(QString(), m_matchersMessage);
    form->addRow(tr("&Duration"), m_duration);
    form->addRow(QString(), m_durationMessage);
    form->addRow(tr("&Comment"), m_comment);
    form->addRow(QString(), m_commentMessage);
    form->addRow(buttons);
    resize(520, sizeHint().height());
}

QString SilenceDialog::comment() const
{
    return m_comment->text().trimmed();
}

void SilenceDialog::accept()
{
    QString error;
    const auto matchers = LabelText::parse(m_matchers->text(), &error);
    if (matchers && matchers->isEmpty())
        error = tr("At least one matcher, or the silence would mute everything.");
    setMessage(m_matchersMessage, matchers && !matchers->isEmpty() ? QString() : error);

    QString durationError;
    const auto duration = PromDuration::parse(m_duration->text().trimmed(), &durationError);
    if (duration && *duration <= 0)
        durationError = tr("A silence must last longer than 0s.");
    setMessage(m_durationMessage, duration && *duration > 0 ? QString() : durationError);
    setMessage(m_commentMessage, comment().isEmpty() ? tr("Say why, so others know.") : QString());

    if (!matchers || matchers->isEmpty() || !duration || *duration <= 0 || comment().isEmpty())
        return;
    m_result = *matchers;
    m_durationMs = *duration;
    QDialog::accept();
}

} // namespace querydeck
