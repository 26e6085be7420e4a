#include "models/LogFilterModel.h"
#include "models/LogModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace querydeck;

namespace {

QStringList messages(const QAbstractItemModel& model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data(LogModel::MessageRole).toString();
    return out;
}

} // namespace

class TestLogFilterModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void filters_data();
    void filters();
    void followsSourceAtCapacityAndReset();

private:
    LogModel* m_source = nullptr;
    LogFilterModel* m_filter = nullptr;
    QAbstractItemModelTester* m_sourceTester = nullptr;
    QAbstractItemModelTester* m_filterTester = nullptr;
};

void TestLogFilterModel::init()
{
    m_source = new LogModel(4, this);
    m_filter = new LogFilterModel(this);
    m_filter->setSourceModel(m_source);
    m_sourceTester = new QAbstractItemModelTester(
        m_source, QAbstractItemModelTester::FailureReportingMode::Fatal, this);
    m_filterTester = new QAbstractItemModelTester(
        m_filter, QAbstractItemModelTester::FailureReportingMode::Fatal, this);
    m_source->append(1, 1, "http", "GET /health");
    m_source->append(2, 2, "cache", "Hit for query");
    m_source->append(3, 3, "redis", "sentinel unreachable");
    m_source->append(4, 4, "service", "generation FAILED: timeout");
    m_source->flush();
}

void TestLogFilterModel::cleanup()
{
    delete m_filterTester;
    delete m_sourceTester;
    delete m_filter;
    delete m_source;
}

void TestLogFilterModel::filters_data()
{
    QTest::addColumn<int>("minimumLevel");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("everything") << 0 << QString()
                                << QStringList{"GET /health", "Hit for query",
                                               "sentinel unreachable",
                                               "generation FAILED: timeout"};
    QTest::newRow("warn and up") << 3 << QString()
                                 << QStringList{"sentinel unreachable",
                                                "generation FAILED: timeout"};
    QTest::newRow("text any case") << 0 << "failed" << QStringList{"generation FAILED: timeout"};
    QTest::newRow("text matches logger") << 0 << "REDIS" << QStringList{"sentinel unreachable"};
    QTest::newRow("level and text") << 4 << "hit" << QStringList{};
    QTest::newRow("regex characters are literal") << 0 << "/health" << QStringList{"GET /health"};
    QTest::newRow("nothing matches") << 0 << "zzz" << QStringList{};
    QTest::newRow("above critical") << 6 << QString() << QStringList{};
}

void TestLogFilterModel::filters()
{
    QFETCH(int, minimumLevel);
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    m_filter->setMinimumLevel(minimumLevel);
    m_filter->setText(text);
    QCOMPARE(messages(*m_filter), expected);
    QCOMPARE(m_filter->minimumLevel(), minimumLevel);
    QCOMPARE(m_filter->text(), text);
    m_filter->setMinimumLevel(0);
    m_filter->setText({});
    QCOMPARE(m_filter->rowCount(), 4);
}

void TestLogFilterModel::followsSourceAtCapacityAndReset()
{
    m_filter->setMinimumLevel(3);
    QCOMPARE(m_filter->rowCount(), 2);
    // The source is full (capacity 4): two new records push out the two oldest.
    m_source->append(5, 5, "service", "out of memory");
    m_source->append(6, 0, "http", "trace noise");
    m_source->flush();
    QCOMPARE(m_source->rowCount(), 4);
    QCOMPARE(messages(*m_filter),
             (QStringList{"sentinel unreachable", "generation FAILED: timeout", "out of memory"}));
    m_source->append(7, 4, "cache", "a");
    m_source->append(8, 4, "cache", "b");
    m_source->append(9, 4, "cache", "c");
    m_source->flush();
    QCOMPARE(messages(*m_filter), (QStringList{"a", "b", "c"}));
    m_source->clear();
    QCOMPARE(m_filter->rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestLogFilterModel)
#include "tst_logfiltermodel.moc"
