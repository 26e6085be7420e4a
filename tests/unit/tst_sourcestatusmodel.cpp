#include "models/SourceStatusModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace querydeck;

namespace {

SourceStatus status(const QString& id, SourceHealth health = SourceHealth::Ok,
                    const QString& error = {}, qint64 lastSuccess = 1000)
{
    SourceStatus s;
    s.id = id;
    s.description = "source " + id;
    s.health = health;
    s.lastError = error;
    s.lastSuccessMs = lastSuccess;
    return s;
}

QStringList ids(const SourceStatusModel& model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, SourceStatusModel::IdColumn).data().toString();
    return out;
}

// (top-left row, top-left column, bottom-right column, roles) of each dataChanged.
struct Change
{
    int row;
    int first;
    int last;
    QList<int> roles;
    bool operator==(const Change&) const = default;
};

QList<Change> changes(const QSignalSpy& spy)
{
    QList<Change> out;
    for (const QList<QVariant>& args : spy) {
        const auto tl = args[0].toModelIndex();
        const auto br = args[1].toModelIndex();
        out.append({tl.row(), tl.column(), br.column(), args[2].value<QList<int>>()});
    }
    return out;
}

} // namespace

Q_DECLARE_METATYPE(QList<Change>)

class TestSourceStatusModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void displayAndRoles();
    void unchangedEmitsNothing();
    void changedFieldEmitsExactRoles_data();
    void changedFieldEmitsExactRoles();
    void insertsAndRemoves();
    void duplicateIdsInOneUpdate();
    void clearResets();

private:
    SourceStatusModel* m_model = nullptr;
    QAbstractItemModelTester* m_tester = nullptr;
};

void TestSourceStatusModel::init()
{
    m_model = new SourceStatusModel;
    m_tester = new QAbstractItemModelTester(m_model,
                                            QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_model->setStatuses({status("service"), status("proc"), status("scrape:a")});
}

void TestSourceStatusModel::cleanup()
{
    delete m_tester;
    delete m_model;
}

void TestSourceStatusModel::displayAndRoles()
{
    m_model->setStatuses({status("service"), status("proc", SourceHealth::Stale, {}, 0),
                          status("scrape:a", SourceHealth::Error, "connection refused")});
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->columnCount(), 4);
    QCOMPARE(m_model->headerData(SourceStatusModel::LastErrorColumn, Qt::Horizontal).toString(),
             QStringLiteral("Last error"));
    const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return m_model->index(row, column).data(role);
    };
    QCOMPARE(cell(0, SourceStatusModel::HealthColumn).toString(), QStringLiteral("ok"));
    QCOMPARE(cell(1, SourceStatusModel::HealthColumn).toString(), QStringLiteral("stale"));
    QCOMPARE(cell(1, SourceStatusModel::LastSuccessColumn).toString(), QStringLiteral("never"));
    QCOMPARE(cell(2, SourceStatusModel::HealthColumn).toString(), QStringLiteral("error"));
    QCOMPARE(cell(2, SourceStatusModel::LastErrorColumn).toString(),
             QStringLiteral("connection refused"));
    QCOMPARE(cell(2, SourceStatusModel::IdColumn, SourceStatusModel::HealthRole).toInt(),
             int(SourceHealth::Error));
    QCOMPARE(cell(2, SourceStatusModel::LastSuccessColumn, SourceStatusModel::IdRole).toString(),
             QStringLiteral("scrape:a"));
    QCOMPARE(cell(0, SourceStatusModel::IdColumn, Qt::ToolTipRole).toString(),
             QStringLiteral("source service"));
    QCOMPARE(cell(0, SourceStatusModel::IdColumn, SourceStatusModel::LastSuccessRole).toLongLong(),
             1000);
}

void TestSourceStatusModel::unchangedEmitsNothing()
{
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    m_model->setStatuses({status("service"), status("proc"), status("scrape:a")});
    QCOMPARE(changed.size(), 0);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 0);
}

