#include "AlertTestData.h"
#include "Snapshot.h"
#include "UiTestSupport.h"
#include "models/AlertFilterModel.h"
#include "models/AlertHistoryModel.h"
#include "ui/alerts/AlertTimeline.h"
#include "ui/alerts/AlertsDock.h"
#include "ui/alerts/SilenceDialog.h"
#include "ui/alerts/TrayNotifier.h"
#include "ui/common/Theme.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTest>

using namespace querydeck;
using querydeck::test::saveSnapshot;
using namespace querydeck::testing;

namespace {

constexpr qint64 kMinute = 60 * 1000;

QList<AlertInstance> alerts(qint64 now)
{
    return {
        makeInstance("ReplicaDown", AlertSeverity::Warning, AlertState::Firing, now - 7 * kMinute,
                     0, "r2"),
        makeInstance("HighErrorRate", AlertSeverity::Critical, AlertState::Firing,
                     now - 3 * kMinute, 0.18),
        makeInstance("CacheHitRate", AlertSeverity::Info, AlertState::Pending, now - 40000, 0.31),
        makeInstance("DiskFree", AlertSeverity::Critical, AlertState::Normal, now - 90 * kMinute,
                     42)};
}

AlertHistoryEntry change(const QString& rule, AlertSeverity severity, qint64 t, AlertState from,
                         AlertState to, const QString& note = {})
{
    AlertHistoryEntry e;
    e.ruleName = rule;
    e.severity = severity;
    e.transition.t = t;
    e.transition.from = from;
    e.transition.to = to;
    e.transition.value = 1;
    e.note = note;
    return e;
}

} // namespace

class TstUiAlertsDock : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsFiringFirstAndFilters();
    void silenceDialogPrefilledAndValidated();
    void silenceAndAcknowledgeEmit();
    void timelineSegments();
    void trayNotifierQuietWithoutTray();
    void screenshot();

private:
    qint64 m_now = 0;
};

void TstUiAlertsDock::initTestCase()
{
    Theme::apply(*qApp, Theme::Mode::Dark);
    m_now = QDateTime::currentMSecsSinceEpoch();
}

void TstUiAlertsDock::listsFiringFirstAndFilters()
{
    AlertsDock dock;
    dock.setClock([this] { return m_now; });
    dock.resize(900, 400);
    dock.show();
    dock.setAlerts(alerts(m_now));
    QCOMPARE(dock.windowTitle(), QStringLiteral("Alerts (2 firing)"));
    QTableView* view = dock.alertView();
    QCOMPARE(view->model()->rowCount(), 4);
    QCOMPARE(view->model()->index(0, 1).data().toString(), QStringLiteral("HighErrorRate"));
    QCOMPARE(view->model()->index(1, 1).data().toString(), QStringLiteral("ReplicaDown"));
    QCOMPARE(view->model()->index(0, 5).data().toString(), QStringLiteral("3m ago"));

    QTest::keyClicks(dock.filterEdit(), QStringLiteral("replica"));
    QCOMPARE(view->model()->rowCount(), 1);
    dock.filterEdit()->clear();
    QCOMPARE(view->model()->rowCount(), 4);
    dock.severityFilter()->setCurrentIndex(dock.severityFilter()->findText("critical"));
    QCOMPARE(view->model()->rowCount(), 2);
    dock.stateFilter()->setCurrentIndex(dock.stateFilter()->findText("firing"));
    QCOMPARE(view->model()->rowCount(), 1);
    dock.severityFilter()->setCurrentIndex(0);
    dock.stateFilter()->setCurrentIndex(dock.stateFilter()->findText("pending"));
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, 1).data().toString(), QStringLiteral("CacheHitRate"));
}

void TstUiAlertsDock::silenceDialogPrefilledAndValidated()
{
    SilenceDialog dialog({{"alertname", "ReplicaDown"}, {"instance", "r2"}});
    dialog.show();
    QCOMPARE(dialog.matchersEdit()->text(), QStringLiteral("alertname=ReplicaDown, instance=r2"));
    // No comment: refused.
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.findChild<QLabel*>("commentMessage")->isVisible());
    // A bad duration and an empty matcher set: refused, each on its field.
    dialog.durationEdit()->setText(QStringLiteral("two hours"));
    dialog.matchersEdit()->setText(QStringLiteral(" , "));
    QTest::keyClicks(dialog.commentEdit(), QStringLiteral("deploy in progress"));
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.findChild<QLabel*>("durationMessage")->isVisible());
    QVERIFY(dialog.findChild<QLabel*>("matchersMessage")->text().contains("matcher"));
    dialog.durationEdit()->setText(QStringLiteral("0s"));
    dialog.accept();
    QVERIFY(dialog.isVisible());
    dialog.durationEdit()->setText(QStringLiteral("1h30m"));
    dialog.matchersEdit()->setText(QStringLiteral("alertname=ReplicaDown"));
    dialog.accept();
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.durationMs(), 90 * kMinute);
    QCOMPARE(dialog.matchers(), (QMap<QString, QString>{{"alertname", "ReplicaDown"}}));
    QCOMPARE(dialog.comment(), QStringLiteral("deploy in progress"));
}

