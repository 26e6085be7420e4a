#include "ui/redis/FailoverChoosePage.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace querydeck {

FailoverChoosePage::FailoverChoosePage(FailoverWizard* wizard)
    : FailoverPageBase(wizard)
    , m_sentinelPicks(new QRadioButton(tr("Let &Sentinel pick the best replica"), this))
    , m_prefer(new QRadioButton(tr("&Promote this replica (sets replica-priority):"), this))
    , m_replica(new QComboBox(this))
    , m_optionLabel(new QLabel(tr("&Mode:"), this))
    , m_option(new QComboBox(this))
    , m_risk(new QCheckBox(
          tr("I understand that FORCE / TAKEOVER can lose writes the replica has not received."),
          this))
{
    setTitle(tr("Choose"));
    m_replica->setObjectName(QStringLiteral("replica"));
    m_option->setObjectName(QStringLiteral("option"));
    m_risk->setObjectName(QStringLiteral("risk"));
    m_sentinelPicks->setObjectName(QStringLiteral("sentinelPicks"));
    m_prefer->setObjectName(QStringLiteral("prefer"));
    m_option->addItem(tr("Default — the master agrees, no write is lost"));
    m_option->addItem(tr("FORCE — without the master's agreement"));
    m_option->addItem(tr("TAKEOVER — without the cluster's agreement"));
    m_optionLabel->setBuddy(m_option);
    m_sentinelPicks->setChecked(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_sentinelPicks);
    layout->addWidget(m_prefer);
    layout->addWidget(m_replica);
    layout->addWidget(m_optionLabel);
    layout->addWidget(m_option);
    layout->addWidget(m_risk);
    layout->addStretch();
    connect(m_prefer, &QRadioButton::toggled, m_replica, &QWidget::setEnabled);
    connect(m_option, &QComboBox::currentIndexChanged, this, &FailoverChoosePage::updateRisk);
    connect(m_risk, &QCheckBox::toggled, this, &FailoverChoosePage::completeChanged);
    connect(m_replica, &QComboBox::currentIndexChanged, this, &FailoverChoosePage::completeChanged);
}

void FailoverChoosePage::initializePage()
{
    const bool cluster = isCluster();
    setSubTitle(
        cluster ? tr("The replica to promote with CLUSTER FAILOVER.")
                : tr("SENTINEL FAILOVER promotes the replica with the best priority and offset."));
    m_replica->clear();
    for (const RedisNodeState& replica : controller()->topology().replicas)
        m_replica->addItem(QStringLiteral("%1  (%2, lag %3 B)")
                               .arg(replica.address, replica.linkStatus)
                               .arg(replica.lagBytes),
                           replica.address);
    m_sentinelPicks->setVisible(!cluster);
    m_prefer->setVisible(!cluster);
    m_replica->setEnabled(cluster || m_prefer->isChecked());
    m_optionLabel->setVisible(cluster);
    m_option->setVisible(cluster);
    updateRisk();
}

void FailoverChoosePage::updateRisk()
{
    m_risk->setVisible(isCluster() && m_option->currentIndex() > 0);
    if (!m_risk->isVisible())
        m_risk->setChecked(false);
    emit completeChanged();
}

bool FailoverChoosePage::isComplete() const
{
    if (isCluster())
        return m_replica->currentIndex() >= 0 &&
               (m_option->currentIndex() == 0 || m_risk->isChecked());
    return m_sentinelPicks->isChecked() || m_replica->currentIndex() >= 0;
}

bool FailoverChoosePage::validatePage()
{
    FailoverRequest& request = this->request();
    const bool cluster = isCluster();
    request.replica =
        cluster || m_prefer->isChecked() ? m_replica->currentData().toString() : QString();
    request.clusterOption = cluster ? FailoverRequest::ClusterOption(m_option->currentIndex())
                                    : FailoverRequest::ClusterOption::Default;
    request.riskConfirmed = m_risk->isChecked();
    controller()->setRequest(request);
    return true;
}

int FailoverChoosePage::nextId() const
{
    return int(FailoverWizard::Page::Trigger);
}

} // namespace querydeck
