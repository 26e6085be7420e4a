#include "AlertTestData.h"
#include "Snapshot.h"
#include "UiTestSupport.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/alerting/AlertStateMachine.h"
#include "backend/metrics/Expression.h"
#include "ui/alerts/ThresholdChart.h"
#include "ui/alerts/ThresholdConditionPage.h"
#include "ui/alerts/ThresholdDetailsPage.h"
#include "ui/alerts/ThresholdDonePage.h"
#include "ui/alerts/ThresholdDurationsPage.h"
#include "ui/alerts/ThresholdPickPage.h"
#include "ui/alerts/ThresholdPreviewPage.h"
#include "ui/alerts/ThresholdReviewPage.h"
#include "ui/alerts/ThresholdWizard.h"
#include "ui/common/Theme.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;
using querydeck::test::saveSnapshot;
using namespace querydeck::testing;

namespace {

QLabel* message(QWidget* page, const QString& field)
{
    return page->findChild<QLabel*>(field + QStringLiteral("Message"));
}

void retype(QLineEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

} // namespace

class TstUiThresholdWizard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void parseNumber_data();
    void parseNumber();
    void editsAThresholdThroughEveryPage();
    void newRuleRefusesEmptyAndDuplicateNames();
    void saveFailureStaysOnReview();

private:
    void next();
    std::unique_ptr<TimeSeriesStore> m_store;
    std::unique_ptr<ThresholdWizardController> m_controller;
    std::unique_ptr<ThresholdWizard> m_wizard;
    QTemporaryDir m_dir;
    QString m_file;
    qint64 m_now = 0;
};

void TstUiThresholdWizard::initTestCase()
{
    Theme::apply(*qApp, Theme::Mode::Dark);
    QVERIFY(m_dir.isValid());
    m_now = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
    m_store = std::make_unique<TimeSeriesStore>();
    fillLatencyHistory(*m_store, m_now);
}

void TstUiThresholdWizard::init()
{
    m_file = m_dir.filePath(QStringLiteral("rules-%1.json").arg(QTest::currentTestFunction()));
    std::vector<AlertRule> rules{
        makeRule(QStringLiteral("HighLatency"), QStringLiteral("test_latency_seconds"), 8),
        makeRule(QStringLiteral("QueueDeep"), QStringLiteral("querydeck_queue_depth"), 100,
                 AlertSeverity::Warning)};
    m_controller = std::make_unique<ThresholdWizardController>(rules, *m_store);
    m_controller->setClock([this] { return m_now; });
    m_controller->setRulesFile(m_file);
    m_wizard = std::make_unique<ThresholdWizard>(m_controller.get());
    m_wizard->resize(900, 680);
    m_wizard->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_wizard.get()));
}

void TstUiThresholdWizard::cleanup()
{
    m_wizard.reset();
    m_controller.reset();
}

void TstUiThresholdWizard::next()
{
    QAbstractButton* button = m_wizard->button(QWizard::NextButton);
    if (!button->isVisible())
        button = m_wizard->button(QWizard::CommitButton);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

void TstUiThresholdWizard::parseNumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("value");
    QTest::newRow("integer") << "42" << true << 42.0;
    QTest::newRow("fraction") << "0.75" << true << 0.75;
    QTest::newRow("decimal comma") << "0,75" << true << 0.75;
    QTest::newRow("spaces") << "  12.5 " << true << 12.5;
    QTest::newRow("exponent") << "1e3" << true << 1000.0;
    QTest::newRow("negative") << "-3.5" << true << -3.5;
    QTest::newRow("word") << "abc" << false << 0.0;
    QTest::newRow("empty") << "" << false << 0.0;
    QTest::newRow("nan") << "nan" << false << 0.0;
    QTest::newRow("inf") << "inf" << false << 0.0;
    QTest::newRow("two commas") << "1,000,5" << false << 0.0;
    QTest::newRow("trailing junk") << "5ms" << false << 0.0;
    QTest::newRow("oversized") << QString(100, QLatin1Char('9')) << false << 0.0;
}

void TstUiThresholdWizard::parseNumber()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(double, value);
    const auto parsed = ThresholdWizardController::parseNumber(text);
    QCOMPARE(parsed.has_value(), ok);
    if (ok)
        QCOMPARE(*parsed, value);
}

