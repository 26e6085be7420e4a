#include "backend/dashboards/UnitFormat.h"

#include <QTest>
#include <limits>

using namespace querydeck;

class TestUnitFormat : public QObject
{
    Q_OBJECT

private slots:
    void format_data();
    void format();
    void axisLabelsShareScaleAndDecimals_data();
    void axisLabelsShareScaleAndDecimals();
    void niceTicksCoverRange_data();
    void niceTicksCoverRange();
    void niceTicksRejectNonFinite();
};

void TestUnitFormat::format_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<QString>("expected");

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();

    QTest::newRow("percent auto") << 63.27 << "percent" << -1 << "63.3%";
    QTest::newRow("percent integer") << 63.0 << "percent" << -1 << "63%";
    QTest::newRow("percent fixed") << 63.0 << "percent" << 1 << "63.0%";
    QTest::newRow("percent small") << 0.5 << "percent" << -1 << "0.5%";
    QTest::newRow("percentunit") << 0.934 << "percentunit" << -1 << "93.4%";
    QTest::newRow("percentunit fixed") << 0.5 << "percentunit" << 2 << "50.00%";
    QTest::newRow("bytes small") << 512.0 << "bytes" << -1 << "512 B";
    QTest::newRow("bytes zero") << 0.0 << "bytes" << -1 << "0 B";
    QTest::newRow("KiB") << 1536.0 << "bytes" << -1 << "1.5 KiB";
    QTest::newRow("MiB") << 5.0 * 1024 * 1024 << "bytes" << -1 << "5 MiB";
    QTest::newRow("GiB fixed") << 1.25 * 1024 * 1024 * 1024 << "bytes" << 1 << "1.3 GiB";
    QTest::newRow("bytes carry to next rung") << 1023.9 << "bytes" << -1 << "1 KiB";
    QTest::newRow("bytes negative") << -2048.0 << "bytes" << -1 << "-2 KiB";
    QTest::newRow("bytes/s") << 3.5 * 1024 * 1024 << "bytes/s" << -1 << "3.5 MiB/s";
    QTest::newRow("reqpm") << 340.0 << "reqpm" << -1 << "340 req/min";
    QTest::newRow("reqpm thousands") << 12345.0 << "reqpm" << -1 << "12.3k req/min";
    QTest::newRow("reqps") << 12.5 << "reqps" << -1 << "12.5 req/s";
    QTest::newRow("ms") << 850.0 << "ms" << -1 << "850 ms";
    QTest::newRow("ms to s") << 1520.0 << "ms" << -1 << "1.52 s";
    QTest::newRow("ms to min") << 126000.0 << "ms" << -1 << "2.1 min";
    QTest::newRow("ms to h") << 2.0 * 3600000 << "ms" << -1 << "2 h";
    QTest::newRow("ms sub") << 0.25 << "ms" << -1 << "250 µs";
    QTest::newRow("ms zero") << 0.0 << "ms" << -1 << "0 ms";
    QTest::newRow("s to ms") << 0.85 << "s" << -1 << "850 ms";
    QTest::newRow("s") << 1.52 << "s" << -1 << "1.52 s";
    QTest::newRow("s to min") << 126.0 << "s" << -1 << "2.1 min";
    QTest::newRow("s zero") << 0.0 << "s" << -1 << "0 s";
    QTest::newRow("s fixed") << 1.5 << "s" << 0 << "2 s";
    QTest::newRow("short") << 1200.0 << "short" << -1 << "1.2k";
    QTest::newRow("short M") << 3.4e6 << "short" << -1 << "3.4M";
    QTest::newRow("short B") << 7.25e9 << "short" << -1 << "7.25B";
    QTest::newRow("short plain") << 42.0 << "short" << -1 << "42";
    QTest::newRow("short carry") << 999999.0 << "short" << -1 << "1M";
    QTest::newRow("none") << 3.14159 << "none" << -1 << "3.14";
    QTest::newRow("none fixed") << 3.14159 << "none" << 4 << "3.1416";
    QTest::newRow("empty unit") << 7.0 << "" << -1 << "7";
    QTest::newRow("unknown unit suffix") << 7.0 << "widgets" << -1 << "7 widgets";
    QTest::newRow("tiny rounds to zero") << 0.00001 << "none" << -1 << "0";
    QTest::newRow("negative rounds to zero") << -0.00001 << "percent" << -1 << "0%";
    QTest::newRow("NaN") << nan << "percent" << -1 << "No data";
    QTest::newRow("NaN no unit") << nan << "" << 2 << "No data";
    QTest::newRow("+Inf") << inf << "ms" << -1 << "∞";
    QTest::newRow("-Inf") << -inf << "bytes" << -1 << "-∞";
    QTest::newRow("huge decimals clamped") << 1.0 << "none" << 400 << "1.000000000000";
}