void TstUiAlertsDock::silenceAndAcknowledgeEmit()
{
    AlertsDock dock;
    dock.show();
    dock.setAlerts(alerts(m_now));
    QSignalSpy silence(&dock, &AlertsDock::silenceRequested);
    QSignalSpy ack(&dock, &AlertsDock::acknowledgeRequested);
    QVERIFY(!dock.silenceButton()->isEnabled()); // nothing selected
    QVERIFY(!dock.acknowledgeButton()->isEnabled());

    // Drive the real dialog: the prompt opens it, the test fills it in.
    QMap<QString, QString> prefilled;
    dock.setSilencePrompt([&](const QMap<QString, QString>& prefill, QMap<QString, QString>* m,
                              qint64* d, QString* c) {
        prefilled = prefill;
        SilenceDialog dialog(prefill);
        dialog.show();
        QTest::keyClicks(dialog.commentEdit(), QStringLiteral("known, fixing"));
        dialog.durationEdit()->setText(QStringLiteral("30m"));
        QTest::keyClick(dialog.commentEdit(), Qt::Key_Return);
        if (dialog.result() != QDialog::Accepted)
            return false;
        *m = dialog.matchers();
        *d = dialog.durationMs();
        *c = dialog.comment();
        return true;
    });
    dock.alertView()->selectRow(1); // ReplicaDown{instance="r2"}
    QVERIFY(dock.silenceButton()->isEnabled());
    QTest::mouseClick(dock.silenceButton(), Qt::LeftButton);
    QCOMPARE(prefilled, (QMap<QString, QString>{{"alertname", "ReplicaDown"}, {"instance", "r2"}}));
    QCOMPARE(silence.size(), 1);
    QCOMPARE((silence.first().at(0).value<QMap<QString, QString>>()), prefilled);
    QCOMPARE(silence.first().at(1).toLongLong(), 30 * kMinute);
    QCOMPARE(silence.first().at(2).toString(), QStringLiteral("known, fixing"));

    QVERIFY(dock.acknowledgeButton()->isEnabled());
    QTest::mouseClick(dock.acknowledgeButton(), Qt::LeftButton);
    QCOMPARE(ack.size(), 1);
    QCOMPARE(ack.first().first().toString(), QStringLiteral("ReplicaDown{instance=\"r2\"}"));

    // Once acknowledged (the engine says so), Acknowledge is off for it.
    QList<AlertInstance> next = alerts(m_now);
    next[0].acknowledged = true;
    dock.setAlerts(next);
    QVERIFY(dock.selectedAlert().has_value());
    QCOMPARE(dock.selectedAlert()->ruleName, QStringLiteral("ReplicaDown"));
    QVERIFY(!dock.acknowledgeButton()->isEnabled());
    // A normal alert cannot be acknowledged but can be silenced.
    dock.alertView()->selectRow(3);
    QCOMPARE(dock.selectedAlert()->ruleName, QStringLiteral("DiskFree"));
    QVERIFY(!dock.acknowledgeButton()->isEnabled());
    QVERIFY(dock.silenceButton()->isEnabled());
}

