// Desktop notifications without a system tray: TrayNotifier sends
// org.freedesktop.Notifications.Notify over a real session bus, a private
// dbus-daemon this test starts, to a fixture service speaking the documented
// interface (Desktop Notifications Specification 1.2).
#include "ui/alerts/FreedesktopNotifications.h"
#include "ui/alerts/TrayNotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusReply>
#include <QProcess>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

using namespace querydeck;

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");

struct Received
{
    QString appName;
    uint replacesId = 0;
    QString appIcon;
    QString summary;
    QString body;
    QStringList actions;
    QVariantMap hints;
    int expireTimeout = 0;
};

} // namespace

// The notification server side of the specification, as a desktop runs it.
class NotificationsFixture : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    QList<Received> received;

public slots:
    uint Notify(const QString& appName, uint replacesId, const QString& appIcon,
                const QString& summary, const QString& body, const QStringList& actions,
                const QVariantMap& hints, int expireTimeout)
    {
        received.append(
            {appName, replacesId, appIcon, summary, body, actions, hints, expireTimeout});
        return uint(received.size());
    }
    QStringList GetCapabilities() { return {QStringLiteral("body")}; }
    QString GetServerInformation(QString& vendor, QString& version, QString& specVersion)
    {
        vendor = QStringLiteral("QueryDeck tests");
        version = QStringLiteral("1");
        specVersion = QStringLiteral("1.2");
        return QStringLiteral("fixture");
    }
    void CloseNotification(uint) {}
};

class TstDesktopNotifications : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void firingAlertsReachTheService();
    void noServiceLogsOnceWithoutBlocking();
    void cleanupTestCase();

private:
    AlertHistoryEntry firing(const QString& rule, AlertSeverity severity) const;
    uchar urgency(const Received& r) const { return r.hints.value("urgency").value<uchar>(); }

    QTemporaryDir m_dir;
    QProcess m_daemon;
    NotificationsFixture m_fixture;
    QString m_address;
};

void TstDesktopNotifications::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_daemon.setProgram(QStringLiteral("dbus-daemon"));
    m_daemon.setArguments({QStringLiteral("--session"), QStringLiteral("--nofork"),
                           QStringLiteral("--address=unix:path=%1/bus").arg(m_dir.path()),
                           QStringLiteral("--print-address")});
    m_daemon.start();
    QVERIFY2(m_daemon.waitForStarted(5000),
             qPrintable("dbus-daemon (Debian package dbus-daemon) cannot start: " +
                        m_daemon.errorString()));
    for (int i = 0; i < 50 && !m_daemon.canReadLine(); ++i)
        m_daemon.waitForReadyRead(100);
    m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
    QVERIFY2(m_address.startsWith("unix:"),
             qPrintable("dbus-daemon printed no address: " + m_daemon.readAllStandardError()));
    // Before anything in this process opens the session bus.
    qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());

    QDBusConnection server = QDBusConnection::connectToBus(m_address, QStringLiteral("fixture"));
    QVERIFY2(server.isConnected(), qPrintable(server.lastError().message()));
    QVERIFY(server.registerObject(kPath, &m_fixture, QDBusConnection::ExportAllSlots));
    QVERIFY(server.registerService(kService));

    // The session bus of this process is the private one, and the fixture
    // answers as the specification says (the fixture lives on this thread,
    // so the calls keep its event loop running).
    const auto call = [](const QString& method) {
        // No QDBusInterface: its introspection would block this thread.
        return QDBusConnection::sessionBus().call(
            QDBusMessage::createMethodCall(kService, kPath, kService, method), QDBus::BlockWithGui,
            5000);
    };
    const QDBusMessage info = call(QStringLiteral("GetServerInformation"));
    QVERIFY2(info.type() == QDBusMessage::ReplyMessage, qPrintable(info.errorMessage()));
    QCOMPARE(info.arguments().value(0).toString(), QStringLiteral("fixture"));
    QCOMPARE(info.arguments().value(3).toString(), QStringLiteral("1.2"));
    const QDBusReply<QStringList> caps = call(QStringLiteral("GetCapabilities"));
    QCOMPARE(caps.value(), QStringList{QStringLiteral("body")});
}