void TestUnitFormat::format()
{
    QFETCH(double, value);
    QFETCH(QString, unit);
    QFETCH(int, decimals);
    QFETCH(QString, expected);
    QCOMPARE(UnitFormat::format(value, unit, decimals), expected);
}

void TestUnitFormat::axisLabelsShareScaleAndDecimals_data()
{
    QTest::addColumn<QList<double>>("ticks");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("percent") << QList<double>{0, 20, 40, 60} << "percent"
                             << QStringList{"0%", "20%", "40%", "60%"};
    QTest::newRow("halves") << QList<double>{0, 0.5, 1, 1.5} << "none"
                            << QStringList{"0.0", "0.5", "1.0", "1.5"};
    QTest::newRow("bytes common scale")
        << QList<double>{0, 512.0 * 1024, 1024.0 * 1024, 1536.0 * 1024} << "bytes"
        << QStringList{"0.0 MiB", "0.5 MiB", "1.0 MiB", "1.5 MiB"};
    QTest::newRow("latency seconds")
        << QList<double>{0, 0.25, 0.5} << "s" << QStringList{"0 ms", "250 ms", "500 ms"};
    QTest::newRow("negative") << QList<double>{-10, 0, 10} << "short"
                              << QStringList{"-10", "0", "10"};
    QTest::newRow("thousands") << QList<double>{0, 1000, 2000} << "reqpm"
                               << QStringList{"0 req/min", "1k req/min", "2k req/min"};
    QTest::newRow("empty") << QList<double>{} << "short" << QStringList{};
}

void TestUnitFormat::axisLabelsShareScaleAndDecimals()
{
    QFETCH(QList<double>, ticks);
    QFETCH(QString, unit);
    QFETCH(QStringList, expected);
    QCOMPARE(UnitFormat::axisLabels(ticks, unit), expected);
}

void TestUnitFormat::niceTicksCoverRange_data()
{
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QList<double>>("expected");

    QTest::newRow("percent") << 0.0 << 100.0 << 6 << "percent"
                             << QList<double>{0, 20, 40, 60, 80, 100};
    QTest::newRow("odd range") << 3.0 << 97.0 << 5 << "none" << QList<double>{25, 50, 75};
    QTest::newRow("binary bytes") << 0.0 << 2048.0 * 1024 * 1024 << 5 << "bytes"
                                  << QList<double>{0, 512.0 * 1024 * 1024, 1024.0 * 1024 * 1024,
                                                   1536.0 * 1024 * 1024, 2048.0 * 1024 * 1024};
    QTest::newRow("reversed") << 10.0 << 0.0 << 3 << "none" << QList<double>{0, 5, 10};
    QTest::newRow("flat") << 4.0 << 4.0 << 5 << "none" << QList<double>{4};
    // A step wider than the range brackets it rather than leaving one label.
    QTest::newRow("narrow bytes/s") << 0.0 << 1500.0 << 2 << "bytes/s" << QList<double>{0, 2048};
    QTest::newRow("between two ticks") << 3.0 << 4.0 << 2 << "none" << QList<double>{3, 4};
    QTest::newRow("above zero") << 1030.0 << 1100.0 << 2 << "none" << QList<double>{1000, 1100};
}

void TestUnitFormat::niceTicksCoverRange()
{
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(int, maxTicks);
    QFETCH(QString, unit);
    QFETCH(QList<double>, expected);
    const QList<double> ticks = UnitFormat::niceTicks(min, max, maxTicks, unit);
    QCOMPARE(ticks.size(), expected.size());
    for (int i = 0; i < ticks.size(); ++i)
        QVERIFY2(qFuzzyCompare(1.0 + ticks[i], 1.0 + expected[i]),
                 qPrintable(QString("tick %1: %2 != %3").arg(i).arg(ticks[i]).arg(expected[i])));
}

void TestUnitFormat::niceTicksRejectNonFinite()
{
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QVERIFY(UnitFormat::niceTicks(0, inf, 5, "none").isEmpty());
    QVERIFY(UnitFormat::niceTicks(nan, 1, 5, "none").isEmpty());
    QVERIFY(UnitFormat::niceTicks(0, 1, 1, "none").isEmpty());
}

QTEST_GUILESS_MAIN(TestUnitFormat)
#include "tst_unitformat.moc"
