#pragma once

#include <QWizardPage>

class QListWidget;

namespace querydeck {

class ScaleOperatorMirror;
class ScaleWizard;
struct ScaleRequest;

// What the scale wizard's pages share: access to the wizard's request and
// its ScaleOperatorMirror, and the pass/warn/fail line list. Each page reads what it
// shows from the client and writes what the operator chose into the
// request; none touches a ReplicaSet directly. GUI thread only.
class ScalePageBase : public QWizardPage
{
    Q_OBJECT

public:
    explicit ScalePageBase(ScaleWizard* wizard);

protected:
    ScaleRequest& request() const;
    ScaleOperatorMirror* scaleOperator() const;
    ScaleWizard* scaleWizard() const { return m_wizard; }
    // Fills `list` with "pass: …", "warn: …", "fail: …" lines, each with its icon.
    static void fillLines(QListWidget* list, const QStringList& lines);

private:
    ScaleWizard* m_wizard;
};

} // namespace querydeck
