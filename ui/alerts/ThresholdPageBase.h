#pragma once

#include <QWizardPage>

class QLabel;
class QWidget;

namespace querydeck {

class ThresholdWizard;
class ThresholdWizardController;
struct ThresholdRequest;

// What the threshold wizard's pages share: access to the wizard's request
// and controller, and a message line under a field (red for an error that
// refuses the input, amber for a warning that does not). GUI thread only.
class ThresholdPageBase : public QWizardPage
{
    Q_OBJECT

public:
    explicit ThresholdPageBase(ThresholdWizard* wizard);

protected:
    ThresholdRequest& request() const;
    ThresholdWizardController* controller() const;
    ThresholdWizard* thresholdWizard() const { return m_wizard; }
    // A hidden message label for `field`, named "<field>Message".
    QLabel* makeMessage(const QString& field);
    static void showError(QLabel* label, QWidget* field, const QString& text);
    static void showWarning(QLabel* label, const QString& text);
    static void clearMessage(QLabel* label, QWidget* field);

private:
    ThresholdWizard* m_wizard;
};

} // namespace querydeck
