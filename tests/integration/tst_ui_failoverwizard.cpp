// The failover wizard driven page by page with QTest against a real master,
// 2 replicas and 3 sentinels: input errors on the discover page, cancel
// before the trigger (nothing changes on the servers), a failing pre-check
// that keeps the trigger disabled, and a whole run through every page to a
// verified report, with a `querydeck serve` on the Sentinel checked by the
// verify page and counted by the report. Screenshots of the pre-check,
// progress and report pages go to $QUERYDECK_SNAPSHOT_DIR/failover-*.png when it is set.
#include "RawHttp.h"
#include "RedisTopologyFixture.h"
#include "ServeProcess.h"
#include "Snapshot.h"
#include "backend/redisops/FailoverController.h"
#include "ui/redis/FailoverWizard.h"
#include "ui/shell/MainWindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;
using querydeck::test::RawHttp;
using querydeck::test::RedisTopologyFixture;
using querydeck::test::saveSnapshot;
using querydeck::test::ServeProcess;

class FailoverWizardTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void discoverPageRejectsBadInput();
    void cancelBeforeTrigger();
    void failingPreCheckBlocksTrigger();
    void everyPage();
    void mainWindowMenu();

private:
    QString sentinels() const;
    QString roleOf(quint16 port) const
    {
        return RedisTopologyFixture::cli(port, {"ROLE"}).section('\n', 0, 0);
    }
    bool toPreChecks(FailoverWizard& wizard, const QString& addresses);
    RedisTopologyFixture m_redis;
};

