#pragma once

#include <QWizardPage>

class QLabel;
class QListWidget;

namespace querydeck {

class FailoverWizard;

// The live timeline of the running failover (events and role changes).
class ProgressPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit ProgressPage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    FailoverWizard* m_wizard;
    QListWidget* m_timeline;
    QLabel* m_state;
};

// What was read back from the servers after the switch.
class FailoverVerifyPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit FailoverVerifyPage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void refresh();

    FailoverWizard* m_wizard;
    QListWidget* m_verified;
    QLabel* m_state;
};

// Outcome, old and new master, the window and the client requests that
// failed in it, the whole timeline.
class FailoverReportPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit FailoverReportPage(FailoverWizard* wizard);
    void initializePage() override;

private:
    FailoverWizard* m_wizard;
    QLabel* m_outcome;
    QLabel* m_window;
    QLabel* m_failed;
    QListWidget* m_timeline;
};

} // namespace querydeck