void TestSourceStatusModel::changedFieldEmitsExactRoles_data()
{
    QTest::addColumn<SourceStatus>("update");
    QTest::addColumn<QList<Change>>("expected");
    const int last = SourceStatusModel::ColumnCount - 1;
    QTest::newRow("health") << status("proc", SourceHealth::Stale)
                            << QList<Change>{{1, 1, 1, {Qt::DisplayRole}},
                                             {1, 0, last, {SourceStatusModel::HealthRole}}};
    QTest::newRow("health and error")
        << status("proc", SourceHealth::Error, "timeout")
        << QList<Change>{{1, 1, 1, {Qt::DisplayRole}},
                         {1, 0, last, {SourceStatusModel::HealthRole}},
                         {1, 2, 2, {Qt::DisplayRole}},
                         {1, 0, last, {SourceStatusModel::LastErrorRole}}};
    QTest::newRow("last success") << status("proc", SourceHealth::Ok, {}, 2000)
                                  << QList<Change>{
                                         {1, 3, 3, {Qt::DisplayRole}},
                                         {1, 0, last, {SourceStatusModel::LastSuccessRole}}};
    SourceStatus described = status("proc");
    described.description = "host /proc";
    QTest::newRow("description") << described
                                 << QList<Change>{
                                        {1, 0, 0, {Qt::ToolTipRole}},
                                        {1, 0, last, {SourceStatusModel::DescriptionRole}}};
    SourceStatus malformed = status("proc");
    malformed.malformedLines = 3;
    QTest::newRow("malformed lines")
        << malformed
        << QList<Change>{{1, 2, 2, {Qt::ToolTipRole}},
                         {1, 0, last, {SourceStatusModel::MalformedLinesRole}}};
}

void TestSourceStatusModel::changedFieldEmitsExactRoles()
{
    QFETCH(SourceStatus, update);
    QFETCH(QList<Change>, expected);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    m_model->setStatuses({status("service"), update, status("scrape:a")});
    QCOMPARE(changes(changed), expected);
    QCOMPARE(m_model->statuses().at(1).health, update.health);
    QCOMPARE(m_model->statuses().at(1).lastError, update.lastError);
    QCOMPARE(m_model->statuses().at(1).malformedLines, update.malformedLines);
}

void TestSourceStatusModel::insertsAndRemoves()
{
    QSignalSpy removed(m_model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    // proc and scrape:a vanish, two new targets appear, service stays.
    m_model->setStatuses({status("scrape:b"), status("service"), status("scrape:c")});
    QCOMPARE(ids(*m_model), (QStringList{"service", "scrape:b", "scrape:c"}));
    QCOMPARE(removed.size(), 1); // one contiguous run: rows 1-2
    QCOMPARE(removed[0][1].toInt(), 1);
    QCOMPARE(removed[0][2].toInt(), 2);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted[0][1].toInt(), 1);
    QCOMPARE(inserted[0][2].toInt(), 2);

    // Non-contiguous removals: rows 0 and 2.
    m_model->setStatuses({status("scrape:b")});
    QCOMPARE(ids(*m_model), QStringList{"scrape:b"});
    QCOMPARE(removed.size(), 3);

    m_model->setStatuses({});
    QCOMPARE(m_model->rowCount(), 0);
}

void TestSourceStatusModel::duplicateIdsInOneUpdate()
{
    m_model->setStatuses({status("service"), status("proc"), status("scrape:a"), status("new"),
                          status("new", SourceHealth::Error, "dup")});
    QCOMPARE(ids(*m_model), (QStringList{"service", "proc", "scrape:a", "new"}));
}

void TestSourceStatusModel::clearResets()
{
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    m_model->clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(m_model->rowCount(), 0);
    m_model->setStatuses({status("again")});
    QCOMPARE(ids(*m_model), QStringList{"again"});
}

QTEST_GUILESS_MAIN(TestSourceStatusModel)
#include "tst_sourcestatusmodel.moc"
