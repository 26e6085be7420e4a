#include "ui/dashboards/CustomRangeDialog.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace querydeck {

CustomRangeDialog::CustomRangeDialog(const QDateTime& from, const QDateTime& to, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Custom time range"));
    m_from = new QDateTimeEdit(from, this);
    m_to = new QDateTimeEdit(to, this);
    for (QDateTimeEdit* edit : {m_from, m_to}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
    }
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(QStringLiteral("color: #f2495c;"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto* form = new QFormLayout;
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("&To:"), m_to);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &CustomRangeDialog::validate);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &CustomRangeDialog::validate);
    validate();
}

QDateTime CustomRangeDialog::from() const
{
    return m_from->dateTime();
}

QDateTime CustomRangeDialog::to() const
{
    return m_to->dateTime();
}

void CustomRangeDialog::validate()
{
    const bool ok = m_from->dateTime() < m_to->dateTime();
    m_problem->setText(ok ? QString() : tr("“From” must be before “To”."));
    m_problem->setVisible(!ok);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

} // namespace querydeck