void TstUiAlertsDock::timelineSegments()
{
    AlertHistoryModel model;
    AlertTimeline timeline;
    timeline.setModel(&model);
    timeline.setClock([this] { return m_now; });
    timeline.setSpanMs(6 * 60 * kMinute);
    const qint64 h = 60 * kMinute;
    // Before the window: pending→firing→normal; inside: a firing episode.
    model.append(change("Latency", AlertSeverity::Critical, m_now - 8 * h, AlertState::Normal,
                        AlertState::Firing));
    model.append(change("Latency", AlertSeverity::Critical, m_now - 7 * h, AlertState::Firing,
                        AlertState::Normal));
    model.append(change("Latency", AlertSeverity::Critical, m_now - 3 * h, AlertState::Normal,
                        AlertState::Pending));
    model.append(change("Latency", AlertSeverity::Critical, m_now - 3 * h + 5 * kMinute,
                        AlertState::Pending, AlertState::Firing));
    model.append(change("Latency", AlertSeverity::Critical, m_now - 2 * h, AlertState::Firing,
                        AlertState::Recovering));
    model.append(change("Latency", AlertSeverity::Critical, m_now - 2 * h + 10 * kMinute,
                        AlertState::Recovering, AlertState::Normal));
    model.append(change("Latency", AlertSeverity::Critical, m_now - h, AlertState::Normal,
                        AlertState::Normal, "threshold changed"));
    const auto segments = timeline.segments("Latency");
    QCOMPARE(segments.size(), 5);
    QCOMPARE(segments[0].state, AlertState::Normal);
    QCOMPARE(segments[0].from, m_now - 6 * h);
    QCOMPARE(segments[1].state, AlertState::Pending);
    QCOMPARE(segments[2].state, AlertState::Firing);
    QCOMPARE(segments[2].from, m_now - 3 * h + 5 * kMinute);
    QCOMPARE(segments[3].state, AlertState::Recovering);
    QCOMPARE(segments[4].state, AlertState::Normal);
    QCOMPARE(segments[4].to, m_now);

    // Two instances: the worst state shows.
    model.append(change("Down", AlertSeverity::Warning, m_now - 50 * kMinute, AlertState::Normal,
                        AlertState::Firing));
    AlertHistoryEntry other = change("Down", AlertSeverity::Warning, m_now - 40 * kMinute,
                                     AlertState::Normal, AlertState::Firing);
    other.labels.insert("instance", "r2");
    model.append(other);
    model.append(change("Down", AlertSeverity::Warning, m_now - 30 * kMinute, AlertState::Firing,
                        AlertState::Normal));
    const auto down = timeline.segments("Down");
    QCOMPARE(down.size(), 2); // normal, then firing (r2 still fires after the first resolves)
    QCOMPARE(down[1].state, AlertState::Firing);
    QCOMPARE(down[1].from, m_now - 50 * kMinute);
    QCOMPARE(timeline.rules(), QStringList({"Down", "Latency"}));
}

void TstUiAlertsDock::trayNotifierQuietWithoutTray()
{
    TrayNotifier tray;
    // offscreen has no system tray: nothing is shown and nothing fails.
    QCOMPARE(tray.available(), QSystemTrayIcon::isSystemTrayAvailable());
    const auto firing = change("HighErrorRate", AlertSeverity::Critical, m_now, AlertState::Pending,
                               AlertState::Firing);
    tray.notify(firing);
    QCOMPARE(tray.shownCount(), tray.available() ? 1 : 0);
    const auto message = TrayNotifier::messageFor(firing);
    QVERIFY(message.has_value());
    QVERIFY(message->critical);
    QVERIFY(message->title.contains("HighErrorRate"));
    // Not into firing, a flap held by keep_firing_for, or info: no message.
    QVERIFY(!TrayNotifier::messageFor(
        change("X", AlertSeverity::Critical, m_now, AlertState::Normal, AlertState::Pending)));
    QVERIFY(!TrayNotifier::messageFor(
        change("X", AlertSeverity::Critical, m_now, AlertState::Recovering, AlertState::Firing)));
    QVERIFY(!TrayNotifier::messageFor(
        change("X", AlertSeverity::Info, m_now, AlertState::Pending, AlertState::Firing)));
}

void TstUiAlertsDock::screenshot()
{
    AlertsDock dock;
    dock.setClock([this] { return m_now; });
    dock.resize(900, 320);
    dock.show();
    dock.setAlerts(alerts(m_now));
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    dock.alertView()->selectRow(1);
    QVERIFY(saveSnapshot(&dock, QStringLiteral("alerts-dock.png")));
    const qint64 h = 60 * kMinute;
    dock.addHistoryEntry(change("HighErrorRate", AlertSeverity::Critical, m_now - 5 * h,
                                AlertState::Normal, AlertState::Pending));
    dock.addHistoryEntry(change("HighErrorRate", AlertSeverity::Critical,
                                m_now - 5 * h + 5 * kMinute, AlertState::Pending,
                                AlertState::Firing));
    dock.addHistoryEntry(change("HighErrorRate", AlertSeverity::Critical, m_now - 4 * h,
                                AlertState::Firing, AlertState::Normal));
    dock.addHistoryEntry(change("ReplicaDown", AlertSeverity::Warning, m_now - 2 * h,
                                AlertState::Normal, AlertState::Firing));
    dock.addHistoryEntry(change("ReplicaDown", AlertSeverity::Warning, m_now - h,
                                AlertState::Firing, AlertState::Recovering));
    dock.addHistoryEntry(change("HighErrorRate", AlertSeverity::Critical, m_now - 3 * kMinute,
                                AlertState::Normal, AlertState::Firing));
    dock.addHistoryEntry(change("CacheHitRate", AlertSeverity::Info, m_now - 90 * kMinute,
                                AlertState::Normal, AlertState::NoData));
    dock.tabs()->setCurrentIndex(1);
    QVERIFY(querydeck::testing::runQueuedWork());
    QVERIFY(saveSnapshot(&dock, QStringLiteral("alerts-history.png")));
}

QTEST_MAIN(TstUiAlertsDock)
#include "tst_ui_alertsdock.moc"
