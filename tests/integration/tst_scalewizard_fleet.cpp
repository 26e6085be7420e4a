// The scale wizard end to end on a real fleet, as an operator meets it in the
// console: a LocalReplicaSet of `querydeck serve` children behind a real
// nginx, run on a control thread with its ScaleOperator (FleetThreadHost),
// every replica scraped into a TelemetryEngine by ReplicaScrapeSources, the
// wizard's numbers read from that store (StoreFleetProbe), and a client load
// through nginx (QueryLoad). Nothing is fed by hand: the throughput on the
// first page, the pre-flight results and the verification all come from the
// running processes.
//
// scaleUpVerified: 1 -> 2 through every page; verify passes because the new
// replica really receives traffic (its own scraped request counter grows).
// crashedReplicaRollsBack: 2 -> 3, the new replica is killed before verify
// (the set is configured not to restart a crashed replica), verify fails, the
// report offers the rollback and it restores 2 ready replicas.
// The verify and report pages are saved under /tmp to look at.
#include "FleetTeardown.h"
#include "QueryLoad.h"
#include "ServeProcess.h"
#include "Snapshot.h"
#include "backend/fleet/LocalReplicaSet.h"
#include "backend/fleet/ReplicaScrapeSources.h"
#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/metrics/TimeSeriesStore.h"
#include "backend/scaling/FleetProbe.h"
#include "backend/scaling/FleetThreadHost.h"
#include "backend/scaling/HostResourcesCheck.h"
#include "backend/scaling/NginxConfigCheck.h"
#include "backend/scaling/PortsFreeCheck.h"
#include "backend/scaling/ScaleOperator.h"
#include "backend/scaling/ScaleOperatorMirror.h"
#include "backend/telemetry/TelemetryEngine.h"
#include "ui/common/Theme.h"
#include "ui/fleet/ScaleWizard.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QThread>
#include <QTreeWidget>
#include <QtTest>
#include <csignal>
#include <limits>

using namespace querydeck;
using namespace querydeck::test;

namespace {

QString text(QWidget* root, const char* name)
{
    auto* label = root->findChild<QLabel*>(QString::fromLatin1(name));
    return label ? label->text() : QStringLiteral("<no %1>").arg(QString::fromLatin1(name));
}

QStringList listLines(QWidget* root, const char* name)
{
    QStringList out;
    if (auto* list = root->findChild<QListWidget*>(QString::fromLatin1(name)))
        for (int i = 0; i < list->count(); ++i)
            out << list->item(i)->text();
    return out;
}

QStringList treeColumn(QTreeWidget* tree, int column)
{
    QStringList out;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        out << tree->topLevelItem(i)->text(column);
    return out;
}

void next(QWizard& wizard)
{
    QAbstractButton* button = wizard.button(
        wizard.currentPage()->isCommitPage() ? QWizard::CommitButton : QWizard::NextButton);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

void save(QWidget* widget, const QString& fileName)
{
    QCoreApplication::processEvents(); // delayed layouts settle first
    QVERIFY(querydeck::test::saveSnapshot(widget, fileName));
}

} // namespace

class TestScaleWizardFleet : public QObject
{
    Q_OBJECT

private:
    QThread m_control;
    QTemporaryDir m_dir;
    LocalFleetOptions m_options;
    std::unique_ptr<TelemetryEngine> m_engine;
    std::shared_ptr<StoreFleetProbe> m_probe;
    FleetThreadHost* m_fleet = nullptr;
    LocalReplicaSet* m_set = nullptr; // on m_control
    ReplicaScrapeSources* m_sources = nullptr;
    std::unique_ptr<QueryLoad> m_load;
    QList<qint64> m_pids; // every replica process seen, to check none is left

    ReplicaSetMirror* mirror() const { return m_fleet->mirror(); }

    // How long the console has watched the load, by its store's own sample
    // times: from the first scrape that counted an answered query to the
    // newest one (0 until the load shows up).
    qint64 watchedLoadMs() const
    {
        const TimeSeriesStore& store = m_engine->store();
        qint64 first = -1;
        qint64 last = -1;
        for (const SeriesKey& key : store.keysOf(QStringLiteral("querydeck_http_requests_total"))) {
            if (key.label(QStringLiteral("route")) != QLatin1String("/v1/query"))
                continue;
            for (const Point& p :
                 store.window(key.toString(), 0, std::numeric_limits<qint64>::max())) {
                if (p.v <= 0)
                    continue;
                first = first < 0 ? p.t : std::min(first, p.t);
                last = std::max(last, p.t);
            }
        }
        return first < 0 ? 0 : last - first;
    }

    int readyCount() const
    {
        int ready = 0;
        for (const ReplicaInfo& r : mirror()->replicas())
            ready += r.state == ReplicaState::Ready ? 1 : 0;
        return ready;
    }

