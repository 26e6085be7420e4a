#include "ui/alerts/TrayNotifier.h"

#include "models/AlertListModel.h"
#include "ui/alerts/FreedesktopNotifications.h"

#include <QApplication>
#include <QStyle>
#include <QSystemTrayIcon>
#include <spdlog/spdlog.h>

namespace querydeck {

TrayNotifier::TrayNotifier(QObject* parent)
    : QObject(parent)
    , m_desktop(new FreedesktopNotifications(this))
{
    connect(m_desktop, &FreedesktopNotifications::failed, this, &TrayNotifier::desktopFailed);
    ensureTray();
}

bool TrayNotifier::ensureTray()
{
    if (m_tray)
        return true;
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return false;
    m_tray = new QSystemTrayIcon(this);
    m_tray->setIcon(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning));
    m_tray->setToolTip(tr("QueryDeck alerts"));
    m_tray->show();
    return true;
}

void TrayNotifier::desktopFailed(const QString& error)
{
    if (m_loggedUnavailable)
        return;
    m_loggedUnavailable = true;
    spdlog::warn("[alerts] no system tray and no desktop notification service "
                 "(org.freedesktop.Notifications on the session D-Bus: {}); firing alerts "
                 "show in the alerts dock only",
                 error.toStdString());
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
    if (!message)
        return;
    if (!ensureTray()) {
        m_desktop->notify(message->title, message->body, message->critical);
        ++m_sent;
        return;
    }
    m_tray->showMessage(message->title, message->body,
                        message->critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning,
                        15000);
    ++m_shown;
}

} // namespace querydeck
