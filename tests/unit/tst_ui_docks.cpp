// The main window's docks and status line offscreen: the Ask dock against a
// scripted HTTP server, the status bar's source chips, the Logs dock's
// filters with the default proxy and with LogFilterModel.

#include "FixtureHttpServer.h"
#include "models/LogFilterModel.h"
#include "models/LogModel.h"
#include "ui/shell/AskDock.h"
#include "ui/shell/LogsDock.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/StatusBarWidget.h"

#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace querydeck;

class TstUiDocks : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void askShowsAnswerAndCache();
    void askShowsServiceError_data();
    void askShowsServiceError();
    void askWithoutServiceOrQuestion();
    void statusChipsColoured();
    void logsFilter();
    void logsWithLogFilterModel();
};

void TstUiDocks::askShowsAnswerAndCache()
{
    FixtureHttpServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QJsonObject canned{
        {"answer", "Drain it with POST /admin/drain, then wait for in-flight to reach 0."},
        {"sources",
         QJsonArray{QJsonObject{{"document", "health-readiness-and-draining.md"},
                                {"chunk", 2},
                                {"score", 0.61}},
                    QJsonObject{{"document", "scaling.md"}, {"chunk", 0}, {"score", 0.4}}}},
        {"cache", "semantic"},
        {"similarity", 0.947},
        {"latency_ms", 3.412},
        {"replica", "host-a:8000"}};
    server.enqueue("POST", "/v1/query", FixtureResponse::json(200, canned));

    MainWindow w;
    w.setServiceAddress(server.url().toString(QUrl::StripTrailingSlash));
    QCOMPARE(w.statusWidget()->serviceAddress(), server.url().toString(QUrl::StripTrailingSlash));
    AskDock* ask = w.askDock();
    QSignalSpy answered(ask, &AskDock::answered);
    ask->questionEdit()->setText(QStringLiteral("How do I drain a replica?"));
    QTest::keyClick(ask->questionEdit(), Qt::Key_Return);
    QVERIFY(ask->busy());
    QVERIFY(answered.wait(10000));
    QCOMPARE(answered.at(0).at(0).toString(), QStringLiteral("semantic"));
    QCOMPARE(answered.at(0).at(1).toDouble(), 3.412);
    QVERIFY(ask->answerView()->toPlainText().contains(QStringLiteral("POST /admin/drain")));
    QCOMPARE(ask->sourcesView()->count(), 2);
    QVERIFY(ask->sourcesView()->item(0)->text().contains(
        QStringLiteral("health-readiness-and-draining.md")));
    const QString result = ask->resultLabel()->text();
    QVERIFY2(result.contains(QStringLiteral("Cache: semantic")), qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("3.4 ms")), qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("host-a:8000")), qPrintable(result));
    QCOMPARE(server.requestCount(), 1);
    const FixtureRequest req = server.requests().at(0);
    QCOMPARE(req.path, QByteArray("/v1/query"));
    QCOMPARE(req.json().value("query").toString(), QStringLiteral("How do I drain a replica?"));
    QVERIFY(req.header("Content-Type").startsWith("application/json"));
    // A bare host:port works too.
    w.setServiceAddress(QStringLiteral("127.0.0.1:%1").arg(server.port()));
    QCOMPARE(ask->serviceAddress(), server.url().adjusted(QUrl::StripTrailingSlash));
}

void TstUiDocks::askShowsServiceError_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("429 with error")
        << 429 << QByteArray(R"({"error":{"code":"rate_limited","message":"slow down, client X"}})")
        << QStringLiteral("slow down, client X");
    QTest::newRow("500 empty") << 500 << QByteArray() << QStringLiteral("HTTP 500");
    QTest::newRow("200 not json") << 200 << QByteArray("<html>proxy</html>")
                                  << QStringLiteral("not a JSON object");
    QTest::newRow("200 empty") << 200 << QByteArray() << QStringLiteral("empty; expected JSON");
    QTest::newRow("200 1,000 nested arrays")
        << 200 << QByteArray(1000, '[') + QByteArray(1000, ']')
        << QStringLiteral("JSON nested deeper than 256 levels at byte 256");
    QTest::newRow("200 array") << 200 << QByteArray("[1]") << QStringLiteral("got an array");
    QTest::newRow("200 no answer")
        << 200 << QByteArray(R"({"cache":"miss"})") << QStringLiteral("no \"answer\"");
    QTest::newRow("200 answer not text")
        << 200 << QByteArray(R"({"answer":42})") << QStringLiteral("no \"answer\"");
}

void TstUiDocks::askShowsServiceError()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    FixtureHttpServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    server.enqueue("POST", "/v1/query", FixtureResponse::text(status, body, "application/json"));
    AskDock ask;
    ask.setServiceAddress(server.url());
    QSignalSpy failed(&ask, &AskDock::failed);
    ask.questionEdit()->setText(QStringLiteral("hello"));
    ask.askButton()->click();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.at(0).at(0).toString().contains(expected),
             qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(ask.resultLabel()->text().startsWith(QStringLiteral("Error:")));
    QVERIFY(!ask.busy());
}

