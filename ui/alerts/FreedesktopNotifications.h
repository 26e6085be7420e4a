#pragma once

#include <QObject>
#include <QString>

namespace querydeck {

// Desktop notifications through org.freedesktop.Notifications on the session
// D-Bus (the Desktop Notifications Specification), for desktops that have no
// system tray (GNOME by default). notify() never waits: the call is sent
// asynchronously and its reply, or its error (no session bus, no
// notification service), comes back as a signal through the event loop.
// Lives on the GUI thread.
class FreedesktopNotifications : public QObject
{
    Q_OBJECT

public:
    explicit FreedesktopNotifications(QObject* parent = nullptr);

    // Sends one notification; critical ones carry the "critical" urgency
    // hint, the others "normal". The body is escaped for servers that read
    // it as markup.
    void notify(const QString& summary, const QString& body, bool critical);
    // Calls sent whose reply has not come back yet.
    int pending() const { return m_pending; }

signals:
    void delivered(uint id);
    void failed(const QString& error);

private:
    int m_pending = 0;
};

} // namespace querydeck
