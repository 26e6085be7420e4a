#include "ui/redis/FailoverSetupPages.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"
#include "ui/redis/RedisTopologyView.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRadioButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace querydeck {

namespace {

QLabel* errorLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #d03b3b;"));
    label->setObjectName(QStringLiteral("error"));
    return label;
}

bool isCluster(FailoverWizard* wizard)
{
    return wizard->request().mode == FailoverRequest::Mode::Cluster;
}

} // namespace

void showChecks(QListWidget* list, const QList<FailoverCheck>& checks)
{
    list->clear();
    for (const FailoverCheck& check : checks) {
        QString mark;
        QColor color;
        switch (check.status) {
        case FailoverCheck::Status::Pass:
            mark = QStringLiteral("✔");
            color = QColor(0x2e, 0x9e, 0x4f);
            break;
        case FailoverCheck::Status::Warn:
            mark = QStringLiteral("⚠");
            color = QColor(0xc7, 0x8a, 0x00);
            break;
        case FailoverCheck::Status::Fail:
            mark = QStringLiteral("✖");
            color = QColor(0xd0, 0x3b, 0x3b);
            break;
        }
        auto* item = new QListWidgetItem(
            QStringLiteral("%1  %2 — %3").arg(mark, check.name, check.detail), list);
        item->setForeground(color);
        item->setData(Qt::UserRole, int(check.status));
    }
}

DiscoverPage::DiscoverPage(FailoverWizard* wizard)
    : m_wizard(wizard)
    , m_mode(new QComboBox(this))
    , m_addresses(new QLineEdit(this))
    , m_masterName(new QLineEdit(this))
    , m_masterLabel(new QLabel(tr("Master &name:"), this))
    , m_error(errorLabel(this))
{
    setTitle(tr("Discover the topology"));
    setSubTitle(tr("Where the Redis servers are. Nothing is changed until the trigger step."));
    m_mode->addItem(tr("Sentinel"));
    m_mode->addItem(tr("Redis Cluster"));
    m_mode->setObjectName(QStringLiteral("mode"));
    m_addresses->setObjectName(QStringLiteral("addresses"));
    m_masterName->setObjectName(QStringLiteral("masterName"));
    m_masterName->setText(QStringLiteral("mymaster"));
    m_masterLabel->setBuddy(m_masterName);
    auto* form = new QFormLayout(this);
    form->addRow(tr("&Kind:"), m_mode);
    form->addRow(tr("&Addresses:"), m_addresses);
    form->addRow(m_masterLabel, m_masterName);
    form->addRow(m_error);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &DiscoverPage::updateMode);
    updateMode();
}

void DiscoverPage::setDefaults(const QString& addresses, const QString& masterName, bool cluster)
{
    m_addresses->setText(addresses);
    if (!masterName.isEmpty())
        m_masterName->setText(masterName);
    m_mode->setCurrentIndex(cluster ? 1 : 0);
}

void DiscoverPage::updateMode()
{
    const bool cluster = m_mode->currentIndex() == 1;
    m_masterName->setVisible(!cluster);
    m_masterLabel->setVisible(!cluster);
    m_addresses->setPlaceholderText(cluster ? tr("any cluster node, e.g. 10.0.0.5:7000")
                                            : tr("sentinels, e.g. 10.0.0.5:26379, 10.0.0.6:26379"));
}

bool DiscoverPage::validatePage()
{
    FailoverRequest& request = m_wizard->request();
    request = FailoverRequest{};
    request.mode = m_mode->currentIndex() == 1 ? FailoverRequest::Mode::Cluster
                                               : FailoverRequest::Mode::Sentinel;
    const QStringList parts = m_addresses->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parts.isEmpty() || parts.size() > 16) {
        m_error->setText(tr("Addresses: give 1 to 16 host:port entries separated by commas."));
        return false;
    }
    QList<RedisAddress> addresses;
    for (const QString& part : parts) {
        QString problem;
        const RedisAddress address = RedisAddress::parse(part, &problem);
        if (!problem.isEmpty()) {
            m_error->setText(tr("Addresses: \"%1\" %2").arg(part.trimmed().left(64), problem));
            return false;
        }
        addresses << address;
    }
    if (request.mode == FailoverRequest::Mode::Sentinel) {
        const QString name = m_masterName->text().trimmed();
        static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9._-]{1,128}$"));
        if (!namePattern.match(name).hasMatch()) {
            m_error->setText(tr("Master name: 1 to 128 letters, digits, '.', '_' or '-'."));
            return false;
        }
        request.sentinels = addresses;
        request.masterName = name;
    } else {
        request.clusterSeed = addresses.first();
    }
    m_error->clear();
    m_wizard->controller()->setRequest(request);
    m_wizard->controller()->discover();
    return true;
}

int DiscoverPage::nextId() const
{
    return FailoverWizard::Page_PreChecks;
}

PreChecksPage::PreChecksPage(FailoverWizard* wizard)
    : m_wizard(wizard)
    , m_topology(new RedisTopologyView(this))
    , m_checks(new QListWidget(this))
    , m_summary(new QLabel(this))
{
    setTitle(tr("Pre-checks"));
    setSubTitle(tr("The topology as the servers report it, and whether a failover is safe now."));
    m_checks->setObjectName(QStringLiteral("checks"));
    m_summary->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_topology, 3);
    layout->addWidget(m_checks, 2);
    layout->addWidget(m_summary);
    FailoverController* controller = wizard->controller();
    connect(controller, &FailoverController::topologyReady, m_topology,
            &RedisTopologyView::setTopology);
    connect(controller, &FailoverController::checksReady, this,
            [this](const QList<FailoverCheck>& checks) {
                if (m_wizard->currentId() != FailoverWizard::Page_PreChecks)
                    return;
                showChecks(m_checks, checks);
                // Here the choice is not made yet: Next needs a promotable replica, not a clean
                // sheet.
                bool promotable = false;
                for (const FailoverCheck& check : checks)
                    promotable =
                        promotable || (check.name.startsWith(QLatin1String("Replica link")) &&
                                       check.status != FailoverCheck::Status::Fail);
                m_ready = promotable || isCluster(m_wizard);
                m_summary->setText(
                    FailoverCheck::allowTrigger(checks)
                        ? tr("All checks pass or only warn. Choose how to fail over next.")
                        : tr("Some checks fail (✖): a failover now could lose writes or not "
                             "complete."));
                emit completeChanged();
            });
}

