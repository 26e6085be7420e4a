#include "ui/shell/StatusBarWidget.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QSet>

namespace querydeck {

StatusBarWidget::StatusBarWidget(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->setSpacing(12);
    m_address = new QLabel(tr("Service: not running"), this);
    m_address->setObjectName(QStringLiteral("serviceAddress"));
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_replicas = new QLabel(tr("Replicas: 0"), this);
    m_replicas->setObjectName(QStringLiteral("replicaCount"));
    layout->addWidget(m_address);
    layout->addWidget(m_replicas);
    m_chipLayout = new QHBoxLayout;
    m_chipLayout->setSpacing(6);
    layout->addLayout(m_chipLayout);
    layout->addStretch(1);
}

void StatusBarWidget::setServiceAddress(const QString& address)
{
    m_address->setText(address.isEmpty() ? tr("Service: not running")
                                         : tr("Service: %1").arg(address));
    m_address->setProperty("address", address);
}

QString StatusBarWidget::serviceAddress() const
{
    return m_address->property("address").toString();
}

void StatusBarWidget::setReplicaCount(int replicas)
{
    m_replicas->setText(tr("Replicas: %1").arg(replicas));
}

QColor StatusBarWidget::healthColor(SourceHealth health)
{
    // Grafana's palette: readable on both the dark and the light theme.
    switch (health) {
    case SourceHealth::Ok:
        return QColor(0x73, 0xbf, 0x69);
    case SourceHealth::Stale:
        return QColor(0xff, 0x98, 0x30);
    case SourceHealth::Error:
        return QColor(0xf2, 0x49, 0x5c);
    }
    return Qt::gray;
}

QString StatusBarWidget::healthName(SourceHealth health)
{
    switch (health) {
    case SourceHealth::Ok:
        return tr("ok");
    case SourceHealth::Stale:
        return tr("stale");
    case SourceHealth::Error:
        return tr("error");
    }
    return {};
}

void StatusBarWidget::setSourceStatus(const QList<SourceStatus>& status)
{
    QSet<QString> seen;
    for (const SourceStatus& s : status) {
        seen.insert(s.id);
        QLabel* chip = m_chips.value(s.id);
        if (!chip) {
            chip = new QLabel(this);
            chip->setObjectName(QStringLiteral("sourceChip"));
            chip->setFocusPolicy(Qt::TabFocus); // tooltips reachable from the keyboard
            m_chipLayout->addWidget(chip);
            m_chips.insert(s.id, chip);
        }
        const QColor color = healthColor(s.health);
        chip->setText(QStringLiteral("● %1").arg(s.id));
        chip->setProperty("health", healthName(s.health));
        chip->setProperty("chipColor", color);
        chip->setStyleSheet(QStringLiteral("QLabel { color: #111; background: %1; border-radius: "
                                           "3px; padding: 1px 6px; }")
                                .arg(color.name()));
        QString tip = s.description.isEmpty() ? s.id : s.description;
        tip += QStringLiteral("\n") + tr("Health: %1").arg(healthName(s.health));
        if (s.lastSuccessMs > 0)
            tip += QStringLiteral("\n") +
                   tr("Last success: %1")
                       .arg(QDateTime::fromMSecsSinceEpoch(s.lastSuccessMs).toString("HH:mm:ss"));
        if (s.malformedLines > 0)
            tip += QStringLiteral("\n") + tr("Malformed lines: %1").arg(s.malformedLines);
        if (!s.lastError.isEmpty())
            tip += QStringLiteral("\n") + tr("Last error: %1").arg(s.lastError);
        chip->setToolTip(tip);
        chip->setAccessibleName(tr("Data source %1: %2").arg(s.id, healthName(s.health)));
    }
    for (auto it = m_chips.begin(); it != m_chips.end();) {
        if (!seen.contains(it.key())) {
            it.value()->deleteLater();
            it = m_chips.erase(it);
        } else {
            ++it;
        }
    }
}

QLabel* StatusBarWidget::chip(const QString& sourceId) const
{
    return m_chips.value(sourceId);
}

} // namespace querydeck
