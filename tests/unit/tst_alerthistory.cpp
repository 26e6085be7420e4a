// AlertHistory: JSON lines kept across restarts, corrupt lines skipped with a
// warning and nothing else lost, bounded by size with rotation; and the
// AlertEngine restoring instance states from it (a Firing alert stays Firing
// after a restart, with no second notification).
#include "ManualClock.h"
#include "backend/alerting/AlertEngine.h"
#include "backend/alerting/AlertHistory.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

namespace {

AlertHistoryEntry entry(const QString& rule, AlertState from, AlertState to, qint64 t,
                        std::optional<double> value = {})
{
    AlertHistoryEntry e;
    e.ruleName = rule;
    e.labels = {{QStringLiteral("instance"), QStringLiteral("r1")}};
    e.severity = AlertSeverity::Critical;
    e.transition.from = from;
    e.transition.to = to;
    e.transition.t = t;
    e.transition.value = value;
    return e;
}

AlertRule gaugeRule()
{
    AlertRule r;
    r.name = QStringLiteral("HighG");
    r.expression = QStringLiteral("g");
    r.threshold = 3;
    r.forMs = 2000;
    r.keepFiringForMs = 0;
    r.intervalMs = 1000;
    return r;
}

SeriesKey gauge()
{
    return SeriesKey::make(QStringLiteral("g"),
                           {{QStringLiteral("instance"), QStringLiteral("a")}});
}

} // namespace

