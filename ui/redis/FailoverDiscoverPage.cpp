#include "ui/redis/FailoverDiscoverPage.h"

#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>

namespace querydeck {

FailoverDiscoverPage::FailoverDiscoverPage(FailoverWizard* wizard)
    : FailoverPageBase(wizard)
    , m_mode(new QComboBox(this))
    , m_addresses(new QLineEdit(this))
    , m_masterName(new QLineEdit(this))
    , m_masterLabel(new QLabel(tr("Master &name:"), this))
    , m_error(makeErrorLabel())
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
    connect(m_mode, &QComboBox::currentIndexChanged, this, &FailoverDiscoverPage::updateMode);
    updateMode();
}

void FailoverDiscoverPage::setDefaults(const QString& addresses, const QString& masterName,
                                       bool cluster)
{
    m_addresses->setText(addresses);
    if (!masterName.isEmpty())
        m_masterName->setText(masterName);
    m_mode->setCurrentIndex(cluster ? 1 : 0);
}

void FailoverDiscoverPage::updateMode()
{
    const bool cluster = m_mode->currentIndex() == 1;
    m_masterName->setVisible(!cluster);
    m_masterLabel->setVisible(!cluster);
    m_addresses->setPlaceholderText(cluster ? tr("any cluster node, e.g. 10.0.0.5:7000")
                                            : tr("sentinels, e.g. 10.0.0.5:26379, 10.0.0.6:26379"));
}

bool FailoverDiscoverPage::validatePage()
{
    FailoverRequest& request = this->request();
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
    controller()->setRequest(request);
    controller()->discover();
    return true;
}

int FailoverDiscoverPage::nextId() const
{
    return int(FailoverWizard::Page::PreChecks);
}

} // namespace querydeck
