#pragma once

#include <QDialog>
#include <QMap>

class QLabel;
class QLineEdit;

namespace querydeck {

// Asks for a silence: label matchers (pre-filled from the selected alert:
// alertname plus its labels), a duration ("2h") and a comment (required, so
// the next person knows why). accept() only with valid input; each problem is
// shown on its field. GUI thread only.
class SilenceDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SilenceDialog(const QMap<QString, QString>& matchers, QWidget* parent = nullptr);

    QMap<QString, QString> matchers() const { return m_result; }
    qint64 durationMs() const { return m_durationMs; }
    QString comment() const;

    QLineEdit* matchersEdit() const { return m_matchers; }
    QLineEdit* durationEdit() const { return m_duration; }
    QLineEdit* commentEdit() const { return m_comment; }

public slots:
    void accept() override;

private:
    QLineEdit* m_matchers = nullptr;
    QLineEdit* m_duration = nullptr;
    QLineEdit* m_comment = nullptr;
    QLabel* m_matchersMessage = nullptr;
    QLabel* m_durationMessage = nullptr;
    QLabel* m_commentMessage = nullptr;
    QMap<QString, QString> m_result;
    qint64 m_durationMs = 0;
};

} // namespace querydeck
