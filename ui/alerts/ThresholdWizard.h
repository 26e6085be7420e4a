#pragma once

#include "backend/alerting/ThresholdWizardController.h"

#include <QWizard>

namespace querydeck {

// "Edit alert thresholds…": pick a rule (or start one) → condition with a
// live chart of the last hour and a draggable threshold → for and
// keep_firing_for → preview over 1 h / 6 h / 24 h of history → severity,
// labels, route → review (old vs new) and save → the saved rule as read
// back. Built like Qt's licensewizard: a Page enum of ids, one
// Threshold<Role>Page per file on a ThresholdPageBase, registerField() for
// required input, nextId() per page. The pages fill request(); the
// ThresholdWizardController does all the work. GUI thread.
class ThresholdWizard : public QWizard
{
    Q_OBJECT

public:
    // Page ids for setPage() and nextId(), in the order the pages are shown.
    enum class Page
    {
        Pick,
        Condition,
        Durations,
        Preview,
        Details,
        Review,
        Done
    };

    explicit ThresholdWizard(ThresholdWizardController* controller, QWidget* parent = nullptr);

    ThresholdWizardController* controller() const { return m_controller; }
    ThresholdRequest& request() { return m_request; }
    // The rule being replaced, or nullptr for a new rule.
    const AlertRule* originalRule() const;

private:
    ThresholdWizardController* m_controller;
    ThresholdRequest m_request;
};

} // namespace querydeck
