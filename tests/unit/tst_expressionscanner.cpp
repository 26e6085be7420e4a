#include "backend/metrics/ExpressionScanner.h"

#include <QTest>

using namespace querydeck;

// The character-level reader under ExpressionParser: each read moves the
// cursor past what it consumed, and the first error is the one kept.
class TestExpressionScanner : public QObject
{
    Q_OBJECT

private slots:
    void identifiersAndSpaces()
    {
        const QString text = QStringLiteral("  job:rate_5m{");
        ExpressionScanner scan(text);
        QVERIFY(scan.identifier().isEmpty()); // a space is not an identifier
        QCOMPARE(scan.pos(), 0);
        scan.skipSpaces();
        QCOMPARE(scan.identifier(), QStringLiteral("job:rate_5m"));
        QCOMPARE(scan.peek(), QChar(u'{'));
        QCOMPARE(scan.describeHere(), QStringLiteral("'{'"));
        scan.advance();
        QVERIFY(scan.atEnd());
        QCOMPARE(scan.describeHere(), QStringLiteral("end of input"));
    }

    void numbers_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("value");
        QTest::addColumn<int>("end");
        QTest::newRow("integer") << "42 " << 42.0 << 2;
        QTest::newRow("fraction") << ".5)" << 0.5 << 2;
        QTest::newRow("exponent") << "1.5e-3" << 0.0015 << 6;
    }
    void numbers()
    {
        QFETCH(QString, text);
        QFETCH(double, value);
        QFETCH(int, end);
        ExpressionScanner scan(text);
        double read = 0;
        QVERIFY2(scan.readNumber(read), qPrintable(scan.error()));
        QCOMPARE(read, value);
        QCOMPARE(scan.pos(), end);
    }

    void badNumberNamesItsStart()
    {
        const QString text = QStringLiteral("x + 12ab");
        ExpressionScanner scan(text);
        scan.seek(4);
        double read = 0;
        QVERIFY(!scan.readNumber(read));
        QCOMPARE(scan.error(), QStringLiteral("at 4: invalid number '12a'"));
    }

    void strings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("value");
        QTest::newRow("double quotes") << QString("\"a\\\"b\"") << QString("a\"b");
        QTest::newRow("single quotes") << QString("'x\\ty'") << QString("x\ty");
        QTest::newRow("regex escape kept") << QString("\"\\d+\\.\"") << QString("\\d+\\.");
    }
    void strings()
    {
        QFETCH(QString, text);
        QFETCH(QString, value);
        ExpressionScanner scan(text);
        QString read;
        QVERIFY2(scan.readString(read), qPrintable(scan.error()));
        QCOMPARE(read, value);
        QVERIFY(scan.atEnd());
    }

    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("error");
        QTest::newRow("ms") << "250ms" << qint64(250) << QString();
        QTest::newRow("compound") << " 1h30m" << qint64(5'400'000) << QString();
        QTest::newRow("no unit") << "5" << qint64(0) << "at 1: expected a duration unit";
        QTest::newRow("zero") << "0s" << qint64(0) << "at 0: expected a positive duration";
        QTest::newRow("too large") << "293y" << qint64(0) << "at 0: duration too large (at most";
    }
    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        QFETCH(QString, error);
        ExpressionScanner scan(text);
        qint64 read = -1;
        const bool ok = scan.readDuration(read);
        QCOMPARE(ok, error.isEmpty());
        if (ok)
            QCOMPARE(read, ms);
        else
            QVERIFY2(scan.error().startsWith(error), qPrintable(scan.error()));
    }

    void firstErrorWinsAndResetClears()
    {
        const QString text = QStringLiteral("(a");
        ExpressionScanner scan(text);
        scan.advance(2);
        QVERIFY(!scan.expect(u')', QStringLiteral("to close the parenthesis")));
        QVERIFY(!scan.failAt(0, QStringLiteral("later")));
        QCOMPARE(scan.error(),
                 QStringLiteral("at 2: expected ')' to close the parenthesis, found end of input"));
        scan.reset();
        QCOMPARE(scan.pos(), 0);
        QVERIFY(scan.error().isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestExpressionScanner)
#include "tst_expressionscanner.moc"