void FailoverWizardTest::initTestCase()
{
    const QString error = m_redis.startSentinelTopology(2, 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void FailoverWizardTest::cleanupTestCase()
{
    m_redis.stop();
}

QString FailoverWizardTest::sentinels() const
{
    QStringList out;
    for (const quint16 port : m_redis.sentinelPorts())
        out << QStringLiteral("127.0.0.1:%1").arg(port);
    return out.join(QStringLiteral(", "));
}

bool FailoverWizardTest::toPreChecks(FailoverWizard& wizard, const QString& addresses)
{
    wizard.setDefaults(addresses, QLatin1String(RedisTopologyFixture::kMasterName), false);
    wizard.show();
    if (!QTest::qWaitForWindowExposed(&wizard))
        return false;
    wizard.next();
    if (wizard.currentId() != int(FailoverWizard::Page::PreChecks))
        return false;
    return QTest::qWaitFor([&wizard] { return wizard.currentPage()->isComplete(); }, 15000) ||
           wizard.controller()->phase() == FailoverController::Phase::Checked;
}

void FailoverWizardTest::discoverPageRejectsBadInput()
{
    FailoverWizard wizard;
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    auto* addresses = wizard.findChild<QLineEdit*>("addresses");
    auto* name = wizard.findChild<QLineEdit*>("masterName");
    auto* error = wizard.currentPage()->findChild<QLabel*>("error");
    QVERIFY(addresses && name && error);
    const QList<QPair<QString, QString>> cases{
        {"", "give 1 to 16 host:port"},
        {"127.0.0.1", "must be host:port"},
        {"127.0.0.1:0", "is not a number from 1 to 65535"},
        {"redis://user:pw@h:6379", "without scheme or credentials"},
        {"127.0.0.1:26379, ;drop", "must be host:port"}};
    for (const auto& [text, message] : cases) {
        addresses->setText(text);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(FailoverWizard::Page::Discover));
        QVERIFY2(error->text().contains(message), qPrintable(text + " -> " + error->text()));
    }
    addresses->setText(sentinels());
    name->setText(QStringLiteral("bad name with spaces"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FailoverWizard::Page::Discover));
    QVERIFY2(error->text().contains("Master name"), qPrintable(error->text()));
    QCOMPARE(wizard.controller()->phase(), FailoverController::Phase::Idle);
}

void FailoverWizardTest::cancelBeforeTrigger()
{
    const QString masterRole = roleOf(m_redis.masterPort());
    QCOMPARE(masterRole, QStringLiteral("master"));
    for (const int stopAt :
         {int(FailoverWizard::Page::PreChecks), int(FailoverWizard::Page::Choose),
          int(FailoverWizard::Page::Trigger)}) {
        FailoverWizard wizard;
        QSignalSpy phases(wizard.controller(), &FailoverController::phaseChanged);
        QVERIFY(toPreChecks(wizard, sentinels()));
        while (wizard.currentId() != stopAt) {
            QVERIFY(wizard.currentPage()->isComplete());
            wizard.next();
        }
        QSignalSpy rejected(&wizard, &QDialog::rejected);
        wizard.button(QWizard::CancelButton)->click();
        QCOMPARE(rejected.size(), 1);
        QVERIFY(!wizard.isVisible());
        QCOMPARE(wizard.controller()->phase(), FailoverController::Phase::Cancelled);
        // Nothing was sent: every command that moves a server runs in the
        // Triggered phase, which the controller never entered (and, cancelled
        // and then destroyed with the wizard, never can).
        for (const QList<QVariant>& args : phases)
            QVERIFY(args.at(0).value<FailoverController::Phase>() !=
                    FailoverController::Phase::Triggered);
    }
    QCOMPARE(roleOf(m_redis.masterPort()), QStringLiteral("master"));
}

void FailoverWizardTest::failingPreCheckBlocksTrigger()
{
    const quint16 replica = m_redis.replicaPorts().first();
    QCOMPARE(
        RedisTopologyFixture::cli(
            replica, {"REPLICAOF", "127.0.0.1", QString::number(RedisTopologyFixture::freePort())}),
        QStringLiteral("OK"));
    FailoverWizard wizard;
    QVERIFY(toPreChecks(wizard, sentinels()));
    auto* checks = wizard.currentPage()->findChild<QListWidget*>("checks");
    QVERIFY(checks);
    QStringList lines;
    for (int i = 0; i < checks->count(); ++i)
        lines << checks->item(i)->text();
    const QString down =
        QStringLiteral("Replica link 127.0.0.1:%1 — master link down").arg(replica);
    QVERIFY2(!lines.filter(down).isEmpty(), qPrintable(lines.join('\n')));
    wizard.next();
    // Choose exactly the replica whose link is down.
    wizard.findChild<QAbstractButton*>("prefer")->click();
    auto* combo = wizard.findChild<QComboBox*>("replica");
    combo->setCurrentIndex(combo->findData(QStringLiteral("127.0.0.1:%1").arg(replica)));
    QVERIFY(combo->currentIndex() >= 0);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FailoverWizard::Page::Trigger));
    QVERIFY(!wizard.currentPage()->isComplete());
    QVERIFY(!wizard.button(QWizard::CommitButton)->isEnabled());
    QVERIFY(saveSnapshot(&wizard, QStringLiteral("failover-blocked.png")));
    wizard.reject();
    QCOMPARE(wizard.controller()->phase(), FailoverController::Phase::Cancelled);
    RedisTopologyFixture::cli(replica,
                              {"REPLICAOF", "127.0.0.1", QString::number(m_redis.masterPort())});
    QTRY_VERIFY_WITH_TIMEOUT(RedisTopologyFixture::cli(replica, {"INFO", "replication"})
                                 .contains("master_link_status:up"),
                             15000);
}

