#include "backend/common/KeySuggester.h"

#include <QTest>

using namespace querydeck;

class TestKeySuggester : public QObject
{
    Q_OBJECT

private slots:
    void suggest_data();
    void suggest();
    void editDistanceCountsSwapsAsOne();
};

void TestKeySuggester::suggest_data()
{
    QTest::addColumn<QString>("unknown");
    QTest::addColumn<QString>("expected"); // empty: no suggestion
    QTest::newRow("typo") << "legnd"
                          << "legend";
    QTest::newRow("swap") << "prot"
                          << "port";
    QTest::newRow("case and separators") << "Max-Items"
                                         << "max_items";
    QTest::newRow("too far") << "colour"
                             << "";
    QTest::newRow("short keys need one edit") << "ab"
                                              << "";
    QTest::newRow("tie goes to the first in order") << "pors"
                                                    << "port";
}

void TestKeySuggester::suggest()
{
    QFETCH(QString, unknown);
    QFETCH(QString, expected);
    const QSet<QString> known{"legend", "port", "post", "max_items", "unit", "span", "xy"};
    QCOMPARE(KeySuggester::suggest(unknown, known), expected);
}

void TestKeySuggester::editDistanceCountsSwapsAsOne()
{
    QCOMPARE(KeySuggester::editDistance("prot", "port"), 1);
    QCOMPARE(KeySuggester::editDistance("", "abc"), 3);
    QCOMPARE(KeySuggester::editDistance("same", "same"), 0);
    QCOMPARE(KeySuggester::editDistance("kitten", "sitting"), 3);
}

QTEST_GUILESS_MAIN(TestKeySuggester)
#include "tst_keysuggester.moc"