void PreChecksPage::initializePage()
{
    m_ready = false;
    m_checks->clear();
    m_summary->clear();
    m_topology->setMessage(tr("Discovering…"));
}

bool PreChecksPage::isComplete() const
{
    return m_ready && m_wizard->controller()->phase() == FailoverController::Phase::Checked;
}

int PreChecksPage::nextId() const
{
    return FailoverWizard::Page_Choose;
}

ChoosePage::ChoosePage(FailoverWizard* wizard)
    : m_wizard(wizard)
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
    connect(m_option, &QComboBox::currentIndexChanged, this, &ChoosePage::updateRisk);
    connect(m_risk, &QCheckBox::toggled, this, &ChoosePage::completeChanged);
    connect(m_replica, &QComboBox::currentIndexChanged, this, &ChoosePage::completeChanged);
}

void ChoosePage::initializePage()
{
    const bool cluster = isCluster(m_wizard);
    setSubTitle(
        cluster ? tr("The replica to promote with CLUSTER FAILOVER.")
                : tr("SENTINEL FAILOVER promotes the replica with the best priority and offset."));
    m_replica->clear();
    for (const RedisNodeState& replica : m_wizard->controller()->topology().replicas)
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

void ChoosePage::updateRisk()
{
    m_risk->setVisible(isCluster(m_wizard) && m_option->currentIndex() > 0);
    if (!m_risk->isVisible())
        m_risk->setChecked(false);
    emit completeChanged();
}

bool ChoosePage::isComplete() const
{
    if (isCluster(m_wizard))
        return m_replica->currentIndex() >= 0 &&
               (m_option->currentIndex() == 0 || m_risk->isChecked());
    return m_sentinelPicks->isChecked() || m_replica->currentIndex() >= 0;
}

bool ChoosePage::validatePage()
{
    FailoverRequest& request = m_wizard->request();
    const bool cluster = isCluster(m_wizard);
    request.replica =
        cluster || m_prefer->isChecked() ? m_replica->currentData().toString() : QString();
    request.clusterOption = cluster ? FailoverRequest::ClusterOption(m_option->currentIndex())
                                    : FailoverRequest::ClusterOption::Default;
    request.riskConfirmed = m_risk->isChecked();
    m_wizard->controller()->setRequest(request);
    return true;
}

int ChoosePage::nextId() const
{
    return FailoverWizard::Page_Trigger;
}

TriggerPage::TriggerPage(FailoverWizard* wizard)
    : m_wizard(wizard)
    , m_plan(new QLabel(this))
    , m_checks(new QListWidget(this))
    , m_error(errorLabel(this))
{
    setTitle(tr("Trigger"));
    setSubTitle(
        tr("Last look. From here on the failover runs on the servers and cannot be cancelled."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Fail over now"));
    m_plan->setWordWrap(true);
    m_checks->setObjectName(QStringLiteral("checks"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_plan);
    layout->addWidget(m_checks);
    layout->addWidget(m_error);
    connect(wizard->controller(), &FailoverController::checksReady, this,
            [this](const QList<FailoverCheck>& checks) {
                if (m_wizard->currentId() == FailoverWizard::Page_Trigger) {
                    showChecks(m_checks, checks);
                    emit completeChanged();
                }
            });
}

void TriggerPage::initializePage()
{
    const FailoverRequest& request = m_wizard->request();
    const QString master = m_wizard->controller()->topology().master.address;
    if (request.mode == FailoverRequest::Mode::Sentinel)
        m_plan->setText(
            request.replica.isEmpty()
                ? tr("SENTINEL FAILOVER %1: Sentinel promotes a replica of %2.")
                      .arg(request.masterName, master)
                : tr("Give %1 replica-priority 1, then SENTINEL FAILOVER %2 (master %3). "
                     "Priorities are restored afterwards.")
                      .arg(request.replica, request.masterName, master));
    else
        m_plan->setText(tr("CLUSTER FAILOVER%1 on %2, replacing master %3.")
                            .arg(request.clusterOption == FailoverRequest::ClusterOption::Force
                                     ? QStringLiteral(" FORCE")
                                 : request.clusterOption == FailoverRequest::ClusterOption::Takeover
                                     ? QStringLiteral(" TAKEOVER")
                                     : QString(),
                                 request.replica, master));
    m_error->clear();
    // The plan may differ from the pre-check page's (a chosen replica, FORCE).
    // QWizard still reports the previous page as current here, so fill the list directly.
    m_wizard->controller()->recheck();
    showChecks(m_checks, m_wizard->controller()->checks());
}

bool TriggerPage::isComplete() const
{
    return FailoverCheck::allowTrigger(m_wizard->controller()->checks());
}

bool TriggerPage::validatePage()
{
    if (!m_wizard->controller()->trigger()) {
        m_error->setText(
            tr("Not triggered: a check fails. Go back and choose differently, or cancel."));
        return false;
    }
    return true;
}

int TriggerPage::nextId() const
{
    return FailoverWizard::Page_Progress;
}

} // namespace querydeck
