#include "ui/alerts/FreedesktopNotifications.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QStringList>
#include <QVariantMap>

namespace querydeck {

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");

// Urgency levels of the specification (a byte): 0 low, 1 normal, 2 critical.
constexpr uchar kNormal = 1;
constexpr uchar kCritical = 2;

} // namespace

FreedesktopNotifications::FreedesktopNotifications(QObject* parent)
    : QObject(parent)
{
}

void FreedesktopNotifications::notify(const QString& summary, const QString& body, bool critical)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        const QDBusError error = bus.lastError();
        const QString reason = error.isValid() ? error.message() : tr("no session bus");
        // Queued, so callers see the same order as for a call that fails later.
        QMetaObject::invokeMethod(
            this, [this, reason] { emit failed(tr("session D-Bus unavailable: %1").arg(reason)); },
            Qt::QueuedConnection);
        return;
    }
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(critical ? kCritical : kNormal));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("io.querydeck.QueryDeck"));
    call << QStringLiteral("QueryDeck") << uint(0)
         << (critical ? QStringLiteral("dialog-error") : QStringLiteral("dialog-warning"))
         << summary << body.toHtmlEscaped() << QStringList() << hints << int(-1);
    ++m_pending;
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this](QDBusPendingCallWatcher* finished) {
                finished->deleteLater();
                --m_pending;
                const QDBusPendingReply<uint> reply = *finished;
                if (reply.isError())
                    emit failed(QStringLiteral("%1 (%2)").arg(reply.error().message(),
                                                              reply.error().name()));
                else
                    emit delivered(reply.value());
            });
}

} // namespace querydeck
