#pragma once

#include "telemetry/AlertInstance.h"

#include <QObject>
#include <optional>

class QSystemTrayIcon;

namespace querydeck {

// Desktop notifications: on a transition into Firing of a critical or
// warning alert, a QSystemTrayIcon message. Where the platform has no system
// tray it does nothing, quietly. Feed it the AlertEngine's transition signal.
// GUI thread only.
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
    int shownCount() const { return m_shown; }
    // The message for an entry, or none when it does not call for one.
    static std::optional<Message> messageFor(const AlertHistoryEntry& entry);

public slots:
    void notify(const querydeck::AlertHistoryEntry& entry);

private:
    QSystemTrayIcon* m_tray = nullptr;
    int m_shown = 0;
};

} // namespace querydeck