class TestAlertHistory : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<AlertNotification>();
    }

    void lineRoundTrip()
    {
        AlertHistoryEntry e =
            entry("A", AlertState::Pending, AlertState::Firing, 1700000000123, 61.5);
        e.note = QStringLiteral("threshold wizard");
        e.transition.error = QStringLiteral("");
        const QByteArray line = AlertHistory::toLine(e);
        QVERIFY(!line.contains('\n'));
        QString error;
        const auto back = AlertHistory::fromLine(line, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->ruleName, e.ruleName);
        QCOMPARE(back->labels, e.labels);
        QCOMPARE(back->transition.t, e.transition.t);
        QCOMPARE(back->transition.from, AlertState::Pending);
        QCOMPARE(back->transition.to, AlertState::Firing);
        QCOMPARE(*back->transition.value, 61.5);
        QCOMPARE(back->note, e.note);
        // Non-finite values survive too.
        const auto inf = AlertHistory::fromLine(
            AlertHistory::toLine(entry("A", AlertState::Normal, AlertState::Firing, 5, INFINITY)),
            nullptr);
        QVERIFY(inf && std::isinf(*inf->transition.value));
    }

    void malformedLines_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not json") << QByteArray("{\"t\": 12, \"rule\"") << "not JSON";
        QTest::newRow("array") << QByteArray("[1,2]") << "not a JSON object";
        QTest::newRow("no time")
            << QByteArray(R"({"rule":"A","severity":"critical","from":"normal","to":"firing"})")
            << "t:";
        // Converting 1e300 to qint64 was undefined behaviour (UBSan's
        // float-cast-overflow), reached from any history file.
        QTest::newRow("time beyond qint64")
            << QByteArray(
                   R"({"t":1e300,"rule":"A","severity":"critical","from":"normal","to":"firing"})")
            << "t:";
        QTest::newRow("no rule")
            << QByteArray(R"({"t":5,"severity":"critical","from":"normal","to":"firing"})")
            << "rule:";
        QTest::newRow("bad state")
            << QByteArray(
                   R"({"t":5,"rule":"A","severity":"critical","from":"normal","to":"burning"})")
            << "to:";
        QTest::newRow("bad severity")
            << QByteArray(R"({"t":5,"rule":"A","severity":"loud","from":"normal","to":"firing"})")
            << "severity:";
        QTest::newRow("label not string")
            << QByteArray(
                   R"({"t":5,"rule":"A","severity":"info","from":"normal","to":"firing","labels":{"a":1}})")
            << "labels.a";
    }

    void malformedLines()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, problem);
        QString error;
        QVERIFY(!AlertHistory::fromLine(line, &error));
        QVERIFY2(error.contains(problem), qPrintable(error));
    }

    void corruptFileKeepsTheRest()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("history.jsonl");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(AlertHistory::toLine(entry("A", AlertState::Normal, AlertState::Pending, 1000)) +
                   '\n');
        file.write("garbage that is not json\n");
        file.write("\n");
        file.write(QByteArray("\x00\xff\xfe binary", 10) + '\n');
        file.write(AlertHistory::toLine(entry("A", AlertState::Pending, AlertState::Firing, 2000)) +
                   '\n');
        file.write("{\"t\": 3000, \"rule\": \"A\", \"sev"); // truncated by a crash
        file.close();
        AlertHistory history(path);
        QCOMPARE(history.load(), 2);
        QCOMPARE(history.warnings().size(), 3);
        QVERIFY2(history.warnings().at(0).contains(":2: skipped"),
                 qPrintable(history.warnings().join('\n')));
        const auto states = history.lastStates();
        QCOMPARE(states.size(), 1);
        const AlertHistory::Restored r = states.begin().value();
        QCOMPARE(r.status.state, AlertState::Firing);
        QCOMPARE(r.status.firingSinceMs, 2000);
        QCOMPARE(r.status.activeSinceMs, 1000);
        // Appending after a corrupt tail still works, and the good lines stay.
        QVERIFY(history.append(entry("A", AlertState::Firing, AlertState::Normal, 4000)));
        AlertHistory again(path);
        QCOMPARE(again.load(), 3);
        QCOMPARE(again.lastStates().begin().value().status.state, AlertState::Normal);
    }

    void rotationBoundsTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("history.jsonl");
        AlertHistory::Options options;
        options.maxBytes = 20000;
        options.maxEntries = 50;
        AlertHistory history(path, options);
        const int total = 1000;
        for (int i = 0; i < total; ++i)
            QVERIFY(
                history.append(entry("A", i % 2 ? AlertState::Firing : AlertState::Normal,
                                     i % 2 ? AlertState::Normal : AlertState::Firing, 1000 + i)));
        QVERIFY(QFile::exists(path + ".1"));
        const qint64 bytes = QFileInfo(path).size() + QFileInfo(path + ".1").size();
        QVERIFY2(bytes <= options.maxBytes, qPrintable(QString::number(bytes)));
        QCOMPARE(history.entries().size(), std::size_t(50));
        AlertHistory reloaded(path, options);
        QCOMPARE(reloaded.load(), 50);
        QCOMPARE(reloaded.entries().back().transition.t, 1000 + total - 1); // newest kept
        QVERIFY(reloaded.warnings().isEmpty());
    }

    void unwritableFileIsAnError()
    {
        AlertHistory history("/proc/querydeck-no/history.jsonl");
        QVERIFY(!history.append(entry("A", AlertState::Normal, AlertState::Firing, 1)));
        QCOMPARE(history.entries().size(), std::size_t(1)); // still in memory
    }

    // Firing before a restart, Firing after it, with no second notification;
    // its resolution after the restart names the original start.
    void engineRestoresAcrossRestart()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("alerts/history.jsonl");
        ManualClock clock;
        TimeSeriesStore store;
        qint64 firingAt = 0;
        {
            AlertEngine engine(&store, clock.clock());
            engine.setTickInterval(0);
            engine.setHistoryFile(path);
            QVERIFY(engine.setRules({gaugeRule()}).isEmpty());
            engine.start();
            QSignalSpy notifications(&engine, &AlertEngine::notification);
            for (int i = 0; i < 3; ++i) {
                store.append(gauge(), clock.now(), 9);
                engine.evaluateDue();
                clock.advance(1000);
            }
            QCOMPARE(notifications.size(), 1);
            firingAt = notifications.at(0).at(0).value<AlertNotification>().startsAtMs;
            QCOMPARE(engine.instances().at(0).status.state, AlertState::Firing);
        }
        AlertEngine engine(&store, clock.clock());
        engine.setTickInterval(0);
        engine.setHistoryFile(path);
        QVERIFY(engine.setRules({gaugeRule()}).isEmpty());
        QSignalSpy notifications(&engine, &AlertEngine::notification);
        engine.start();
        QCOMPARE(engine.instances().size(), 1);
        QCOMPARE(engine.instances().at(0).status.state, AlertState::Firing);
        QCOMPARE(engine.instances().at(0).status.firingSinceMs, firingAt);
        store.append(gauge(), clock.now(), 9);
        engine.evaluateDue();
        QCOMPARE(engine.instances().at(0).status.state, AlertState::Firing);
        QCOMPARE(notifications.size(), 0);
        clock.advance(1000);
        store.append(gauge(), clock.now(), 1);
        engine.evaluateDue();
        QCOMPARE(notifications.size(), 1);
        const auto resolved = notifications.at(0).at(0).value<AlertNotification>();
        QVERIFY(resolved.resolved);
        QCOMPARE(resolved.startsAtMs, firingAt);
        QCOMPARE(engine.history().entries().size(), std::size_t(3)); // P, F, N
    }
};

QTEST_GUILESS_MAIN(TestAlertHistory)
#include "tst_alerthistory.moc"
