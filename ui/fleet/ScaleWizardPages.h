#pragma once

#include "backend/scaling/FleetAdvisor.h"

#include <QWizardPage>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QTreeWidget;

namespace querydeck {

class ScaleWizard;

// The pages of ScaleWizard. Each reads what it shows from the wizard's
// ScaleOperatorMirror and writes what the operator chose into the wizard's
// ScaleRequest; none touches a ReplicaSet directly.

class CurrentStatePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit CurrentStatePage(ScaleWizard* wizard);
    void initializePage() override;

private:
    ScaleWizard* m_wizard;
    QLabel* m_replicas;
    QLabel* m_throughput;
    QLabel* m_utilisation;
    QLabel* m_latency;
    QLabel* m_cacheHit;
    QTreeWidget* m_findings;
    QLabel* m_verdict;
};

class TargetPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit TargetPage(ScaleWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    int target() const;

private:
    void updateTable();

    ScaleWizard* m_wizard;
    FleetState m_state;
    QRadioButton* m_byCount;
    QRadioButton* m_byTier;
    QSpinBox* m_count;
    QComboBox* m_tier;
    QDoubleSpinBox* m_price;
    QTableWidget* m_table;
    QLabel* m_note;
};

class PreflightPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit PreflightPage(ScaleWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;

private:
    void run();

    ScaleWizard* m_wizard;
    QTreeWidget* m_checks;
    QLabel* m_status;
    QPushButton* m_rerun;
    bool m_done = false;
    bool m_canProceed = false;
};

class ApplyPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit ApplyPage(ScaleWizard* wizard);
    void initializePage() override;
    bool isComplete() const override { return m_done; }
    int nextId() const override;

private:
    ScaleWizard* m_wizard;
    QLabel* m_status;
    QProgressBar* m_progress;
    QTableWidget* m_replicas;
    bool m_done = false;
};

class VerifyPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit VerifyPage(ScaleWizard* wizard);
    void initializePage() override;
    bool isComplete() const override { return m_done; }

private:
    ScaleWizard* m_wizard;
    QLabel* m_status;
    QListWidget* m_lines;
    bool m_done = false;
};

class ReportPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit ReportPage(ScaleWizard* wizard);
    void initializePage() override;

private:
    ScaleWizard* m_wizard;
    QLabel* m_summary;
    QListWidget* m_lines;
    QPushButton* m_rollback;
    QLabel* m_rollbackStatus;
};

} // namespace querydeck
