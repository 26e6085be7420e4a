#include "backend/logging/LogBridge.h"
#include "backend/logging/Logging.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <thread>
#include <vector>

using namespace querydeck;

namespace {

struct Received
{
    qint64 ms = 0;
    int level = 0;
    QString logger;
    QString message;
    Qt::HANDLE thread = nullptr; // the thread the slot ran on
};

// Lives on the test (GUI) thread and records what arrives through a queued connection.
class Receiver : public QObject
{
public:
    std::vector<Received> records;

    void take(qint64 ms, int level, const QString& logger, const QString& message)
    {
        records.push_back({ms, level, logger, message, QThread::currentThreadId()});
    }
};

} // namespace

class TestLogBridge : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void recordCarriesFields();
    void recordsFromSeveralThreadsArriveQueued();
    void installReachesComponentLoggersAndSurvivesApply();
    void secretsAreMasked();
    void destroyedBridgeStopsForwarding();

private:
    LoggingConfig config(const QString& level) const;

    QTemporaryDir m_dir;
};

LoggingConfig TestLogBridge::config(const QString& level) const
{
    // The configured output is a file nobody reads; only the bridge matters here.
    LoggingConfig config;
    config.level = level;
    config.file = m_dir.filePath(QStringLiteral("test.log"));
    return config;
}

void TestLogBridge::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(LoggingSetup::apply(config(QStringLiteral("trace"))).isEmpty());
}

void TestLogBridge::recordCarriesFields()
{
    LogBridge bridge;
    Receiver receiver;
    connect(&bridge, &LogBridge::record, &receiver, &Receiver::take, Qt::QueuedConnection);
    spdlog::logger logger("unit", bridge.sink());
    logger.set_level(spdlog::level::trace);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    logger.warn("disk {} is {}% full", "/dev/sda1", 93);
    QVERIFY(receiver.records.empty()); // queued: nothing until the event loop runs
    QTRY_COMPARE(receiver.records.size(), std::size_t(1));
    const Received& r = receiver.records[0];
    QCOMPARE(r.level, int(spdlog::level::warn));
    QCOMPARE(r.logger, QStringLiteral("unit"));
    QCOMPARE(r.message, QStringLiteral("disk /dev/sda1 is 93% full"));
    QVERIFY(r.ms >= before - 1 && r.ms <= QDateTime::currentMSecsSinceEpoch() + 1);
}

void TestLogBridge::recordsFromSeveralThreadsArriveQueued()
{
    LogBridge bridge;
    Receiver receiver;
    connect(&bridge, &LogBridge::record, &receiver, &Receiver::take, Qt::QueuedConnection);
    auto logger = std::make_shared<spdlog::logger>("threads", bridge.sink());
    logger->set_level(spdlog::level::trace);

    constexpr int Threads = 4;
    constexpr int PerThread = 500;
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back([logger, t] {
            for (int i = 0; i < PerThread; ++i)
                logger->info("thread {} record {}", t, i);
        });
    }
    for (auto& thread : threads)
        thread.join();

    QTRY_COMPARE(receiver.records.size(), std::size_t(Threads * PerThread));
    const Qt::HANDLE guiThread = QThread::currentThreadId();
    std::vector<int> next(Threads, 0); // each thread's records arrive in its order
    for (const Received& r : receiver.records) {
        QCOMPARE(r.thread, guiThread);
        QCOMPARE(r.logger, QStringLiteral("threads"));
        const QStringList words = r.message.split(' ');
        QCOMPARE(words.size(), 4);
        const int t = words[1].toInt();
        QVERIFY(t >= 0 && t < Threads);
        QCOMPARE(words[3].toInt(), next[t]);
        ++next[t];
    }
}

void TestLogBridge::installReachesComponentLoggersAndSurvivesApply()
{
    LogBridge* bridge = LogBridge::install();
    QVERIFY(bridge);
    QCOMPARE(LogBridge::install(), bridge);
    QCOMPARE(LogBridge::instance(), bridge);
    Receiver receiver;
    connect(bridge, &LogBridge::record, &receiver, &Receiver::take, Qt::QueuedConnection);

    log::cache()->error("evicted everything");
    QTRY_COMPARE(receiver.records.size(), std::size_t(1));
    QCOMPARE(receiver.records[0].logger, QStringLiteral("cache"));
    QCOMPARE(receiver.records[0].level, int(spdlog::level::err));

    // Re-applying the configuration swaps the output but keeps the bridge.
    QVERIFY(LoggingSetup::apply(config(QStringLiteral("warn"))).isEmpty());
    log::get("late")->warn("after apply");
    log::get("late")->info("below the level");
    // A sentinel logged after the info record: records reach the receiver in
    // the order they were logged (one thread, one queued connection), so had
    // the info record passed the level, it would arrive before the sentinel.
    log::get("late")->warn("sentinel");
    QTRY_COMPARE(receiver.records.size(), std::size_t(3));
    QCOMPARE(receiver.records[1].logger, QStringLiteral("late"));
    QCOMPARE(receiver.records[1].message, QStringLiteral("after apply"));
    QCOMPARE(receiver.records[2].message, QStringLiteral("sentinel"));
    QVERIFY(LoggingSetup::apply(config(QStringLiteral("trace"))).isEmpty());
}

void TestLogBridge::secretsAreMasked()
{
    LogBridge bridge;
    Receiver receiver;
    connect(&bridge, &LogBridge::record, &receiver, &Receiver::take, Qt::QueuedConnection);
    spdlog::logger logger("auth", bridge.sink());
    logger.info("calling upstream with Authorization: Bearer sk-secret-token-123");
    QTRY_COMPARE(receiver.records.size(), std::size_t(1));
    QVERIFY2(!receiver.records[0].message.contains("sk-secret-token-123"),
             qPrintable(receiver.records[0].message));
    QVERIFY(receiver.records[0].message.startsWith("calling upstream"));
}

void TestLogBridge::destroyedBridgeStopsForwarding()
{
    std::shared_ptr<spdlog::sinks::sink> sink;
    {
        LogBridge bridge;
        sink = bridge.sink();
    }
    // A logger still holding the sink must not reach the destroyed bridge.
    spdlog::logger logger("orphan", sink);
    logger.error("nobody listens");
    QVERIFY(sink.use_count() >= 1);
}

QTEST_GUILESS_MAIN(TestLogBridge)
#include "tst_logbridge.moc"