    ReplicaInfo replica(const QString& id) const
    {
        for (const ReplicaInfo& r : mirror()->replicas())
            if (r.id == id)
                return r;
        return {};
    }

    // The warnings nginx logged (its error_log is in the runtime dir).
    QString nginxErrors() const
    {
        QFile log(m_dir.filePath(QStringLiteral("error.log")));
        if (!log.open(QIODevice::ReadOnly))
            return QStringLiteral("(no %1)").arg(log.fileName());
        const QList<QByteArray> lines = log.readAll().split('\n');
        return QString::fromUtf8(lines.mid(std::max<qsizetype>(0, lines.size() - 6)).join('\n'));
    }

    QStringList rotation() const
    {
        QStringList servers;
        LocalReplicaSet* set = m_set;
        QMetaObject::invokeMethod(
            set, [set, &servers] { servers = set->serversInRotation(); },
            Qt::BlockingQueuedConnection);
        return servers;
    }

    void rememberPids()
    {
        for (const ReplicaInfo& r : mirror()->replicas())
            if (r.pid > 0 && !m_pids.contains(r.pid))
                m_pids << r.pid;
    }

    ScaleRequest defaults() const
    {
        ScaleRequest r;
        r.basePort = m_options.replicaPort(1);
        r.verifyWindowMs = 4000; // several scrapes of the new replica
        // The test's replicas are small: the host check should not warn
        // about a 2-core machine running three of them.
        r.cpuPerReplica = 0.5;
        r.memoryPerReplicaBytes = 128LL * 1024 * 1024;
        return r;
    }

    // Queries the instance answered over the last windowMs, from the scraped
    // series (what verify reads), by its address.
    double servedBy(const ReplicaInfo& r, qint64 windowMs) const
    {
        return m_probe->requestsByInstance(windowMs).value(r.address, 0.0);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("XDG_CONFIG_HOME", "/nonexistent-querydeck-test");
        Theme::apply(*qApp, Theme::Mode::Dark);
        QVERIFY(m_dir.isValid());
        // Misses with 20 ms of generation: measurable throughput, latency, CPU.
        const QString config = m_dir.filePath(QStringLiteral("service.json"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"rate_limit": {"enabled": false}, "cache": {"enabled": false},
            "generator": {"latency": {"enabled": true, "distribution": "fixed", "mean_ms": 20}}})");
        file.close();
        m_options.querydeckBinary = QStringLiteral(QUERYDECK_BIN);
        m_options.runtimeDir = m_dir.path();
        m_options.frontPort = ServeProcess::freePortRun(4); // nginx, replicas 1..3
        QVERIFY(m_options.frontPort > 0);
        m_options.configFile = config;
        m_options.extraArguments = {QStringLiteral("--corpus"),
                                    QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small")};
        // A crashed replica stays down (restart budget 0), so the second case
        // can make verification fail by killing the new replica.
        m_options.restartBudget = 0;
        m_options.drainTimeoutMs = 5000;

        StoreOptions store; // short verify windows need fine points
        store.fineResolutionMs = 100;
        store.fineRetentionMs = 10 * 60'000;
        m_engine = std::make_unique<TelemetryEngine>(store);
        m_engine->start();
        m_probe = std::make_shared<StoreFleetProbe>(m_engine->store());
        QVERIFY2(m_probe->error().isEmpty(), qPrintable(m_probe->error()));

        m_control.setObjectName(QStringLiteral("control"));
        m_control.start();
        m_set = new LocalReplicaSet(m_options);
        QVERIFY2(m_set->hasFrontDoor(), "nginx is required for this test and was not found");
        // The checks the console adds for a local fleet (no Redis here).
        auto* controller = new ScaleOperator(m_set, m_probe);
        controller->addCheck(std::make_unique<PortsFreeCheck>());
        controller->addCheck(std::make_unique<HostResourcesCheck>());
        controller->addCheck(std::make_unique<NginxConfigCheck>(m_options));
        m_fleet = new FleetThreadHost(m_set, controller, &m_control);
        m_sources = new ReplicaScrapeSources(mirror(), m_engine.get(), 250, this);

        mirror()->scale(1);
        QTRY_VERIFY_WITH_TIMEOUT(readyCount() == 1, 60000);
        // Ready is not yet in rotation: the load starts once nginx serves the
        // generation with the replica in its upstream (read on the set's thread).
        QTRY_COMPARE_WITH_TIMEOUT(rotation().size(), 1, 30000);
        rememberPids();
        m_load = std::make_unique<QueryLoad>(quint16(m_options.frontPort), 4, 100000);
        m_load->start();
    }

    void cleanupTestCase()
    {
        if (m_load)
            m_load->stop();
        if (m_fleet)
            rememberPids();
        delete m_sources;
        m_sources = nullptr;
        if (m_engine)
            m_engine->stop();
        tearDownLocalFleet(m_fleet, m_control, m_pids, m_dir.path());
    }

    void scaleUpVerified()
    {
        // The throughput is a rate over the last minute (as Prometheus's
        // rate(...[1m])): within the first minute of scrapes it reads low, so
        // the operator here arrives after the console has watched the load
        // for a full window: waited for in the store's own samples, not timed.
        QTRY_VERIFY_WITH_TIMEOUT(watchedLoadMs() >= 61000, 180000);
        QVERIFY(m_probe->read().queriesPerSecond.value_or(0) > 0);
        const QueryLoad::Counts before = m_load->counts();
        const qint64 watchedMs = watchedLoadMs();
        qInfo("load through nginx on one replica: %lld answers, %lld non-2xx, %lld transport "
              "errors, %lld ms of it in the console's store",
              before.total(), before.non2xx, before.transport, watchedMs);
        QVERIFY2(before.non2xx == 0 && before.transport == 0, qPrintable(nginxErrors()));
        // Ground truth for the throughput shown: the answers the client
        // counted, over the span the console's store watched them.
        const double clientRate = double(before.ok) * 1000.0 / double(watchedMs);

        ScaleWizard wizard(m_fleet->scaleMirror(), defaults());
        wizard.resize(900, 640);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));

