#include "FixtureHttpServer.h"
#include "KubeFixture.h"
#include "ManualClock.h"
#include "ScriptedReplicaSet.h"
#include "Snapshot.h"
#include "backend/autoscale/RulePolicy.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/fleet/KubernetesReplicaSet.h"
#include "backend/metrics/TimeSeriesStore.h"
#include "backend/scaling/FleetProbe.h"
#include "backend/scaling/HpaConflictCheck.h"
#include "backend/scaling/ScaleOperator.h"
#include "backend/scaling/ScaleOperatorMirror.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "models/ScaleDecisionModel.h"
#include "ui/fleet/AutoscalerPanel.h"
#include "ui/fleet/FleetActions.h"
#include "ui/fleet/QuickScaleDialog.h"
#include "ui/fleet/ScaleWizard.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QMainWindow>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTreeWidget>
#include <QtTest>

using namespace querydeck;
using querydeck::test::saveSnapshot;

namespace {

QString text(QWidget* root, const char* name)
{
    auto* label = root->findChild<QLabel*>(QString::fromLatin1(name));
    return label ? label->text() : QStringLiteral("<no %1>").arg(QString::fromLatin1(name));
}

QStringList treeColumn(QTreeWidget* tree, int column)
{
    QStringList out;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        out << tree->topLevelItem(i)->text(column);
    return out;
}

} // namespace

// The scale wizard, the quick scale dialog, the Fleet menu and the
// auto-scaler panel, driven with QTest against the Kubernetes backend on the
// fixture API and a TimeSeriesStore fed with the service's metrics.
class TestUiScaleWizard : public QObject
{
    Q_OBJECT

private:
    FixtureHttpServer m_server;
    KubeFixture m_kube{m_server};
    KeychainSecretStore m_secrets;
    ManualClock m_clock;
    std::unique_ptr<TimeSeriesStore> m_store;
    std::unique_ptr<KubernetesReplicaSet> m_set;
    std::unique_ptr<ScaleOperator> m_controller;
    std::unique_ptr<ScaleOperatorMirror> m_client; // what the wizard talks to

    // One minute of the service's counters, every 400 ms, for `instances`:
    // 3 queries/s each, 85% CPU, 1.5 s latency, 60% cache hits, `errors`/s 5xx.
    void feed(const QStringList& instances, double errorsPerSecond = 0.0,
              double latencySeconds = 1.5, TimeSeriesStore* into = nullptr)
    {
        TimeSeriesStore& store = into ? *into : *m_store;
        // Counters grow from a fixed origin so a later feed continues them;
        // the first point is after the previous feed's last one.
        constexpr qint64 origin = 1'699'999'000'000;
        const qint64 now = m_clock.now();
        for (qint64 t = now - 59'600; t <= now; t += 400) {
            const double s = double(t - origin) / 1000.0;
            for (const QString& instance : instances) {
                auto key = [&](const char* name, QList<QPair<QString, QString>> labels) {
                    labels.append({"instance", instance});
                    return SeriesKey::make(name, labels);
                };
                store.append(
                    key("querydeck_http_requests_total", {{"route", "/v1/query"}, {"code", "200"}}),
                    t, 3.0 * s);
                store.append(
                    key("querydeck_http_requests_total", {{"route", "/v1/query"}, {"code", "500"}}),
                    t, errorsPerSecond * s);
                store.append(key("querydeck_process_cpu_seconds_total", {}), t, 0.85 * s);
                store.append(
                    key("querydeck_http_request_duration_seconds_sum", {{"route", "/v1/query"}}), t,
                    3.0 * latencySeconds * s);
                store.append(
                    key("querydeck_http_request_duration_seconds_count", {{"route", "/v1/query"}}),
                    t, 3.0 * s);
                store.append(key("querydeck_cache_lookups_total", {{"result", "hit"}}), t, 1.8 * s);
                store.append(key("querydeck_cache_lookups_total", {{"result", "miss"}}), t,
                             1.2 * s);
            }
        }
    }