void TstUiThresholdWizard::editsAThresholdThroughEveryPage()
{
    QSignalSpy history(m_controller.get(), &ThresholdWizardController::historyRecorded);

    // Pick: the first rule.
    auto* pick = qobject_cast<ThresholdPickPage*>(m_wizard->page(int(ThresholdWizard::Page::Pick)));
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Pick));
    QCOMPARE(pick->ruleList()->count(), 2);
    pick->ruleList()->setCurrentRow(0);
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Condition));

    // Condition: the chart shows the last hour of the series with the threshold.
    auto* condition = qobject_cast<ThresholdConditionPage*>(
        m_wizard->page(int(ThresholdWizard::Page::Condition)));
    QCOMPARE(condition->nameEdit()->text(), QStringLiteral("HighLatency"));
    QCOMPARE(condition->thresholdEdit()->text(), QStringLiteral("8"));
    ThresholdChart* chart = condition->chart();
    QVERIFY(chart->hasData());
    QCOMPARE(chart->dataSeries().size(), 1);
    const QList<QPointF> points = chart->dataSeries().first()->points();
    QVERIFY(points.size() > 100);
    QVERIFY(points.first().x() >= double(m_now - 3600 * 1000));
    QCOMPARE(chart->threshold(), 8.0);
    QVERIFY(condition->isRefreshing());

    // Not a number: refused on the field, the page stays.
    retype(condition->thresholdEdit(), QStringLiteral("abc"));
    QLabel* thresholdMessage = message(condition, QStringLiteral("threshold"));
    QVERIFY(thresholdMessage->isVisible());
    QVERIFY(thresholdMessage->text().contains(QStringLiteral("not a number")));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Condition));

    // A decimal comma is a number.
    retype(condition->thresholdEdit(), QStringLiteral("4,5"));
    QVERIFY(!thresholdMessage->isVisible());
    QCOMPARE(chart->threshold(), 4.5);

    // Outside what the series ever reached: a warning, not a block.
    retype(condition->thresholdEdit(), QStringLiteral("1000"));
    QVERIFY(thresholdMessage->isVisible());
    QCOMPARE(thresholdMessage->property("level").toString(), QStringLiteral("warning"));
    QVERIFY(thresholdMessage->text().contains(QStringLiteral("never")));

    // An invalid expression is refused, naming the problem.
    retype(condition->expressionEdit(), QStringLiteral("rate(test_latency_seconds["));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Condition));
    QLabel* exprMessage = message(condition, QStringLiteral("expression"));
    QVERIFY(exprMessage->isVisible());
    QVERIFY(!exprMessage->text().isEmpty());
    retype(condition->expressionEdit(), QStringLiteral("test_latency_seconds"));
    condition->refreshChart();

    // A duplicate name is refused.
    retype(condition->nameEdit(), QStringLiteral("queuedeep"));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Condition));
    QVERIFY(message(condition, QStringLiteral("name"))->text().contains(QStringLiteral("exists")));
    // An empty name: Next is disabled (required field); blanks are refused.
    retype(condition->nameEdit(), QString());
    QVERIFY(!m_wizard->button(QWizard::NextButton)->isEnabled());
    retype(condition->nameEdit(), QStringLiteral("   "));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Condition));
    QVERIFY(message(condition, QStringLiteral("name"))->text().contains(QStringLiteral("name")));
    retype(condition->nameEdit(), QStringLiteral("HighLatency"));

    // Drag the threshold line to 7 with the mouse.
    retype(condition->thresholdEdit(), QStringLiteral("8"));
    QCOMPARE(chart->threshold(), 8.0);
    const QPoint grab = chart->thresholdPosition();
    const QPointF target = chart->chart()->mapToPosition(QPointF((double(m_now) - 1800000.0), 7.0),
                                                         chart->thresholdSeries());
    const QPoint drop = chart->mapFromScene(chart->chart()->mapToScene(target));
    QTest::mousePress(chart->viewport(), Qt::LeftButton, {}, grab);
    QTest::mouseMove(chart->viewport(), QPoint(grab.x(), (grab.y() + drop.y()) / 2));
    QTest::mouseMove(chart->viewport(), QPoint(grab.x(), drop.y()));
    QTest::mouseRelease(chart->viewport(), Qt::LeftButton, {}, QPoint(grab.x(), drop.y()));
    const auto dragged = ThresholdWizardController::parseNumber(condition->thresholdEdit()->text());
    QVERIFY2(dragged && std::abs(*dragged - 7.0) < 0.2,
             qPrintable(condition->thresholdEdit()->text()));
    QVERIFY(std::abs(chart->threshold() - 7.0) < 0.2);
    // A press away from the line does not move it.
    const double before = chart->threshold();
    QTest::mousePress(chart->viewport(), Qt::LeftButton, {}, QPoint(grab.x(), drop.y() + 40));
    QTest::mouseMove(chart->viewport(), QPoint(grab.x(), drop.y() + 80));
    QTest::mouseRelease(chart->viewport(), Qt::LeftButton, {}, QPoint(grab.x(), drop.y() + 80));
    QCOMPARE(chart->threshold(), before);

    // Typed fractional value wins; screenshot of the chart page.
    retype(condition->thresholdEdit(), QStringLiteral("5.5"));
    QCOMPARE(chart->threshold(), 5.5);
    QVERIFY(runQueuedWork());
    QVERIFY(saveSnapshot(m_wizard.get(), QStringLiteral("wizard-condition.png")));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Durations));
    QCOMPARE(m_wizard->request().rule.threshold, 5.5);
    // Back keeps what was typed, and the chart is live again.
    QTest::mouseClick(m_wizard->button(QWizard::BackButton), Qt::LeftButton);
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Condition));
    QVERIFY(condition->isRefreshing());
    QCOMPARE(condition->thresholdEdit()->text(), QStringLiteral("5.5"));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Durations));

    // Durations: a sentence is refused, Prometheus text accepted.
    auto* durations = qobject_cast<ThresholdDurationsPage*>(
        m_wizard->page(int(ThresholdWizard::Page::Durations)));
    QCOMPARE(durations->forEdit()->text(), QStringLiteral("5m"));
    retype(durations->forEdit(), QStringLiteral("5 minutes"));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Durations));
    QVERIFY(message(durations, QStringLiteral("for"))->isVisible());
    retype(durations->forEdit(), QStringLiteral("2m"));
    retype(durations->keepFiringEdit(), QStringLiteral("1m"));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Preview));
    QCOMPARE(m_wizard->request().rule.forMs, 120000);
    QCOMPARE(m_wizard->request().rule.keepFiringForMs, 60000);
    QVERIFY(!condition->isRefreshing()); // only while on screen

    // Preview: one spike in the last hour, three in 6 h, six in 24 h — and the
    // same figures as the state machine replayed over the expression.
    auto* preview =
        qobject_cast<ThresholdPreviewPage*>(m_wizard->page(int(ThresholdWizard::Page::Preview)));
    const int expected[] = {1, 3, 6};
    const Expression expr = Expression::parse(QStringLiteral("test_latency_seconds"));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(preview->firings(i), expected[i]);
        const qint64 span = ThresholdPreviewPage::kSpans[i];
        const qint64 step = std::max<qint64>(m_wizard->request().rule.intervalMs, span / 6000);
        const auto series = expr.range(*m_store, m_now - span, m_now, step);
        QCOMPARE(series.size(), size_t(1));
        QCOMPARE(
            AlertStateMachine::countFirings(m_wizard->request().rule, series[0].points, step * 3),
            expected[i]);
        QVERIFY(preview->resultLabel(i)->text().contains(
            expected[i] == 1 ? QStringLiteral("once") : QString::number(expected[i])));
    }
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Details));

    // Details: malformed labels refused.
    auto* details =
        qobject_cast<ThresholdDetailsPage*>(m_wizard->page(int(ThresholdWizard::Page::Details)));
    retype(details->labelsEdit(), QStringLiteral("team search"));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Details));
    QVERIFY(message(details, QStringLiteral("labels"))->isVisible());
    retype(details->labelsEdit(), QStringLiteral("team=search, tier=cache"));
    details->severityBox()->setCurrentIndex(details->severityBox()->findText("critical"));
    retype(details->routeEdit(), QStringLiteral("pager"));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Review));

    // Review: old and new side by side.
    auto* review =
        qobject_cast<ThresholdReviewPage*>(m_wizard->page(int(ThresholdWizard::Page::Review)));
    QTableWidget* table = review->table();
    QCOMPARE(table->item(2, 1)->text(), QStringLiteral("> 8"));
    QCOMPARE(table->item(2, 2)->text(), QStringLiteral("> 5.5"));
    QVERIFY(table->item(2, 2)->font().bold());
    QVERIFY(!table->item(0, 2)->font().bold()); // the name did not change
    QVERIFY(saveSnapshot(m_wizard.get(), QStringLiteral("wizard-review.png")));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Done));

    // Saved, read back, recorded.
    const auto loaded = AlertRuleJson::loadFile(m_file);
    QVERIFY2(loaded.errors.isEmpty(), qPrintable(loaded.errors.join("; ")));
    QCOMPARE(loaded.value.size(), size_t(2));
    const AlertRule& saved = loaded.value[0];
    QCOMPARE(saved.name, QStringLiteral("HighLatency"));
    QCOMPARE(saved.threshold, 5.5);
    QCOMPARE(saved.forMs, 120000);
    QCOMPARE(saved.keepFiringForMs, 60000);
    QCOMPARE(saved.severity, AlertSeverity::Critical);
    QCOMPARE(saved.labels.value("tier"), QStringLiteral("cache"));
    QCOMPARE(saved.route, QStringLiteral("pager"));
    QCOMPARE(history.size(), 1);
    const auto entry = history.first().first().value<AlertHistoryEntry>();
    QCOMPARE(entry.ruleName, QStringLiteral("HighLatency"));
    QVERIFY2(entry.note.contains(QStringLiteral("threshold > 8 -> > 5.5")), qPrintable(entry.note));
    auto* done = qobject_cast<ThresholdDonePage*>(m_wizard->page(int(ThresholdWizard::Page::Done)));
    QVERIFY(done->resultLabel()->text().contains(QStringLiteral("Read back")));
    QVERIFY(done->resultLabel()->text().contains(QStringLiteral("5.5")));
    QTest::mouseClick(m_wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QCOMPARE(m_wizard->result(), int(QDialog::Accepted));
}

