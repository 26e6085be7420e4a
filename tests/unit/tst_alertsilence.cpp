// Silences: matchers (= and =~, anchored as in Alertmanager), validation,
// the silences file (bad entries named, good ones kept), and the engine: a
// silenced alert still changes state and is recorded but notifies nobody,
// until the silence expires or is expired by hand.
#include "ManualClock.h"
#include "backend/alerting/AlertEngine.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

namespace {

AlertMatcher matcher(const QString& text)
{
    QString error;
    const auto m = AlertMatcher::parse(text, &error);
    if (!m)
        qFatal("matcher %s: %s", qPrintable(text), qPrintable(error));
    return *m;
}

AlertSilence silence(const QStringList& matchers, qint64 starts, qint64 ends)
{
    AlertSilence s;
    for (const QString& m : matchers)
        s.matchers << matcher(m);
    s.startsMs = starts;
    s.endsMs = ends;
    s.comment = QStringLiteral("deploy");
    s.createdBy = QStringLiteral("ops");
    return s;
}

} // namespace

class TestAlertSilence : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<AlertNotification>(); }

    void matching_data()
    {
        QTest::addColumn<QString>("matcher");
        QTest::addColumn<bool>(
            "matches"); // against alertname=ReplicaDown, instance=r2, severity=warning
        QTest::newRow("equal") << "alertname=\"ReplicaDown\"" << true;
        QTest::newRow("equal unquoted") << "instance=r2" << true;
        QTest::newRow("equal other") << "instance=\"r1\"" << false;
        QTest::newRow("regex") << "instance=~\"r[0-9]+\"" << true;
        QTest::newRow("regex is anchored") << "alertname=~\"Replica\"" << false;
        QTest::newRow("regex alternation") << "severity=~\"critical|warning\"" << true;
        QTest::newRow("absent label is empty") << "team=\"\"" << true;
        QTest::newRow("absent label vs value") << "team=\"search\"" << false;
        QTest::newRow("escaped quote") << "alertname=\"Replica\\\"Down\"" << false;
    }

    void matching()
    {
        QFETCH(QString, matcher);
        QFETCH(bool, matches);
        const QMap<QString, QString> labels{
            {"alertname", "ReplicaDown"}, {"instance", "r2"}, {"severity", "warning"}};
        QCOMPARE(::matcher(matcher).matches(labels), matches);
        // And round-trips through its text form.
        QCOMPARE(::matcher(::matcher(matcher).toString()).matches(labels), matches);
    }

    void badMatchers_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << ""
                               << "is not name=";
        QTest::newRow("no operator") << "alertname"
                                     << "is not name=";
        QTest::newRow("bad name") << "1abc=x"
                                  << "is not name=";
        QTest::newRow("negation unsupported") << "a!=b"
                                              << "is not name=";
        QTest::newRow("bad regex") << "a=~\"(\""
                                   << "invalid regex";
    }

    void badMatchers()
    {
        QFETCH(QString, text);
        QFETCH(QString, problem);
        QString error;
        QVERIFY(!AlertMatcher::parse(text, &error));
        QVERIFY2(error.contains(problem), qPrintable(error));
    }

    void timeWindowAndValidation()
    {
        const AlertSilence s = silence({"alertname=A"}, 1000, 2000);
        const QMap<QString, QString> labels{{"alertname", "A"}};
        QVERIFY(!s.matches(labels, 999));
        QVERIFY(s.matches(labels, 1000));
        QVERIFY(!s.matches(labels, 2000)); // expired
        QVERIFY(s.validate().isEmpty());
        AlertSilence bad = silence({}, 2000, 1000);
        bad.createdBy.clear();
        const QString errors = bad.validate().join('\n');
        QVERIFY2(errors.contains("matchers:"), qPrintable(errors));
        QVERIFY2(errors.contains("ends_at:"), qPrintable(errors));
        QVERIFY2(errors.contains("created_by:"), qPrintable(errors));
    }

    void fileKeepsGoodSilencesAndNamesBadOnes()
    {
        AlertSilence good =
            silence({"instance=~\"r.*\"", "alertname=A"}, 1700000000000, 1700003600000);
        good.id = "s1";
        QJsonObject bad = AlertSilences::toJson(good);
        bad["ends_at"] = "tomorrow";
        QJsonObject array{{"silences", QJsonArray{AlertSilences::toJson(good), bad}}};
        const auto loaded = AlertSilences::parse(QJsonDocument(array).toJson());
        QCOMPARE(loaded.value.size(), std::size_t(1));
        QCOMPARE(loaded.value[0].matchers.size(), 2);
        QCOMPARE(loaded.value[0].endsMs, good.endsMs);
        QCOMPARE(loaded.errors.size(), 1);
        QVERIFY2(loaded.errors[0].startsWith("silences[1].ends_at"), qPrintable(loaded.errors[0]));
        QVERIFY(!AlertSilences::parse("{").errors.isEmpty());
        QVERIFY(!AlertSilences::parse("[]").errors.isEmpty());
        QVERIFY(!AlertSilences::parse(QByteArray(9 * 1024 * 1024, ' ')).errors.isEmpty());
        QVERIFY(AlertSilences::loadFile("/nonexistent/silences.json").errors.isEmpty());
    }

    void silencedAlertsChangeStateButNotifyNobody()
    {
        QTemporaryDir dir;
        ManualClock clock;
        TimeSeriesStore store;
        const SeriesKey key = SeriesKey::make("g", {{"instance", "r2"}});
        AlertRule rule;
        rule.name = "A";
        rule.expression = "g";
        rule.threshold = 3;
        rule.intervalMs = 1000;
        rule.severity = AlertSeverity::Warning;
        auto engine = std::make_unique<AlertEngine>(&store, clock.clock());
        engine->setTickInterval(0);
        engine->setSilencesFile(dir.filePath("silences.json"));
        QVERIFY(engine->setRules({rule}).isEmpty());
        engine->start();
        QString error;
        QVERIFY(engine->addSilence(silence({}, clock.now(), clock.now() + 1000), &error).isEmpty());
        QVERIFY2(error.contains("matchers"), qPrintable(error));
        const QString id = engine->addSilence(
            silence({"severity=~\"warn.*\"", "instance=r2"}, clock.now(), clock.now() + 10000),
            &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QSignalSpy notifications(engine.get(), &AlertEngine::notification);
        QSignalSpy transitions(engine.get(), &AlertEngine::transition);

        store.append(key, clock.now(), 5);
        engine->evaluateDue();
        QCOMPARE(transitions.size(), 1);   // recorded ...
        QCOMPARE(notifications.size(), 0); // ... but nobody told
        QVERIFY(engine->instances().at(0).silenced);
        QCOMPARE(engine->instances().at(0).silenceId, id);

        // Persisted: a new engine on the same file has it.
        {
            AlertEngine other(&store, clock.clock());
            other.setTickInterval(0);
            other.setSilencesFile(dir.filePath("silences.json"));
            other.start();
            QCOMPARE(other.silences().size(), 1);
            QCOMPARE(other.silences().at(0).id, id);
        }

        // After it ends, the next firing notifies.
        clock.advance(10000);
        store.append(key, clock.now(), 1);
        engine->evaluateDue();
        // The silence ended at 10000 (end exclusive): the resolution is sent.
        QCOMPARE(notifications.size(), 1);
        QVERIFY(notifications.at(0).at(0).value<AlertNotification>().resolved);
        clock.advance(1000);
        store.append(key, clock.now(), 5);
        engine->evaluateDue();
        QCOMPARE(notifications.size(), 2);
        QVERIFY(!notifications.at(1).at(0).value<AlertNotification>().resolved);
        QVERIFY(!engine->instances().at(0).silenced);
    }

    void expireByHand()
    {
        ManualClock clock;
        TimeSeriesStore store;
        AlertRule rule;
        rule.name = "A";
        rule.expression = "g";
        rule.threshold = 3;
        rule.intervalMs = 1000;
        AlertEngine engine(&store, clock.clock());
        engine.setTickInterval(0);
        QVERIFY(engine.setRules({rule}).isEmpty());
        engine.start();
        const QString id =
            engine.addSilence(silence({"alertname=A"}, clock.now(), clock.now() + 3600000));
        QVERIFY(!id.isEmpty());
        QSignalSpy notifications(&engine, &AlertEngine::notification);
        QVERIFY(!engine.expireSilence("nope"));
        QVERIFY(engine.expireSilence(id));
        QVERIFY(!engine.silences().at(0).activeAt(clock.now()));
        store.append(SeriesKey::make("g", {}), clock.now(), 5);
        engine.evaluateDue();
        QCOMPARE(notifications.size(), 1);
        // Expired silences are dropped a day later.
        clock.advance(25LL * 3600 * 1000);
        engine.evaluateDue();
        QCOMPARE(engine.silences().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlertSilence)
#include "tst_alertsilence.moc"