    static QStringList instancesFor(const QStringList& podIps)
    {
        QStringList out;
        for (const QString& ip : podIps)
            out << ip + ":8000";
        return out;
    }

    QStringList podIps() const
    {
        QStringList ips;
        for (const ReplicaInfo& r : m_set->replicas())
            ips << r.address;
        return ips;
    }

    ScaleRequest defaults() const
    {
        ScaleRequest r;
        r.verifyWindowMs = 300;
        r.pricePerInstanceMonth = 70;
        return r;
    }

    static void next(QWizard& wizard)
    {
        QAbstractButton* button = wizard.button(
            wizard.currentPage()->isCommitPage() ? QWizard::CommitButton : QWizard::NextButton);
        QVERIFY(button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
    }

    static void save(QWidget* widget, const QString& fileName)
    {
        QCoreApplication::processEvents(); // delayed layouts (header sizes) settle first
        QVERIFY(saveSnapshot(widget, fileName));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("QD_TEST_KUBE_TOKEN", KubeFixture::kToken);
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    }
    void cleanupTestCase() { m_server.stop(); }

    void init()
    {
        m_server.reset();
        m_kube.setReplicas(0);
        m_kube.setHpa(false);
        m_kube.setPodsNeverReady(false);
        m_kube.setReadyAfterPolls(1);
        m_kube.setReplicas(2);
        m_kube.install();
        m_set = std::make_unique<KubernetesReplicaSet>(m_kube.config(), &m_secrets);
        StoreOptions options; // 400 ms samples kept apart, for short verify windows
        options.fineResolutionMs = 100;
        options.fineRetentionMs = 10 * 60'000;
        m_store = std::make_unique<TimeSeriesStore>(options);
        auto probe = std::make_shared<StoreFleetProbe>(*m_store, FleetQueries{}, m_clock.clock());
        QVERIFY2(probe->error().isEmpty(), qPrintable(probe->error()));
        m_controller = std::make_unique<ScaleOperator>(m_set.get(), probe);
        m_controller->addCheck(std::make_unique<HpaConflictCheck>(m_set.get()));
        m_client = std::make_unique<ScaleOperatorMirror>(m_controller.get(), m_set.get());
        QSignalSpy refreshed(m_set.get(), &KubernetesReplicaSet::refreshed);
        m_set->refresh();
        QVERIFY(refreshed.wait(5000));
        QVERIFY(refreshed.first().at(0).toBool());
        feed(instancesFor(podIps()));
    }
    void cleanup()
    {
        m_client.reset();
        m_controller.reset();
        m_set.reset();
    }

    // Every page, a failing pre-flight first, then a verified scale 2 -> 4.
    void scaleUpThroughEveryPage()
    {
        ScaleWizard wizard(m_client.get(), defaults());
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));