AlertHistoryEntry TstDesktopNotifications::firing(const QString& rule, AlertSeverity severity) const
{
    AlertHistoryEntry e;
    e.ruleName = rule;
    e.severity = severity;
    e.labels.insert(QStringLiteral("instance"), QStringLiteral("r<1>&"));
    e.transition.t = QDateTime::currentMSecsSinceEpoch();
    e.transition.from = AlertState::Pending;
    e.transition.to = AlertState::Firing;
    e.transition.value = 0.25;
    return e;
}

void TstDesktopNotifications::firingAlertsReachTheService()
{
    TrayNotifier notifier;
    // No StatusNotifierWatcher on this bus and offscreen: no tray.
    QVERIFY(!notifier.available());
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());

    notifier.notify(firing(QStringLiteral("HighErrorRate"), AlertSeverity::Critical));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.received.size(), 1, 10000);
    notifier.notify(firing(QStringLiteral("CacheHitRate"), AlertSeverity::Warning));
    // Info and non-firing transitions call for nothing.
    notifier.notify(firing(QStringLiteral("Quiet"), AlertSeverity::Info));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.received.size(), 2, 10000);
    QTRY_COMPARE(notifier.desktop()->pending(), 0);
    QCOMPARE(notifier.sentCount(), 2);
    QCOMPARE(notifier.shownCount(), 0);

    const Received critical = m_fixture.received.at(0);
    QCOMPARE(critical.appName, QStringLiteral("QueryDeck"));
    QCOMPARE(critical.replacesId, 0u);
    QCOMPARE(critical.summary, QStringLiteral("HighErrorRate firing (critical)"));
    // The label's markup characters arrive escaped; the value is in the body.
    QVERIFY2(critical.body.contains(QStringLiteral("r&lt;1&gt;&amp;")), qPrintable(critical.body));
    QVERIFY2(critical.body.contains(QStringLiteral("value 0.25")), qPrintable(critical.body));
    QVERIFY(critical.actions.isEmpty());
    QCOMPARE(critical.expireTimeout, -1);
    QCOMPARE(urgency(critical), uchar(2));

    const Received warning = m_fixture.received.at(1);
    QCOMPARE(warning.summary, QStringLiteral("CacheHitRate firing (warning)"));
    QCOMPARE(urgency(warning), uchar(1));
}

void TstDesktopNotifications::noServiceLogsOnceWithoutBlocking()
{
    QDBusConnection server(QStringLiteral("fixture"));
    QVERIFY(server.unregisterService(kService));
    QTRY_VERIFY(!QDBusConnection::sessionBus().interface()->isServiceRegistered(kService));
    const auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(32);
    sink->set_pattern("%l %v");
    spdlog::default_logger()->sinks().push_back(sink);

    const int before = int(m_fixture.received.size());
    TrayNotifier notifier;
    notifier.notify(firing(QStringLiteral("HighErrorRate"), AlertSeverity::Critical));
    // notify() returned before any reply: the call is still out.
    QCOMPARE(notifier.desktop()->pending(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(notifier.desktop()->pending(), 0, 10000);
    notifier.notify(firing(QStringLiteral("CacheHitRate"), AlertSeverity::Warning));
    QTRY_COMPARE_WITH_TIMEOUT(notifier.desktop()->pending(), 0, 10000);
    spdlog::default_logger()->sinks().pop_back();

    QCOMPARE(int(m_fixture.received.size()), before);
    int logged = 0;
    for (const std::string& line : sink->last_formatted()) {
        if (line.find("no desktop notification service") != std::string::npos) {
            ++logged;
            QVERIFY2(line.rfind("warning", 0) == 0, line.c_str());
            QVERIFY2(line.find("ServiceUnknown") != std::string::npos, line.c_str());
        }
    }
    QCOMPARE(logged, 1);
    QVERIFY(server.registerService(kService));
}

void TstDesktopNotifications::cleanupTestCase()
{
    QDBusConnection::disconnectFromBus(QStringLiteral("fixture"));
    if (m_daemon.state() != QProcess::NotRunning) {
        m_daemon.terminate();
        if (!m_daemon.waitForFinished(5000)) {
            m_daemon.kill();
            m_daemon.waitForFinished(5000);
        }
    }
}

QTEST_MAIN(TstDesktopNotifications)
#include "tst_desktopnotifications.moc"
