#include "backend/common/FieldExpectation.h"

#include <QTest>
#include <limits>

using namespace querydeck;

class TestFieldExpectation : public QObject
{
    Q_OBJECT

private slots:
    void integer();
    void number();
    void string();
    void oneOf();
};

void TestFieldExpectation::integer()
{
    QCOMPARE(FieldExpectation::integer(1, 4), QStringLiteral("an integer between 1 and 4"));
    QCOMPARE(FieldExpectation::integer(0, std::numeric_limits<int>::max()),
             QStringLiteral("an integer of at least 0"));
}

void TestFieldExpectation::number()
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    QCOMPARE(FieldExpectation::number(0, 1), QStringLiteral("a number between 0 and 1"));
    QCOMPARE(FieldExpectation::number(0, 100, true),
             QStringLiteral("a number greater than 0 and at most 100"));
    QCOMPARE(FieldExpectation::number(-inf, inf), QStringLiteral("a number"));
    QCOMPARE(FieldExpectation::number(0, inf), QStringLiteral("a number of at least 0"));
    QCOMPARE(FieldExpectation::number(0, inf, true), QStringLiteral("a number greater than 0"));
    QCOMPARE(FieldExpectation::number(-inf, 5), QStringLiteral("a number of at most 5"));
}

void TestFieldExpectation::string()
{
    QCOMPARE(FieldExpectation::string(10, false, false),
             QStringLiteral("a string of at most 10 characters without control characters"));
    QCOMPARE(FieldExpectation::string(10, true, true),
             QStringLiteral("a non-empty string of at most 10 characters without control "
                            "characters other than tabs and line breaks"));
}

void TestFieldExpectation::oneOf()
{
    QCOMPARE(FieldExpectation::oneOf({"a", "b"}), QStringLiteral("one of \"a\", \"b\""));
}

QTEST_GUILESS_MAIN(TestFieldExpectation)
#include "tst_fieldexpectation.moc"