void FailoverWizardTest::everyPage()
{
    // A QueryDeck replica on the Sentinel, for the verify and report pages.
    QTemporaryDir cacheHome;
    QVERIFY(cacheHome.isValid());
    ServeProcess serve;
    const QString started = serve.start(
        {QStringLiteral("--redis-sentinel"), sentinels().remove(QLatin1Char(' ')),
         QStringLiteral("--redis-master"), QLatin1String(RedisTopologyFixture::kMasterName),
         QStringLiteral("--corpus"), QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")},
        {QStringLiteral("XDG_CACHE_HOME=") + cacheHome.path()});
    QVERIFY2(started.isEmpty(), qPrintable(started));
    QCOMPARE(RawHttp::postJson(serve.port(), "/v1/query", R"({"query":"warm up"})").status, 200);
    const QString serveUrl = QStringLiteral("http://127.0.0.1:%1").arg(serve.port());

    FailoverWizard wizard;
    wizard.controller()->setServiceReplicas({serveUrl});
    QVERIFY(toPreChecks(wizard, sentinels()));
    QVERIFY(wizard.currentPage()->isComplete());
    QCoreApplication::sendPostedEvents(); // layouts settle on posted events
    QCoreApplication::processEvents();
    QVERIFY(saveSnapshot(&wizard, QStringLiteral("failover-prechecks.png")));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FailoverWizard::Page::Choose));
    QVERIFY(wizard.currentPage()->isComplete()); // Sentinel picks by default
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FailoverWizard::Page::Trigger));
    QTRY_VERIFY_WITH_TIMEOUT(wizard.button(QWizard::CommitButton)->isEnabled(), 5000);
    wizard.button(QWizard::CommitButton)->click();
    QCOMPARE(wizard.currentId(), int(FailoverWizard::Page::Progress));

    // Once triggered, Cancel is refused and the wizard stays open.
    wizard.reject();
    QVERIFY(wizard.isVisible());
    auto* timeline = wizard.currentPage()->findChild<QListWidget*>("timeline");
    QVERIFY(timeline);
    QTRY_VERIFY_WITH_TIMEOUT(timeline->count() >= 4, 30000);
    QVERIFY(saveSnapshot(&wizard, QStringLiteral("failover-progress.png")));
    QTRY_VERIFY_WITH_TIMEOUT(wizard.currentPage()->isComplete(), 70000);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FailoverWizard::Page::Verify));
    QTRY_VERIFY_WITH_TIMEOUT(wizard.currentPage()->isComplete(), 30000);
    auto* verified = wizard.currentPage()->findChild<QListWidget*>("verified");
    QVERIFY(verified && verified->count() >= 3);
    const QString newMaster = wizard.controller()->report().newMaster;
    QVERIFY(!verified
                 ->findItems(QStringLiteral("QueryDeck replica %1 uses the new master %2")
                                 .arg(serveUrl, newMaster),
                             Qt::MatchEndsWith)
                 .isEmpty());
    QVERIFY(saveSnapshot(&wizard, QStringLiteral("failover-verify.png")));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FailoverWizard::Page::Report));
    auto* outcome = wizard.currentPage()->findChild<QLabel*>("outcome");
    QVERIFY2(outcome->text().startsWith("Failover done: 127.0.0.1:" +
                                        QString::number(m_redis.masterPort())),
             qPrintable(outcome->text()));
    auto* failed = wizard.currentPage()->findChild<QLabel*>("failedRequests");
    QVERIFY2(
        failed->text().startsWith(QStringLiteral("0 (5xx answers to /v1/query on 1 QueryDeck")),
        qPrintable(failed->text()));
    // When the replica's cache used the new master, read from the replica itself.
    auto* writes = wizard.currentPage()->findChild<QLabel*>("writesResumed");
    QVERIFY2(writes->text().contains(QStringLiteral(" s after the trigger (%1 at ").arg(serveUrl)),
             qPrintable(writes->text()));
    auto* window = wizard.currentPage()->findChild<QLabel*>("window");
    QVERIFY2(window->text().endsWith(QStringLiteral(" s")), qPrintable(window->text()));
    QVERIFY(saveSnapshot(&wizard, QStringLiteral("failover-report.png")));
    // The servers agree: the old master is now a replica.
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(m_redis.masterPort()), QStringLiteral("slave"), 5000);
    wizard.button(QWizard::FinishButton)->click();
    QVERIFY(!wizard.isVisible());
}

void FailoverWizardTest::mainWindowMenu()
{
    MainWindow window;
    QSignalSpy requested(&window, &MainWindow::redisFailoverRequested);
    QAction* action = nullptr;
    for (QAction* menu : window.menuBar()->actions()) {
        if (menu->menu() && menu->text() == QStringLiteral("&Operations")) {
            for (QAction* item : menu->menu()->actions()) {
                if (item->text().startsWith(QStringLiteral("Redis &failover")))
                    action = item;
            }
        }
    }
    QVERIFY(action);
    action->trigger();
    QCOMPARE(requested.size(), 1);
}

QTEST_MAIN(FailoverWizardTest)
#include "tst_ui_failoverwizard.moc"
