#pragma once

#include "backend/redisops/FailoverController.h"

#include <QWizardPage>

class QLabel;
class QListWidget;

namespace querydeck {

class FailoverWizard;

// What the failover wizard's pages share: access to the wizard's request and
// controller, and what more than one page shows (a check list, the event
// timeline, the error line, the failed client requests). GUI thread only.
class FailoverPageBase : public QWizardPage
{
    Q_OBJECT

public:
    explicit FailoverPageBase(FailoverWizard* wizard);

protected:
    FailoverRequest& request() const;
    FailoverController* controller() const;
    FailoverWizard* failoverWizard() const { return m_wizard; }
    bool isCluster() const;
    // A red line for why a step was refused, named "error".
    QLabel* makeErrorLabel();
    // A monospace list, named "timeline", for the controller's events.
    QListWidget* makeTimeline();
    // Fills `list` with checks, coloured by status.
    static void showChecks(QListWidget* list, const QList<FailoverCheck>& checks);
    static QString eventText(const FailoverController::Event& event);
    static QString failedRequestsText(const FailoverController::Report& report);
    static bool isOver(FailoverController::Phase phase);

private:
    FailoverWizard* m_wizard;
};

} // namespace querydeck
