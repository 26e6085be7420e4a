#include "alerts/TrayNotifier.h"

#include "AlertListModel.h"

#include <QApplication>
#include <QStyle>
#include <QSystemTrayIcon>

namespace querydeck {

TrayNotifier::TrayNotifier(QObject* parent)
    : QObject(parent)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(this);
    m_tray->setIcon(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning));
    m_tray->setToolTip(tr("QueryDeck alerts"));
    m_tray->show();
}

TrayNotifier::~TrayNotifier() = default;

std::optional<TrayNotifier::Message> TrayNotifier::messageFor(const AlertHistoryEntry& entry)
{
    if (!entry.transition.startsFiring() || entry.severity == AlertSeverity::Info)
        return std::nullopt;
    Message m;
    m.critical = entry.severity == AlertSeverity::Critical;
    m.title = tr("%1 firing (%2)").arg(entry.ruleName, severityName(entry.severity));
    m.body = entry.labels.isEmpty() ? QString() : labelsText(entry.labels) + QLatin1Char('\n');
    m.body += tr("value %1").arg(alertValueText(entry.transition.value));
    return m;
}

void TrayNotifier::notify(const AlertHistoryEntry& entry)
{
    const auto message = messageFor(entry);
    if (!message || !m_tray)
        return;
    m_tray->showMessage(message->title, message->body,
                        message->critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning,
                        15000);
    ++m_shown;
}

} // namespace querydeck
