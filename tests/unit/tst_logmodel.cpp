#include "models/LogModel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace querydeck;

namespace {

QString messageAt(const LogModel& model, int row)
{
    return model.index(row).data(LogModel::MessageRole).toString();
}

} // namespace

class TestLogModel : public QObject
{
    Q_OBJECT

private slots:
    void rolesAndDisplayLine();
    void appendIsBatchedByTheTimer();
    void atCapacityRemovesOldestBeforeInserting_data();
    void atCapacityRemovesOldestBeforeInserting();
    void stormKeepsOnlyTheNewestAndCountsDrops();
    void shrinkingCapacityTrims();
    void clearResets();
    void levelNames_data();
    void levelNames();
};

void TestLogModel::rolesAndDisplayLine()
{
    LogModel model(10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const qint64 ms = QDateTime(QDate(2026, 11, 22), QTime(14, 35, 50, 123)).toMSecsSinceEpoch();
    model.append(ms, 3, "cache", "evicted 3 entries");
    model.flush();
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex index = model.index(0);
    QCOMPARE(index.data(LogModel::TimestampRole).toLongLong(), ms);
    QCOMPARE(index.data(LogModel::LevelRole).toInt(), 3);
    QCOMPARE(index.data(LogModel::LoggerRole).toString(), QStringLiteral("cache"));
    QCOMPARE(index.data(LogModel::MessageRole).toString(), QStringLiteral("evicted 3 entries"));
    QCOMPARE(index.data(Qt::DisplayRole).toString(),
             QStringLiteral("2026-11-22 14:35:50.123 WARN  [cache] evicted 3 entries"));
    QCOMPARE(model.roleNames().value(LogModel::MessageRole), QByteArray("message"));
    QCOMPARE(int(LogModel::TimestampRole), Qt::UserRole + 1);
    QVERIFY(!model.index(1).data(LogModel::MessageRole).isValid());
}

void TestLogModel::appendIsBatchedByTheTimer()
{
    LogModel model(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 300; ++i)
        model.append(i, 2, "service", QString::number(i));
    QCOMPARE(model.rowCount(), 0); // queued, not yet visible
    QCOMPARE(model.pendingCount(), 300);
    QTRY_COMPARE(model.rowCount(), 300);
    QCOMPARE(inserted.size(), 1); // one insert for the whole batch
    QCOMPARE(inserted[0][1].toInt(), 0);
    QCOMPARE(inserted[0][2].toInt(), 299);
    QCOMPARE(messageAt(model, 0), QStringLiteral("0"));
    QCOMPARE(messageAt(model, 299), QStringLiteral("299"));
}

void TestLogModel::atCapacityRemovesOldestBeforeInserting_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("existing");
    QTest::addColumn<int>("incoming");
    QTest::addColumn<int>("removed");
    QTest::newRow("full, one more") << 5 << 5 << 1 << 1;
    QTest::newRow("full, a batch") << 5 << 5 << 3 << 3;
    QTest::newRow("partly full overflows") << 5 << 3 << 4 << 2;
    QTest::newRow("fits exactly") << 5 << 2 << 3 << 0;
    QTest::newRow("batch of a whole model") << 5 << 5 << 5 << 5;
    QTest::newRow("capacity one") << 1 << 1 << 1 << 1;
}

void TestLogModel::atCapacityRemovesOldestBeforeInserting()
{
    QFETCH(int, capacity);
    QFETCH(int, existing);
    QFETCH(int, incoming);
    QFETCH(int, removed);
    LogModel model(capacity);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int i = 0; i < existing; ++i)
        model.append(i, 2, "x", QStringLiteral("old %1").arg(i));
    model.flush();

    QStringList order;
    connect(&model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [&](const QModelIndex&, int first, int last) {
                order << QStringLiteral("remove %1-%2").arg(first).arg(last);
            });
    connect(&model, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [&](const QModelIndex&, int first, int last) {
                order << QStringLiteral("insert %1-%2").arg(first).arg(last);
            });
    for (int i = 0; i < incoming; ++i)
        model.append(100 + i, 2, "x", QStringLiteral("new %1").arg(i));
    model.flush();

    QStringList expected;
    if (removed > 0)
        expected << QStringLiteral("remove 0-%1").arg(removed - 1);
    const int kept = existing - removed;
    expected << QStringLiteral("insert %1-%2").arg(kept).arg(kept + incoming - 1);
    QCOMPARE(order, expected);
    QCOMPARE(model.rowCount(), kept + incoming);
    QVERIFY(model.rowCount() <= capacity);
    if (kept > 0)
        QCOMPARE(messageAt(model, 0), QStringLiteral("old %1").arg(removed));
    QCOMPARE(messageAt(model, model.rowCount() - 1), QStringLiteral("new %1").arg(incoming - 1));
}

void TestLogModel::stormKeepsOnlyTheNewestAndCountsDrops()
{
    LogModel model(100);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 100000; ++i)
        model.append(i, 4, "storm", QString::number(i));
    QCOMPARE(model.pendingCount(), 100); // the queue is bounded too
    QCOMPARE(model.droppedCount(), 99900);
    QTRY_COMPARE(model.rowCount(), 100);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(messageAt(model, 0), QStringLiteral("99900"));
    QCOMPARE(messageAt(model, 99), QStringLiteral("99999"));
}

void TestLogModel::shrinkingCapacityTrims()
{
    LogModel model(10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int i = 0; i < 10; ++i)
        model.append(i, 2, "x", QString::number(i));
    model.flush();
    model.setCapacity(4);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(messageAt(model, 0), QStringLiteral("6"));
    model.setCapacity(0); // clamps to one row
    QCOMPARE(model.capacity(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(messageAt(model, 0), QStringLiteral("9"));
}

void TestLogModel::clearResets()
{
    LogModel model(10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int i = 0; i < 5; ++i)
        model.append(i, 2, "x", QString::number(i));
    model.flush();
    model.append(9, 2, "x", "queued");
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.pendingCount(), 0);
    model.flush();
    QCOMPARE(model.rowCount(), 0);
}

void TestLogModel::levelNames_data()
{
    QTest::addColumn<int>("level");
    QTest::addColumn<QString>("name");
    QTest::newRow("trace") << 0 << "TRACE";
    QTest::newRow("info") << 2 << "INFO";
    QTest::newRow("critical") << 5 << "CRITICAL";
    QTest::newRow("unknown") << 42 << "L42";
    QTest::newRow("negative") << -1 << "L-1";
}

void TestLogModel::levelNames()
{
    QFETCH(int, level);
    QFETCH(QString, name);
    QCOMPARE(LogModel::levelName(level), name);
}

QTEST_GUILESS_MAIN(TestLogModel)
#include "tst_logmodel.moc"