void TstUiDocks::askWithoutServiceOrQuestion()
{
    AskDock ask;
    QSignalSpy failed(&ask, &AskDock::failed);
    ask.questionEdit()->setText(QStringLiteral("   "));
    ask.ask();
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("question")));
    ask.questionEdit()->setText(QStringLiteral("hi"));
    ask.ask();
    QCOMPARE(failed.count(), 2);
    QVERIFY(failed.at(1).at(0).toString().contains(QStringLiteral("not running")));
    // A port nobody listens on: connection refused, shown, not hung.
    FixtureHttpServer server;
    QVERIFY(server.start());
    const QUrl dead = server.url();
    server.stop();
    ask.setServiceAddress(dead);
    ask.ask();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.at(2).at(0).toString().contains(QStringLiteral("refused"), Qt::CaseInsensitive),
             qPrintable(failed.at(2).at(0).toString()));
    // Oversized input is cut at the service's limit by the field itself.
    ask.questionEdit()->setText(QString(5000, QLatin1Char('x')));
    QCOMPARE(ask.questionEdit()->text().size(), 4000);
}

void TstUiDocks::statusChipsColoured()
{
    MainWindow w;
    w.setReplicaCount(3);
    QVERIFY(w.findChild<QLabel*>(QStringLiteral("replicaCount"))->text().contains('3'));
    SourceStatus ok{QStringLiteral("local"), QStringLiteral("embedded service"),
                    SourceHealth::Ok,        {},
                    1'700'000'000'000,       0};
    SourceStatus stale{QStringLiteral("proc"), {}, SourceHealth::Stale, {}, 0, 0};
    SourceStatus bad{QStringLiteral("10.0.0.5:9100"),      {}, SourceHealth::Error,
                     QStringLiteral("connection refused"), 0,  4};
    w.showSourceStatus({ok, stale, bad});
    StatusBarWidget* status = w.statusWidget();
    QCOMPARE(status->chip("local")->property("chipColor").value<QColor>(),
             StatusBarWidget::healthColor(SourceHealth::Ok));
    QCOMPARE(status->chip("proc")->property("chipColor").value<QColor>(),
             StatusBarWidget::healthColor(SourceHealth::Stale));
    QCOMPARE(status->chip("10.0.0.5:9100")->property("chipColor").value<QColor>(),
             StatusBarWidget::healthColor(SourceHealth::Error));
    QVERIFY(StatusBarWidget::healthColor(SourceHealth::Ok) !=
            StatusBarWidget::healthColor(SourceHealth::Error));
    const QString tip = status->chip("10.0.0.5:9100")->toolTip();
    QVERIFY2(tip.contains(QStringLiteral("connection refused")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("Malformed lines: 4")), qPrintable(tip));
    QVERIFY(status->chip("local")->toolTip().contains(QStringLiteral("embedded service")));
    // Recovery recolours; a vanished source loses its chip.
    bad.health = SourceHealth::Ok;
    w.showSourceStatus({ok, bad});
    QCOMPARE(status->chip("10.0.0.5:9100")->property("health").toString(), QStringLiteral("ok"));
    QCOMPARE(status->chip("proc"), nullptr);
}

void TstUiDocks::logsFilter()
{
    QStandardItemModel model(0, 3);
    const QStringList messages{"service started", "cache miss for query", "scrape failed: timeout",
                               "cache hit"};
    for (int i = 0; i < messages.size(); ++i)
        model.appendRow({new QStandardItem(QString::number(i)), new QStandardItem("info"),
                         new QStandardItem(messages.at(i))});
    MainWindow w;
    w.setLogModel(&model);
    LogsDock* logs = w.logsDock();
    QSignalSpy text(logs, &LogsDock::textFilterChanged);
    QSignalSpy level(logs, &LogsDock::levelFilterChanged);
    QCOMPARE(logs->view()->model()->rowCount(), 4);
    QTest::keyClicks(logs->filterEdit(), QStringLiteral("CACHE"));
    QCOMPARE(text.last().at(0).toString(), QStringLiteral("CACHE"));
    QCOMPARE(logs->view()->model()->rowCount(), 2);
    logs->levelCombo()->setCurrentIndex(4);
    QCOMPARE(level.last().at(0).toInt(), 4);
    QCOMPARE(logs->minimumLevel(), 4);
    // A replacement proxy is used as given and left for its owner to filter.
    QSortFilterProxyModel custom;
    logs->setFilterProxy(&custom);
    QCOMPARE(logs->view()->model(), &custom);
    QCOMPARE(custom.sourceModel(), &model);
    QCOMPARE(custom.rowCount(), 4);
    model.appendRow({new QStandardItem("4"), new QStandardItem("warn"), new QStandardItem("x")});
    QCOMPARE(custom.rowCount(), 5);
}

void TstUiDocks::logsWithLogFilterModel()
{
    LogModel model(100);
    LogFilterModel filter;
    LogsDock logs;
    connect(&logs, &LogsDock::levelFilterChanged, &filter, &LogFilterModel::setMinimumLevel);
    connect(&logs, &LogsDock::textFilterChanged, &filter, &LogFilterModel::setText);
    logs.setLogModel(&model);
    logs.setFilterProxy(&filter); // re-emits: "Info and above" applies at once
    model.append(1000, 1, QStringLiteral("http"), QStringLiteral("debug detail"));
    model.append(2000, 2, QStringLiteral("cache"), QStringLiteral("cache ready"));
    model.append(3000, 4, QStringLiteral("scrape"), QStringLiteral("scrape failed"));
    model.flush();
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(logs.view()->model()->rowCount(), 2);
    logs.filterEdit()->setText(QStringLiteral("scrape"));
    QCOMPARE(logs.view()->model()->rowCount(), 1);
    logs.levelCombo()->setCurrentIndex(0);
    logs.filterEdit()->clear();
    QCOMPARE(logs.view()->model()->rowCount(), 3);
    QVERIFY(logs.view()->horizontalHeader()->isHidden());
}

QTEST_MAIN(TstUiDocks)
#include "tst_ui_docks.moc"
