#pragma once

#include "backend/alerting/AlertInstance.h"

#include <QObject>
#include <optional>

class QSystemTrayIcon;

namespace querydeck {
class FreedesktopNotifications;
}

namespace querydeck {

// Desktop notifications: on a transition into Firing of a critical or
// warning alert, a QSystemTrayIcon message. Where there is no system tray
// (GNOME by default) the message goes to the freedesktop notification
// service on the session D-Bus instead, asynchronously. Tray availability is
// checked again on every message, so a tray that appears later is used.
// When neither exists it logs that once. Feed it the AlertEngine's
// transition signal. GUI thread only.
class TrayNotifier : public QObject
{
    Q_OBJECT

public:
    struct Message
    {
        QString title;
        QString body;
        bool critical = false;
    };

    explicit TrayNotifier(QObject* parent = nullptr);
    ~TrayNotifier() override;

    bool available() const { return m_tray != nullptr; }
    // Messages shown in the tray, and sent to the notification service.
    int shownCount() const { return m_shown; }
    int sentCount() const { return m_sent; }
    const FreedesktopNotifications* desktop() const { return m_desktop; }
    // The message for an entry, or none when it does not call for one.
    static std::optional<Message> messageFor(const AlertHistoryEntry& entry);

public slots:
    void notify(const querydeck::AlertHistoryEntry& entry);

private:
    bool ensureTray();
    void desktopFailed(const QString& error);

    QSystemTrayIcon* m_tray = nullptr;
    FreedesktopNotifications* m_desktop = nullptr;
    int m_shown = 0;
    int m_sent = 0;
    bool m_loggedUnavailable = false;
};

} // namespace querydeck