        // Current state: measured numbers and the decision matrix.
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::State));
        QCOMPARE(text(&wizard, "replicasValue"), QString("2"));
        QCOMPARE(text(&wizard, "throughputValue"), QString("3.00 queries/s"));
        QCOMPARE(text(&wizard, "utilisationValue"), QString("85%"));
        QCOMPARE(text(&wizard, "latencyValue"), QString("1.5 s"));
        QCOMPARE(text(&wizard, "cacheHitValue"), QString("60%"));
        auto* findings = wizard.findChild<QTreeWidget*>("findings");
        QCOMPARE(treeColumn(findings, 1), QStringList{"API compute"});
        QVERIFY(text(&wizard, "verdict").contains("More replicas address"));
        save(&wizard, QStringLiteral("scalewizard-state.png"));

        // Target: the capacity table, projected from 3 q/s per replica at 85% CPU.
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Target));
        auto* count = wizard.findChild<QSpinBox*>("count");
        QCOMPARE(count->value(), 3); // current + 1 offered
        auto* table = wizard.findChild<QTableWidget*>("capacityTable");
        QCOMPARE(table->item(0, 0)->text(), QString("Current"));
        QCOMPARE(table->item(4, 0)->text(), QString("Large"));
        QCOMPARE(table->item(4, 1)->text(), QString("8"));
        // Saturation: 1 core ÷ 283 ms of CPU per query (0.85 CPU-s/s at 3 q/s)
        // = 3.53 q/s per replica; × 70 % × 8 replicas × 86400 s = 1.71 million.
        QCOMPARE(table->item(4, 2)->text(),
                 QString("%1 million").arg(QLocale().toString(1.71, 'f', 2)));
        QVERIFY2(text(&wizard, "capacityMethod")
                     .contains(QString("bound by CPU: 1 core ÷ 283 ms of CPU per query")),
                 qPrintable(text(&wizard, "capacityMethod")));
        QVERIFY2(text(&wizard, "loadNow")
                     .startsWith(QString("Load now: %1 queries/s per replica, 121 %")
                                     .arg(QLocale().toString(3.0, 'f', 2))),
                 qPrintable(text(&wizard, "loadNow")));
        QCOMPARE(table->item(4, 3)->text(), "$" + QLocale().toString(560.0, 'f', 0));
        count->setValue(2); // the current count is no target
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        QVERIFY(text(&wizard, "capacityNote").contains("equals the current count"));
        wizard.findChild<QRadioButton*>("byTier")->setChecked(true);
        auto* tier = wizard.findChild<QComboBox*>("tier");
        tier->setCurrentIndex(2); // Medium: 4 replicas
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
        wizard.findChild<QDoubleSpinBox*>("price")->setValue(100);
        QCOMPARE(table->item(3, 3)->text(), "$" + QLocale().toString(400.0, 'f', 0));
        save(&wizard, QStringLiteral("scalewizard-target.png"));

        // Pre-flight: an HPA on the deployment fails the check; Apply stays off.
        m_kube.setHpa(true);
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Preflight));
        QCOMPARE(wizard.request().targetReplicas, 4);
        QCOMPARE(wizard.request().tier, QString("Medium"));
        QTRY_VERIFY_WITH_TIMEOUT(text(&wizard, "preflightStatus").contains("A check failed"), 5000);
        auto* checks = wizard.findChild<QTreeWidget*>("checks");
        QCOMPARE(treeColumn(checks, 1), QStringList{"fail"});
        QVERIFY(treeColumn(checks, 2).first().contains("HPA \"querydeck-hpa\""));
        QVERIFY(!wizard.button(QWizard::CommitButton)->isEnabled());
        save(&wizard, QStringLiteral("scalewizard-preflight-failed.png"));
        QCOMPARE(m_kube.replicas(), 2); // nothing changed
        m_kube.setHpa(false);
        QTest::mouseClick(wizard.findChild<QPushButton*>("rerun"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard.button(QWizard::CommitButton)->isEnabled(), 5000);
        QCOMPARE(treeColumn(checks, 1), QStringList{"pass"});

        // Apply with progress per replica.
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Apply));
        QTRY_COMPARE_WITH_TIMEOUT(text(&wizard, "applyStatus"),
                                  QString("Every requested replica is ready."), 5000);
        QCOMPARE(m_kube.replicas(), 4);
        QCOMPARE(wizard.findChild<QTableWidget*>("replicas")->rowCount(), 4);

        // Verify: traffic reaches all four, errors not worse.
        feed(instancesFor(podIps()));
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Verify));
        QTRY_COMPARE_WITH_TIMEOUT(text(&wizard, "verifyStatus"), QString("Verified."), 5000);
        auto* lines = wizard.findChild<QListWidget*>("verifyLines");
        QCOMPARE(lines->count(), 3);
        QCOMPARE(lines->item(0)->text(), QString("pass: 4 of 4 replicas ready"));
        QCOMPARE(lines->item(1)->text(), QString("pass: every ready replica received traffic"));
        QVERIFY(lines->item(2)->text().startsWith("pass: error rate 0.00%"));

        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Report));
        QVERIFY(!wizard.findChild<QPushButton*>("rollback")->isVisible());
        QVERIFY(wizard.currentPage()->subTitle().contains("passed verification"));
        // The report's figures: duration, traffic per replica, the cost change.
        QVERIFY2(text(&wizard, "durationValue").startsWith("applied in "),
                 qPrintable(text(&wizard, "durationValue")));
        QVERIFY2(text(&wizard, "durationValue").endsWith(", then watched for 0.3 s"),
                 qPrintable(text(&wizard, "durationValue")));
        const QString traffic = text(&wizard, "trafficValue");
        QCOMPARE(traffic.count(" queries/s (25 %)"), 4); // the feed gives every pod 3 q/s
        for (const QString& pod : m_kube.podNames())
            QVERIFY2(traffic.contains(pod + ": "), qPrintable(traffic));
        QCOMPARE(text(&wizard, "costValue"),
                 QString("$%1 → $%2 per month (+$%1)")
                     .arg(QLocale().toString(200.0, 'f', 0), QLocale().toString(400.0, 'f', 0)));
        save(&wizard, QStringLiteral("scalewizard-report.png"));
    }

    // console.fleet.price_per_instance_month is what the target page starts
    // from (as ConsoleFleet hands it over), costs included; still editable.
    void configuredPricePrefillsTarget()
    {
        const ConsoleConfigLoadResult loaded = ConsoleConfigLoader::loadJson(
            R"({"console":{"fleet":{"price_per_instance_month":123.45}}})");
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join('\n')));
        ScaleRequest request = loaded.value.fleet.scaleDefaults();
        QCOMPARE(request.pricePerInstanceMonth, 123.45);
        ScaleWizard wizard(m_client.get(), request);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Target));
        auto* price = wizard.findChild<QDoubleSpinBox*>("price");
        QCOMPARE(price->value(), 123.45);
        auto* table = wizard.findChild<QTableWidget*>("capacityTable");
        QCOMPARE(table->item(3, 1)->text(), QString("4")); // Medium
        QCOMPARE(table->item(3, 3)->text(), "$" + QLocale().toString(4 * 123.45, 'f', 0));
        save(&wizard, QStringLiteral("scalewizard-price.png"));
        price->setValue(0); // free (own hardware) is a valid price
        QCOMPARE(table->item(3, 3)->text(), "$" + QLocale().toString(0.0, 'f', 0));
        wizard.reject();
    }

    // The new replicas get no traffic and errors rise: verification fails and
    // the report rolls back to the previous count.
    void failedVerificationRollsBack()
    {
        ScaleWizard wizard(m_client.get(), defaults());
        wizard.show();
        next(wizard);
        wizard.findChild<QSpinBox*>("count")->setValue(3);
        next(wizard);
        QTRY_VERIFY_WITH_TIMEOUT(wizard.button(QWizard::CommitButton)->isEnabled(), 5000);
        const QStringList before = podIps();
        next(wizard);
        QTRY_COMPARE_WITH_TIMEOUT(text(&wizard, "applyStatus"),
                                  QString("Every requested replica is ready."), 5000);
        QCOMPARE(m_kube.replicas(), 3);
        m_clock.advance(60'000);
        feed(instancesFor(before), 1.5); // only the old pods serve, and 1 in 3 fails
        next(wizard);
        QTRY_COMPARE_WITH_TIMEOUT(text(&wizard, "verifyStatus"), QString("Verification failed."),
                                  5000);
        auto* lines = wizard.findChild<QListWidget*>("verifyLines");
        QVERIFY2(lines->item(1)->text().startsWith("fail: no traffic reached querydeck-7d9f-"),
                 qPrintable(lines->item(1)->text()));
        QVERIFY2(lines->item(2)->text().startsWith("fail: error rate rose from 0.00% to 33.33%"),
                 qPrintable(lines->item(2)->text()));
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Report));
        auto* rollback = wizard.findChild<QPushButton*>("rollback");
        QVERIFY(rollback->isVisible());
        QCOMPARE(rollback->text(), QString("&Roll back to 2 replicas"));
        save(&wizard, QStringLiteral("scalewizard-rollback.png"));
        QTest::mouseClick(rollback, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(text(&wizard, "rollbackStatus"),
                                  QString("Rolled back: 2 replicas, all ready."), 5000);
        QCOMPARE(m_kube.replicas(), 2);
        QCOMPARE(m_kube.podNames().size(), 2);
    }

    // No traffic in the store: the target page says capacity is not
    // measured instead of inventing a number; cost is still projected.
    void capacityNotMeasuredWithoutTraffic()
    {
        TimeSeriesStore empty;
        ScaleOperator op(m_set.get(),
                         std::make_shared<StoreFleetProbe>(empty, FleetQueries{}, m_clock.clock()));
        ScaleOperatorMirror mirror(&op, m_set.get());
        ScaleWizard wizard(&mirror, defaults());
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Target));
        auto* table = wizard.findChild<QTableWidget*>("capacityTable");
        for (int row = 0; row < table->rowCount(); ++row) {
            QCOMPARE(table->item(row, 2)->text(), QString("not measured"));
            QCOMPARE(table->item(row, 4)->text(), QString("not measured"));
        }
        QCOMPARE(table->item(4, 3)->text(), "$" + QLocale().toString(560.0, 'f', 0));
        QVERIFY2(text(&wizard, "capacityMethod")
                     .startsWith("Capacity not measured: no queries measured in the last 5 min"),
                 qPrintable(text(&wizard, "capacityMethod")));
        QCOMPARE(text(&wizard, "loadNow"), QString("Load now: no queries."));
        save(&wizard, QStringLiteral("scalewizard-target-unmeasured.png"));
        wizard.reject();
    }

    // Pods that never become ready: the apply fails, the wizard skips verify
    // and offers the rollback.
    void failedApplySkipsToReport()
    {
        m_kube.setPodsNeverReady(true);
        KubernetesConfig config = m_set->config();
        config.scaleTimeoutMs = 1000;
        m_client.reset();
        m_controller.reset();
        m_set = std::make_unique<KubernetesReplicaSet>(config, &m_secrets);
        m_controller = std::make_unique<ScaleOperator>(
            m_set.get(),
            std::make_shared<StoreFleetProbe>(*m_store, FleetQueries{}, m_clock.clock()));
        m_client = std::make_unique<ScaleOperatorMirror>(m_controller.get(), m_set.get());
        ScaleWizard wizard(m_client.get(), defaults());
        wizard.show();
        next(wizard);
        wizard.findChild<QSpinBox*>("count")->setValue(5);
        next(wizard);
        QTRY_VERIFY_WITH_TIMEOUT(wizard.button(QWizard::CommitButton)->isEnabled(),
                                 5000); // no checks
        next(wizard);
        QTRY_VERIFY_WITH_TIMEOUT(text(&wizard, "applyStatus").startsWith("The scale failed"), 5000);
        QVERIFY(text(&wizard, "applyStatus").contains("0 of 5 replicas ready"));
        next(wizard);
        QCOMPARE(wizard.currentId(), int(ScaleWizard::Page::Report));
        QVERIFY(wizard.findChild<QPushButton*>("rollback")->isVisible());
        QVERIFY(wizard.findChild<QListWidget*>("reportLines")
                    ->item(0)
                    ->text()
                    .startsWith("fail: scale:"));
    }

    void quickScaleDialogKeys()
    {
        QuickScaleDialog dialog(3, 1, 10);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.count(), 3);
        QTest::keyClick(dialog.spinBox(), Qt::Key_Plus);
        QTest::keyClick(dialog.spinBox(), Qt::Key_Plus);
        QCOMPARE(dialog.count(), 5);
        QVERIFY(text(&dialog, "hint").contains("adds 2"));
        QTest::keyClick(&dialog, Qt::Key_Minus);
        QCOMPARE(dialog.count(), 4);
        for (int i = 0; i < 20; ++i)
            QTest::keyClick(dialog.spinBox(), Qt::Key_Plus);
        QCOMPARE(dialog.count(), 10); // the maximum holds
        for (int i = 0; i < 20; ++i)
            QTest::keyClick(dialog.spinBox(), Qt::Key_Minus);
        QCOMPARE(dialog.count(), 1);
        QVERIFY(text(&dialog, "hint").contains("drains and removes 2"));
    }

    void fleetMenuExplainsAndScales()
    {
        QMainWindow window;
        auto* fleet = new FleetActions(&window);
        QVERIFY(!fleet->scaleAction()->isEnabled());
        QVERIFY(fleet->scaleAction()->toolTip().contains("no replica set is configured"));
        QVERIFY(!fleet->quickScaleAction()->isEnabled());
        QVERIFY(!fleet->autoscalerAction()->isEnabled());
        QVERIFY(fleet->autoscalerAction()->toolTip().contains("auto-scaler needs"));

        fleet->setScaleMirror(m_client.get(), defaults());
        QVERIFY(fleet->scaleAction()->isEnabled());
        window.show();
        fleet->quickScaleAction()->trigger();
        QuickScaleDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<QuickScaleDialog*>()) != nullptr);
        QCOMPARE(dialog->count(), 2); // pre-filled with the current count
        QSignalSpy applied(m_controller.get(), &ScaleOperator::applyFinished);
        QTest::keyClick(dialog->spinBox(), Qt::Key_Plus);
        QTest::keyClick(dialog->spinBox(), Qt::Key_Return);
        QVERIFY(applied.wait(5000));
        QVERIFY2(applied.first().at(0).toBool(), qPrintable(applied.first().at(1).toString()));
        QCOMPARE(m_kube.replicas(), 3);

        fleet->scaleAction()->trigger();
        auto* wizard = window.findChild<ScaleWizard*>();
        QVERIFY(wizard);
        QCOMPARE(text(wizard, "replicasValue"), QString("3"));
        wizard->reject();

        auto* panel = new AutoscalerPanel([] { return std::make_unique<RulePolicy>(); });
        fleet->setAutoscalerPanel(panel);
        QAction* toggle = window.findChild<QAction*>("autoscalerToggle");
        QVERIFY(toggle);
        toggle->trigger();
        QTRY_VERIFY(panel->isVisible());
    }

    void autoscalerPanel()
    {
        AutoscalerPanel panel([] { return std::make_unique<RulePolicy>(); });
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.resize(760, 640);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy mode(&panel, &AutoscalerPanel::modeRequested);
        auto* combo = panel.findChild<QComboBox*>("mode");
        QCOMPARE(combo->currentText(), QString("recommend"));
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(mode.count(), 1);
        QCOMPARE(mode.first().at(0).value<AutoscaleMode>(), AutoscaleMode::Apply);

        RulePolicy policy;
        const qint64 t0 = 1'700'000'000'000;
        panel.showDecision(policy.evaluate({t0, 3, 40.0, 1.0, 70.0}), AutoscaleMode::Recommend);
        QCOMPARE(text(&panel, "recommendation"), QString("3 → 4 replicas (recommended)"));
        QCOMPARE(text(&panel, "reason"), QString("queue depth 70 > 50"));
        panel.showDecision(policy.evaluate({t0 + 15000, 3, 40.0, 1.0, 5.0}),
                           AutoscaleMode::Recommend);
        QCOMPARE(text(&panel, "recommendation"), QString("hold at 3 replicas"));
        QCOMPARE(panel.model()->rowCount(), 2);
        QCOMPARE(panel.model()
                     ->data(panel.model()->index(0, ScaleDecisionModel::ChangeColumn))
                     .toString(),
                 QString("3 (hold)"));
        QCOMPARE(panel.model()
                     ->data(panel.model()->index(1, ScaleDecisionModel::ChangeColumn))
                     .toString(),
                 QString("3 → 4"));

        QTest::mouseClick(panel.findChild<QPushButton*>("simulate"), Qt::LeftButton);
        const QList<QPointF> points = panel.replicaSeries()->points();
        QVERIFY(points.size() > 10);
        double most = 0;
        for (const QPointF& p : points)
            most = std::max(most, p.y());
        QCOMPARE(most, 9.0);
        QCOMPARE(points.first().y(), 2.0);
        QCOMPARE(points.last().y(), 3.0); // one replica of load is 33% CPU on 3: no lower
        save(&panel, QStringLiteral("autoscaler-panel.png"));
    }

    // The state page counts what serves: with 1 of 2 replicas failed it says
    // so, names it as a finding, and the ready one carries all the traffic.
    // A 2 ms average latency reads "2.0 ms", not "0.00 s".
    void stateCountsReadyReplicasInUnits()
    {
        test::ScriptedReplicaSet set;
        ReplicaInfo ready;
        ready.id = QStringLiteral("1");
        ready.address = QStringLiteral("10.0.0.1");
        ready.state = ReplicaState::Ready;
        ReplicaInfo failed = ready;
        failed.id = QStringLiteral("2");
        failed.address = QStringLiteral("10.0.0.2");
        failed.state = ReplicaState::Failed;
        set.desired = 2;
        set.set({ready, failed});
        StoreOptions options; // as init()'s
        options.fineResolutionMs = 100;
        options.fineRetentionMs = 10 * 60'000;
        TimeSeriesStore store(options);
        feed({QStringLiteral("10.0.0.1:8000")}, 0.0, 0.002, &store);
        auto probe = std::make_shared<StoreFleetProbe>(store, FleetQueries{}, m_clock.clock());
        ScaleOperator scaleOperator(&set, probe);
        ScaleOperatorMirror mirror(&scaleOperator, &set);
        ScaleWizard wizard(&mirror, defaults());
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QCOMPARE(text(&wizard, "replicasValue"), QString("2 (1 ready, 1 failed)"));
        QCOMPARE(text(&wizard, "latencyValue"), QString("2.0 ms"));
        QCOMPARE(text(&wizard, "throughputValue"), QString("3.00 queries/s"));
        auto* findings = wizard.findChild<QTreeWidget*>("findings");
        QVERIFY(treeColumn(findings, 1).contains("failed replicas: not capacity"));
    }

    // The decision log's latency column in its unit too.
    void decisionModelLatencyInItsUnit()
    {
        ScaleDecisionModel model(5);
        ScaleDecision d;
        d.current = d.desired = 2;
        d.inputs.latencySeconds = 0.002;
        model.addDecision(d);
        QCOMPARE(model.data(model.index(0, ScaleDecisionModel::LatencyColumn)).toString(),
                 QString("2.0 ms"));
    }

    void decisionModelIsBounded()
    {
        ScaleDecisionModel model(5);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 12; ++i) {
            ScaleDecision d;
            d.t = 1'700'000'000'000 + i * 1000;
            d.current = 2;
            d.desired = 2 + i % 2;
            d.reason = QString::number(i);
            model.addDecision(d);
        }
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.data(model.index(0, ScaleDecisionModel::ReasonColumn)).toString(),
                 QString("11"));
        QCOMPARE(model.data(model.index(4, ScaleDecisionModel::ReasonColumn)).toString(),
                 QString("7"));
        QCOMPARE(model.data(model.index(0, 0), ScaleDecisionModel::ChangesRole).toBool(), true);
        QCOMPARE(model.data(model.index(0, ScaleDecisionModel::CpuColumn)).toString(),
                 QString("—"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestUiScaleWizard)
#include "tst_ui_scalewizard.moc"
