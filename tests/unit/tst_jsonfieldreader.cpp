#include "backend/common/JsonFieldReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <limits>

using namespace querydeck;

namespace {

QJsonObject parse(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

constexpr double kInf = std::numeric_limits<double>::infinity();

} // namespace

// The reading features the dashboards brought to JsonFieldReader: required
// fields, non-empty and multi-line strings, nullable numbers and the list
// mode that keeps the good entries. The config readers' tests cover the rest.
class TestJsonFieldReader : public QObject
{
    Q_OBJECT

private slots:
    void requireReportsOnlyAbsentFields();
    void nonEmptyStringRefusesBlank_data();
    void nonEmptyStringRefusesBlank();
    void multiLineTextAllowsLineBreaksOnly();
    void optionalDoubleAcceptsNull();
    void unboundedDoubleSaysANumber();
    void objectEntriesKeepTheGoodEntries();
    void objectEntriesCountLimits();
    void objectArrayStillRejectsTheWholeList();
    void warningsCarryThePath();
    void unknownKeysSuggestAfterListReads();
};

void TestJsonFieldReader::requireReportsOnlyAbsentFields()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(parse(R"({"a": null, "b": ""})"), QStringLiteral("top"), &diagnostics);
    QVERIFY(reader.require(QStringLiteral("a")));
    QVERIFY(reader.require(QStringLiteral("b")));
    QVERIFY(!reader.require(QStringLiteral("c")));
    QCOMPARE(diagnostics.errors, QStringList{QStringLiteral("top.c: is required")});
    reader.reportUnknownKeys();
    QVERIFY(diagnostics.warnings.isEmpty()); // require() marks the key as known
}

void TestJsonFieldReader::nonEmptyStringRefusesBlank_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // empty: accepted
    const QString expectation = QStringLiteral(
        "name: must be a non-empty string of at most 8 characters without control characters, "
        "got ");
    QTest::newRow("text") << QByteArray(R"({"name": "web"})") << QString();
    QTest::newRow("empty") << QByteArray(R"({"name": ""})") << expectation + R"("")";
    QTest::newRow("spaces") << QByteArray(R"({"name": "  "})") << expectation + R"("  ")";
    QTest::newRow("number") << QByteArray(R"({"name": 3})") << expectation + "3";
    QTest::newRow("too long") << QByteArray(R"({"name": "123456789"})")
                              << expectation + R"("123456789")";
    QTest::newRow("tab") << QByteArray(R"({"name": "a\tb"})") << expectation + R"("a\tb")";
}

void TestJsonFieldReader::nonEmptyStringRefusesBlank()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(QJsonDocument::fromJson(json).object(), {}, &diagnostics);
    QString out = QStringLiteral("default");
    const bool ok = reader.readNonEmptyString(QStringLiteral("name"), out, 8);
    QCOMPARE(ok, error.isEmpty());
    if (error.isEmpty()) {
        QCOMPARE(out, QStringLiteral("web"));
        QVERIFY(diagnostics.errors.isEmpty());
    } else {
        QCOMPARE(out, QStringLiteral("default")); // a rejected value leaves the default
        QCOMPARE(diagnostics.errors, QStringList{error});
    }
}

void TestJsonFieldReader::multiLineTextAllowsLineBreaksOnly()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(parse(R"j({"expr": "sum(\n\trate(x[5m]))", "bell": "a\u0007"})j"), {},
                           &diagnostics);
    QString expr;
    QVERIFY(reader.readNonEmptyString(QStringLiteral("expr"), expr, 100,
                                      JsonFieldReader::Text::MultiLine));
    QCOMPARE(expr, QStringLiteral("sum(\n\trate(x[5m]))"));
    QString bell;
    QVERIFY(
        !reader.readString(QStringLiteral("bell"), bell, 100, JsonFieldReader::Text::MultiLine));
    QCOMPARE(diagnostics.errors.size(), 1);
    QVERIFY2(diagnostics.errors[0].startsWith(
                 "bell: must be a string of at most 100 characters without control characters "
                 "other than tabs and line breaks, got "),
             qPrintable(diagnostics.errors[0]));

    // Single-line text (the default) still refuses a line break.
    QString single;
    QVERIFY(!reader.readString(QStringLiteral("expr"), single));
}

void TestJsonFieldReader::optionalDoubleAcceptsNull()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(parse(R"({"a": null, "b": 2.5, "c": "70", "d": 11})"), {}, &diagnostics);
    std::optional<double> a = 1.0;
    std::optional<double> b;
    std::optional<double> c = 3.0;
    std::optional<double> d;
    std::optional<double> absent = 4.0;
    QVERIFY(reader.readOptionalDouble(QStringLiteral("a"), a, -kInf, kInf));
    QVERIFY(!a);
    QVERIFY(reader.readOptionalDouble(QStringLiteral("b"), b, -kInf, kInf));
    QCOMPARE(b, std::optional<double>(2.5));
    QVERIFY(!reader.readOptionalDouble(QStringLiteral("c"), c, -kInf, kInf));
    QCOMPARE(c, std::optional<double>(3.0));
    QVERIFY(!reader.readOptionalDouble(QStringLiteral("d"), d, 0, 10));
    QVERIFY(reader.readOptionalDouble(QStringLiteral("absent"), absent, -kInf, kInf));
    QCOMPARE(absent, std::optional<double>(4.0));
    QCOMPARE(diagnostics.errors,
             (QStringList{QStringLiteral("c: must be a number or null, got \"70\""),
                          QStringLiteral("d: must be a number between 0 and "
                                         "10 or null, got 11")}));
}

