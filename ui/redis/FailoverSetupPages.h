#pragma once

#include "backend/redisops/FailoverCheck.h"

#include <QWizardPage>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QRadioButton;

namespace querydeck {

class FailoverWizard;
class RedisTopologyView;

// Fills a QListWidget with checks, coloured by status. Shared by the pages.
void showChecks(QListWidget* list, const QList<FailoverCheck>& checks);

// Where the topology is: Sentinel (addresses + master name) or Cluster (a seed node).
class DiscoverPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit DiscoverPage(FailoverWizard* wizard);
    void setDefaults(const QString& addresses, const QString& masterName, bool cluster);
    bool validatePage() override;
    int nextId() const override;

private:
    void updateMode();

    FailoverWizard* m_wizard;
    QComboBox* m_mode;
    QLineEdit* m_addresses;
    QLineEdit* m_masterName;
    QLabel* m_masterLabel;
    QLabel* m_error;
};

// The discovered topology and the pre-checks; Next only when discovery ended
// and at least one replica can be promoted.
class PreChecksPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit PreChecksPage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    FailoverWizard* m_wizard;
    RedisTopologyView* m_topology;
    QListWidget* m_checks;
    QLabel* m_summary;
    bool m_ready = false;
};

// Sentinel: let Sentinel pick, or prefer one replica (by priority). Cluster:
// the replica to promote and the mode; FORCE and TAKEOVER need the risk box.
class ChoosePage : public QWizardPage
{
    Q_OBJECT

public:
    explicit ChoosePage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    int nextId() const override;

private:
    void updateRisk();

    FailoverWizard* m_wizard;
    QRadioButton* m_sentinelPicks;
    QRadioButton* m_prefer;
    QComboBox* m_replica;
    QLabel* m_optionLabel;
    QComboBox* m_option;
    QCheckBox* m_risk;
};

// The final checks for the chosen plan; committing it triggers the failover.
class TriggerPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit TriggerPage(FailoverWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    int nextId() const override;

private:
    FailoverWizard* m_wizard;
    QLabel* m_plan;
    QListWidget* m_checks;
    QLabel* m_error;
};

} // namespace querydeck