void TstUiThresholdWizard::newRuleRefusesEmptyAndDuplicateNames()
{
    auto* pick = qobject_cast<ThresholdPickPage*>(m_wizard->page(int(ThresholdWizard::Page::Pick)));
    pick->newRuleButton()->setChecked(true);
    next();
    auto* condition = qobject_cast<ThresholdConditionPage*>(
        m_wizard->page(int(ThresholdWizard::Page::Condition)));
    QVERIFY(condition->nameEdit()->text().isEmpty());
    QVERIFY(!m_wizard->button(QWizard::NextButton)->isEnabled()); // name and expression required
    QTest::keyClicks(condition->nameEdit(), QStringLiteral("HighLatency"));
    retype(condition->expressionEdit(), QStringLiteral("test_latency_seconds * 1000"));
    condition->refreshChart();
    QVERIFY(condition->chart()->hasData());
    retype(condition->thresholdEdit(), QStringLiteral("2500"));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Condition));
    QVERIFY(message(condition, QStringLiteral("name"))->text().contains(QStringLiteral("exists")));
    retype(condition->nameEdit(), QStringLiteral("LatencyMs"));
    next();
    next(); // durations as defaulted
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Preview));
    next();
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Review));
    auto* review =
        qobject_cast<ThresholdReviewPage*>(m_wizard->page(int(ThresholdWizard::Page::Review)));
    QCOMPARE(review->table()->item(0, 1)->text(), QStringLiteral("(new rule)"));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Done));
    const auto loaded = AlertRuleJson::loadFile(m_file);
    QCOMPARE(loaded.value.size(), size_t(3));
    QCOMPARE(loaded.value[2].name, QStringLiteral("LatencyMs"));
    QCOMPARE(loaded.value[2].threshold, 2500.0);
}

void TstUiThresholdWizard::saveFailureStaysOnReview()
{
    // A save that fails (an unwritable path) keeps the wizard on Review with the reason.
    m_controller->setRulesFile(m_dir.filePath(QStringLiteral("no/such/dir/rules.json")));
    next();
    next();
    next();
    next();
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Review));
    next();
    QCOMPARE(m_wizard->currentId(), int(ThresholdWizard::Page::Review));
    auto* review =
        qobject_cast<ThresholdReviewPage*>(m_wizard->page(int(ThresholdWizard::Page::Review)));
    QVERIFY(review->errorLabel()->isVisible());
    QVERIFY(review->errorLabel()->text().startsWith(QStringLiteral("Not saved")));
    QCOMPARE(m_controller->rules()[0].threshold, 8.0); // nothing changed
}

QTEST_MAIN(TstUiThresholdWizard)
#include "tst_ui_thresholdwizard.moc"
