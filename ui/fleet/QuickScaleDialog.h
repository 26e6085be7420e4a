#pragma once

#include <QDialog>

class QLabel;
class QSpinBox;

namespace querydeck {

// Quick scale: the current count pre-filled, + and - keys step it, Enter
// confirms. The caller reads count() and scales. GUI thread only.
class QuickScaleDialog : public QDialog
{
    Q_OBJECT

public:
    QuickScaleDialog(int current, int minimum, int maximum, QWidget* parent = nullptr);
    int count() const;
    QSpinBox* spinBox() const { return m_count; }

protected:
    void keyPressEvent(QKeyEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateHint();
    bool step(int key);

    int m_current;
    QSpinBox* m_count;
    QLabel* m_hint;
};

} // namespace querydeck