void TestJsonFieldReader::unboundedDoubleSaysANumber()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(parse(R"({"min": "0", "low": -1})"), QStringLiteral("p"), &diagnostics);
    double min = 7;
    QVERIFY(!reader.readDouble(QStringLiteral("min"), min, -kInf, kInf));
    QCOMPARE(min, 7.0);
    double low = 0;
    QVERIFY(!reader.readDouble(QStringLiteral("low"), low, 0, kInf));
    QCOMPARE(diagnostics.errors,
             (QStringList{QStringLiteral("p.min: must be a number, got \"0\""),
                          QStringLiteral("p.low: must be a number of at least 0, got -1")}));
}

void TestJsonFieldReader::objectEntriesKeepTheGoodEntries()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(parse(R"({"rows": [{"n": 1}, 3, {"n": 2}, "x", {"n": 3}]})"), {},
                           &diagnostics);
    QList<JsonFieldReader> rows = reader.objectEntries(QStringLiteral("rows"), 1, 10);
    QCOMPARE(rows.size(), 3);
    QStringList paths;
    QList<int> values;
    for (JsonFieldReader& row : rows) {
        int n = 0;
        QVERIFY(row.readInt(QStringLiteral("n"), n, 0, 10));
        values << n;
        paths << row.pathOf(QStringLiteral("n"));
    }
    QCOMPARE(values, (QList<int>{1, 2, 3}));
    // Readers keep their index in the document, not in the returned list.
    QCOMPARE(paths, (QStringList{"rows[0].n", "rows[2].n", "rows[4].n"}));
    QCOMPARE(diagnostics.errors,
             (QStringList{QStringLiteral("rows[1]: must be an object, got 3"),
                          QStringLiteral("rows[3]: must be an object, got \"x\"")}));
}

void TestJsonFieldReader::objectEntriesCountLimits()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(parse(R"({"none": [], "many": [{}, {}, {}], "object": {}})"),
                           QStringLiteral("d"), &diagnostics);
    QVERIFY(reader.objectEntries(QStringLiteral("none"), 1, 10).isEmpty());
    QVERIFY(reader.objectEntries(QStringLiteral("many"), 0, 2).isEmpty());
    QVERIFY(reader.objectEntries(QStringLiteral("object"), 0, 2).isEmpty());
    QVERIFY(reader.objectEntries(QStringLiteral("absent"), 1, 2).isEmpty());
    QCOMPARE(diagnostics.errors,
             (QStringList{QStringLiteral("d.none: must hold at least 1 object, got 0"),
                          QStringLiteral("d.many: must hold at most 2 objects, got 3"),
                          QStringLiteral("d.object: must be an array of objects, got an object")}));
}

void TestJsonFieldReader::objectArrayStillRejectsTheWholeList()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(parse(R"({"rows": [{"n": 1}, 3, {"n": 2}]})"), {}, &diagnostics);
    bool ok = true;
    QVERIFY(reader.objectArray(QStringLiteral("rows"), 10, &ok).isEmpty());
    QVERIFY(!ok);
    QCOMPARE(diagnostics.errors, QStringList{QStringLiteral("rows[1]: must be an object, got 3")});
}

void TestJsonFieldReader::warningsCarryThePath()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(QJsonObject{}, QStringLiteral("rows[0].panels[1]"), &diagnostics);
    reader.addWarning({}, QStringLiteral("a gauge without min and max"));
    reader.addWarning(QStringLiteral("unit"), QStringLiteral("odd"));
    QCOMPARE(diagnostics.warnings,
             (QStringList{QStringLiteral("rows[0].panels[1]: a gauge without min and max"),
                          QStringLiteral("rows[0].panels[1].unit: odd")}));
}

void TestJsonFieldReader::unknownKeysSuggestAfterListReads()
{
    ConfigDiagnostics diagnostics;
    JsonFieldReader reader(parse(R"({"targets": [{"expr": "up", "legnd": "x"}]})"), {},
                           &diagnostics);
    for (JsonFieldReader& target : reader.objectEntries(QStringLiteral("targets"), 1, 10)) {
        QString expr;
        QString legend;
        target.readNonEmptyString(QStringLiteral("expr"), expr);
        target.readString(QStringLiteral("legend"), legend);
        target.reportUnknownKeys();
    }
    reader.reportUnknownKeys();
    QCOMPARE(diagnostics.warnings,
             QStringList{QStringLiteral("targets[0].legnd: unknown key, ignored (did you mean "
                                        "\"targets[0].legend\"?)")});
}

QTEST_GUILESS_MAIN(TestJsonFieldReader)
#include "tst_jsonfieldreader.moc"
