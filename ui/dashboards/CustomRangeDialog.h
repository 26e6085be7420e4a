#pragma once

#include <QDateTime>
#include <QDialog>

class QDateTimeEdit;
class QLabel;
class QDialogButtonBox;

namespace querydeck {

// Asks for an absolute time range (from / to). OK stays disabled while
// `from` is not before `to`. GUI thread only.
class CustomRangeDialog : public QDialog
{
    Q_OBJECT

public:
    CustomRangeDialog(const QDateTime& from, const QDateTime& to, QWidget* parent = nullptr);

    QDateTime from() const;
    QDateTime to() const;
    QDateTimeEdit* fromEdit() const { return m_from; }
    QDateTimeEdit* toEdit() const { return m_to; }

private:
    void validate();

    QDateTimeEdit* m_from = nullptr;
    QDateTimeEdit* m_to = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace querydeck
