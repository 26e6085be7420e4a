#include "ui/fleet/QuickScaleDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace querydeck {

QuickScaleDialog::QuickScaleDialog(int current, int minimum, int maximum, QWidget* parent)
    : QDialog(parent)
    , m_current(current)
{
    setWindowTitle(tr("Quick scale"));
    m_count = new QSpinBox(this);
    m_count->setObjectName("count");
    m_count->setRange(minimum, std::max(minimum, maximum));
    m_count->setValue(current);
    m_count->setAccelerated(true);
    m_count->installEventFilter(this);
    m_hint = new QLabel(this);
    m_hint->setObjectName("hint");
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Scale"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_count, &QSpinBox::valueChanged, this, &QuickScaleDialog::updateHint);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Replicas:"), m_count);
    form->addRow(m_hint);
    form->addRow(buttons);
    updateHint();
    m_count->setFocus();
    m_count->selectAll();
}

int QuickScaleDialog::count() const
{
    return m_count->value();
}

void QuickScaleDialog::updateHint()
{
    const int delta = m_count->value() - m_current;
    m_hint->setText(delta == 0  ? tr("Now %1. Press + or - to change.").arg(m_current)
                    : delta > 0 ? tr("Now %1: adds %2.").arg(m_current).arg(delta)
                                : tr("Now %1: drains and removes %2.").arg(m_current).arg(-delta));
}

bool QuickScaleDialog::step(int key)
{
    switch (key) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_count->stepUp();
        return true;
    case Qt::Key_Minus:
    case Qt::Key_Underscore:
        m_count->stepDown();
        return true;
    default:
        return false;
    }
}

// + and - step the count wherever the focus is; in the spin box they would
// otherwise be typed as a sign.
bool QuickScaleDialog::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::KeyPress && step(static_cast<QKeyEvent*>(event)->key()))
        return true;
    return QDialog::eventFilter(watched, event);
}

void QuickScaleDialog::keyPressEvent(QKeyEvent* event)
{
    if (!step(event->key()))
        QDialog::keyPressEvent(event);
}

} // namespace querydeck