        // Current state: one replica, its throughput as measured.
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::State));
        QCOMPARE(text(&wizard, "replicasValue"), QStringLiteral("1"));
        const QString throughput = text(&wizard, "throughputValue");
        QVERIFY2(throughput.endsWith(" queries/s"), qPrintable(throughput));
        const double shown = QLocale().toDouble(throughput.section(' ', 0, 0));
        qInfo("state page: %s; the client measured %.1f answers/s", qPrintable(throughput),
              clientRate);
        QVERIFY2(
            shown > clientRate / 2 && shown < clientRate * 2,
            qPrintable(
                QStringLiteral("%1 shown, %2 measured by the client").arg(shown).arg(clientRate)));
        // In its unit (a real replica answers in milliseconds: "2.3 ms", never "0.00 s").
        const QString latency = text(&wizard, "latencyValue");
        QVERIFY2(QRegularExpression(QStringLiteral(R"(^[1-9]\d*\.\d (µs|ms|s|min)$)"))
                     .match(latency)
                     .hasMatch(),
                 qPrintable(latency));
        save(&wizard, QStringLiteral("wizard-fleet-state.png"));

        // Target: 2 (the current count + 1 is offered).
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Target));
        QCOMPARE(wizard.findChild<QSpinBox*>("count")->value(), 2);

        // Pre-flight: the new replica's port free, nginx -t on the real
        // template, host memory and CPU, all pass.
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Preflight));
        QTRY_VERIFY_WITH_TIMEOUT(text(&wizard, "preflightStatus").startsWith("Ready"), 20000);
        auto* checks = wizard.findChild<QTreeWidget*>("checks");
        QCOMPARE(treeColumn(checks, 0),
                 (QStringList{"ports free", "host memory and CPU", "nginx -t"}));
        QCOMPARE(treeColumn(checks, 1), (QStringList{"pass", "pass", "pass"}));
        QVERIFY(wizard.button(QWizard::CommitButton)->isEnabled());

        // Apply: the second replica starts, gets ready, joins nginx.
        QSignalSpy applied(m_fleet->scaleMirror(), &ScaleOperatorMirror::applyFinished);
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Apply));
        QVERIFY(applied.wait(60000));
        QVERIFY2(applied.first().at(0).toBool(), qPrintable(applied.first().at(1).toString()));
        QTRY_COMPARE(text(&wizard, "applyStatus"),
                     QStringLiteral("Every requested replica is ready."));
        QTRY_COMPARE(readyCount(), 2);
        rememberPids();

        // Verify: passes because replica 2 really answers queries.
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Verify));
        QTRY_VERIFY_WITH_TIMEOUT(!listLines(&wizard, "verifyLines").isEmpty(), 30000);
        const QStringList lines = listLines(&wizard, "verifyLines");
        QCOMPARE(text(&wizard, "verifyStatus"), QStringLiteral("Verified."));
        QCOMPARE(lines.value(0), QStringLiteral("pass: 2 of 2 replicas ready"));
        QCOMPARE(lines.value(1), QStringLiteral("pass: every ready replica received traffic"));
        QVERIFY2(lines.value(2).startsWith("pass: error rate"), qPrintable(lines.join('\n')));
        // The same from the scraped series and from the client's side.
        const ReplicaInfo second = replica(QStringLiteral("2"));
        const double served = servedBy(second, 10000);
        qInfo("replica 2 (%s): %.0f queries in the scraped series, %lld answers seen by the client",
              qPrintable(second.address), served,
              m_load->counts().byReplica.value(QStringLiteral("2")));
        QVERIFY2(served > 0, qPrintable(second.address));
        QVERIFY(m_load->counts().byReplica.value(QStringLiteral("2")) > 0);
        save(&wizard, QStringLiteral("wizard-fleet-verify.png"));

        // Report: success, no rollback offered.
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Report));
        QVERIFY(wizard.currentPage()->subTitle().contains("passed verification"));
        QCOMPARE(listLines(&wizard, "reportLines").value(0), QStringLiteral("pass: scale applied"));
        QVERIFY(!wizard.findChild<QPushButton*>("rollback")->isVisible());
        save(&wizard, QStringLiteral("wizard-fleet-report.png"));
        wizard.accept();

        // No failed query from opening the wizard to its report: the scale
        // itself loses nothing.
        const QueryLoad::Counts counts = m_load->counts();
        qInfo("load through nginx during the scale 1 -> 2: %lld answers, %lld non-2xx, %lld "
              "transport errors",
              counts.total() - before.total(), counts.non2xx - before.non2xx,
              counts.transport - before.transport);
        QVERIFY2(counts.non2xx == before.non2xx && counts.transport == before.transport,
                 counts.lastFailure.constData());
    }

    void crashedReplicaRollsBack()
    {
        QCOMPARE(readyCount(), 2);
        ScaleWizard wizard(m_fleet->scaleMirror(), defaults());
        wizard.resize(900, 640);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QCOMPARE(text(&wizard, "replicasValue"), QStringLiteral("2"));
        next(wizard);
        QCOMPARE(wizard.findChild<QSpinBox*>("count")->value(), 3);
        next(wizard);
        QTRY_VERIFY_WITH_TIMEOUT(wizard.button(QWizard::CommitButton)->isEnabled(), 20000);
        QSignalSpy applied(m_fleet->scaleMirror(), &ScaleOperatorMirror::applyFinished);
        next(wizard);
        QVERIFY(applied.wait(60000));
        QVERIFY2(applied.first().at(0).toBool(), qPrintable(applied.first().at(1).toString()));
        QTRY_COMPARE(readyCount(), 3);
        rememberPids();

        // Replica 3 crashes before verification; the set does not restart it.
        const ReplicaInfo third = replica(QStringLiteral("3"));
        QVERIFY(third.pid > 0);
        QCOMPARE(::kill(pid_t(third.pid), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(replica(QStringLiteral("3")).state, ReplicaState::Failed, 20000);

        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Verify));
        QTRY_COMPARE_WITH_TIMEOUT(text(&wizard, "verifyStatus"),
                                  QStringLiteral("Verification failed."), 30000);
        const QStringList lines = listLines(&wizard, "verifyLines");
        QCOMPARE(lines.value(0),
                 QStringLiteral("fail: 2 replicas ready, 3 asked for (not ready: 3 failed)"));
        save(&wizard, QStringLiteral("wizard-fleet-verify-failed.png"));

        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Report));
        QVERIFY(wizard.currentPage()->subTitle().contains("did not pass"));
        auto* rollback = wizard.findChild<QPushButton*>("rollback");
        QVERIFY(rollback->isVisible() && rollback->isEnabled());
        QCOMPARE(rollback->text(), QStringLiteral("&Roll back to 2 replicas"));
        save(&wizard, QStringLiteral("wizard-fleet-report-failed.png"));
        QTest::mouseClick(rollback, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(text(&wizard, "rollbackStatus"),
                                  QStringLiteral("Rolled back: 2 replicas, all ready."), 60000);
        QCOMPARE(mirror()->desiredCount(), 2);
        QTRY_COMPARE(mirror()->replicas().size(), 2);
        QCOMPARE(readyCount(), 2);
        save(&wizard, QStringLiteral("wizard-fleet-rolled-back.png"));

        // Both remaining replicas still answer through nginx.
        const qint64 first = m_load->counts().byReplica.value(QStringLiteral("1"));
        const qint64 second = m_load->counts().byReplica.value(QStringLiteral("2"));
        QTRY_VERIFY_WITH_TIMEOUT(m_load->counts().byReplica.value(QStringLiteral("1")) > first &&
                                     m_load->counts().byReplica.value(QStringLiteral("2")) > second,
                                 20000);
        const QueryLoad::Counts counts = m_load->counts();
        qInfo("load through nginx in all: %lld answers, %lld non-2xx, %lld transport errors "
              "(replica 3 killed under load)",
              counts.total(), counts.non2xx, counts.transport);
    }
};

QTEST_MAIN(TestScaleWizardFleet)
#include "tst_scalewizard_fleet.moc"
