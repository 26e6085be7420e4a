#include "models/PanelTableModel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>
#include <limits>

using namespace querydeck;

namespace {

constexpr qint64 T0 = 1'790'000'000'000; // 2026-09-21T14:13:20Z

EvaluatedSeries series(const QString& legend, std::vector<Point> points)
{
    return EvaluatedSeries{legend, std::move(points)};
}

PanelData twoSeries()
{
    PanelData data;
    data.panelId = "disk-io";
    data.from = T0;
    data.to = T0 + 2000;
    data.series.push_back(series("read", {{T0, 1.5}, {T0 + 1000, 2.0}, {T0 + 2000, 2.5}}));
    // "write" misses the middle point and has one of its own.
    data.series.push_back(series("write", {{T0, 10.0}, {T0 + 1500, 11.0}, {T0 + 2000, 12.0}}));
    return data;
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// A minimal RFC 4180 reader, to prove the CSV round-trips.
QList<QStringList> parseCsv(const QString& csv)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < csv.size(); ++i) {
        const QChar c = csv[i];
        if (quoted) {
            if (c == u'"' && i + 1 < csv.size() && csv[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << field;
            field.clear();
        } else if (c == u'\r' && i + 1 < csv.size() && csv[i + 1] == u'\n') {
            row << field;
            field.clear();
            rows << row;
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace

class TestPanelTableModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsAreTheUnionOfTimestamps();
    void headersAndDisplay();
    void resetsOnNewData();
    void emptyData();
    void csvLayout();
    void csvQuoting_data();
    void csvQuoting();
    void csvRoundTripsHostileLegends();
    void csvSpecialValues();
};

void TestPanelTableModel::rowsAreTheUnionOfTimestamps()
{
    PanelTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPanelData(twoSeries());
    QCOMPARE(model.rowCount(), 4); // T0, +1000, +1500, +2000
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.index(1, 0).data(PanelTableModel::TimestampRole).toLongLong(), T0 + 1000);
    QCOMPARE(model.index(2, 0).data(PanelTableModel::TimestampRole).toLongLong(), T0 + 1500);
    QCOMPARE(model.index(1, 1).data(PanelTableModel::ValueRole).toDouble(), 2.0);
    QVERIFY(!model.index(1, 2).data(PanelTableModel::ValueRole).isValid()); // write has no point
    QCOMPARE(model.index(1, 2).data().toString(), QString());
    QVERIFY(!model.index(2, 1).data(PanelTableModel::ValueRole).isValid());
    QCOMPARE(model.index(2, 2).data(PanelTableModel::ValueRole).toDouble(), 11.0);
}

void TestPanelTableModel::headersAndDisplay()
{
    PanelTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    PanelData data = twoSeries();
    data.series[1].legend.clear();
    model.setPanelData(data);
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Time"));
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("read"));
    QCOMPARE(model.headerData(2, Qt::Horizontal).toString(), QStringLiteral("series 2"));
    QCOMPARE(model.headerData(0, Qt::Vertical).toInt(), 1);
    QCOMPARE(model.index(0, 0).data().toString(),
             QDateTime::fromMSecsSinceEpoch(T0).toString("yyyy-MM-dd HH:mm:ss"));
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("1.5"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setDecimals(2);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][2].value<QList<int>>(), QList<int>{Qt::DisplayRole});
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("1.50"));
    model.setDecimals(2);
    QCOMPARE(changed.size(), 1);
}

void TestPanelTableModel::resetsOnNewData()
{
    PanelTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setPanelData(twoSeries());
    PanelData one;
    one.series.push_back(series("only", {{T0, 1.0}}));
    model.setPanelData(one);
    QCOMPARE(reset.size(), 2);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), 2);
    model.setPanelData(twoSeries());
    QCOMPARE(model.rowCount(), 4);
}

void TestPanelTableModel::emptyData()
{
    PanelTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPanelData(PanelData{});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), 1);
    QCOMPARE(model.toCsv(), QStringLiteral("time\r\n"));
    PanelData noPoints;
    noPoints.series.push_back(series("a", {}));
    model.setPanelData(noPoints);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.toCsv(), QStringLiteral("time,a\r\n"));
}

void TestPanelTableModel::csvLayout()
{
    PanelTableModel model;
    model.setPanelData(twoSeries());
    const QString expected = "time,read,write\r\n" + iso(T0) + ",1.5,10\r\n" + iso(T0 + 1000) +
                             ",2,\r\n" + iso(T0 + 1500) + ",,11\r\n" + iso(T0 + 2000) +
                             ",2.5,12\r\n";
    QCOMPARE(model.toCsv(), expected);
    QVERIFY(iso(T0).endsWith("Z"));
}

void TestPanelTableModel::csvQuoting_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("plain") << "read"
                           << "read";
    QTest::newRow("comma") << "GET,POST"
                           << "\"GET,POST\"";
    QTest::newRow("quote") << R"(say "hi")"
                           << R"("say ""hi""")";
    QTest::newRow("newline") << "a\nb"
                             << "\"a\nb\"";
    QTest::newRow("carriage return") << "a\rb"
                                     << "\"a\rb\"";
    QTest::newRow("only a quote") << "\""
                                  << "\"\"\"\"";
    QTest::newRow("formula") << "=HYPERLINK(\"x\")"
                             << "\"'=HYPERLINK(\"\"x\"\")\"";
    QTest::newRow("plus") << "+1"
                          << "'+1";
    QTest::newRow("at") << "@cmd"
                        << "'@cmd";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("unicode") << "Größe ✓"
                             << "Größe ✓";
}

void TestPanelTableModel::csvQuoting()
{
    QFETCH(QString, text);
    QFETCH(QString, field);
    QCOMPARE(PanelTableModel::csvField(text), field);
}

void TestPanelTableModel::csvRoundTripsHostileLegends()
{
    PanelData data;
    const QStringList legends{"/v1/query, 200", "say \"hi\"", "multi\nline\r\nlegend", ",\",\n"};
    for (int i = 0; i < legends.size(); ++i)
        data.series.push_back(series(legends[i], {{T0, double(i)}, {T0 + 1000, i + 0.25}}));
    PanelTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPanelData(data);
    const QList<QStringList> rows = parseCsv(model.toCsv());
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0], QStringList{"time"} + legends);
    QCOMPARE(rows[1], (QStringList{iso(T0), "0", "1", "2", "3"}));
    QCOMPARE(rows[2], (QStringList{iso(T0 + 1000), "0.25", "1.25", "2.25", "3.25"}));
}

void TestPanelTableModel::csvSpecialValues()
{
    PanelData data;
    data.series.push_back(series("v", {{T0, std::numeric_limits<double>::quiet_NaN()},
                                       {T0 + 1, std::numeric_limits<double>::infinity()},
                                       {T0 + 2, -std::numeric_limits<double>::infinity()},
                                       {T0 + 3, 0.1 + 0.2},
                                       {T0 + 4, 1e-300}}));
    PanelTableModel model;
    model.setPanelData(data);
    const QList<QStringList> rows = parseCsv(model.toCsv());
    QCOMPARE(rows.size(), 6);
    QCOMPARE(rows[1][1], QStringLiteral("NaN"));
    QCOMPARE(rows[2][1], QStringLiteral("+Inf"));
    QCOMPARE(rows[3][1], QStringLiteral("-Inf"));
    QCOMPARE(rows[4][1].toDouble(), 0.1 + 0.2); // full precision survives
    QCOMPARE(rows[5][1].toDouble(), 1e-300);
    QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("+Inf"));
}

QTEST_GUILESS_MAIN(TestPanelTableModel)
#include "tst_paneltablemodel.moc"
