#include "backend/dashboards/DashboardLoader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

namespace {

// A valid one-row, one-panel document; tests break one thing in it.
QJsonObject validDocument()
{
    const QJsonObject target{{"expr", "sum(querydeck_cache_entries)"}, {"legend", "entries"}};
    const QJsonObject panel{
        {"id", "entries"},
        {"title", "Entries"},
        {"type", "stat"},
        {"targets", QJsonArray{target}},
        {"unit", "short"},
        {"thresholds", QJsonArray{QJsonObject{{"value", QJsonValue::Null}, {"color", "green"}},
                                  QJsonObject{{"value", 10}, {"color", "red"}}}},
        {"span", 2}};
    const QJsonObject row{{"title", "Cache"}, {"panels", QJsonArray{panel}}};
    return QJsonObject{{"uid", "test"}, {"title", "Test"}, {"rows", QJsonArray{row}}};
}

QByteArray toJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject withPanel(const std::function<void(QJsonObject&)>& edit)
{
    QJsonObject document = validDocument();
    QJsonArray rows = document["rows"].toArray();
    QJsonObject row = rows[0].toObject();
    QJsonArray panels = row["panels"].toArray();
    QJsonObject panel = panels[0].toObject();
    edit(panel);
    panels[0] = panel;
    row["panels"] = panels;
    rows[0] = row;
    document["rows"] = rows;
    return document;
}

QString joined(const QStringList& list)
{
    return list.join(QStringLiteral("\n"));
}

} // namespace

class TestDashboardLoader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void bundledDashboardsLoadWithoutErrors_data();
    void bundledDashboardsLoadWithoutErrors();
    void defaultDashboardHasTheFourRows();
    void validDocumentReadsEveryField();

    void badDocumentNamesThePath_data();
    void badDocumentNamesThePath();
    void reportsEveryProblemNotJustTheFirst();
    void unknownKeysAreWarnings();
    void badEntriesAreReportedAndTheRestLoads();
    void multiLineExpressionLoads();

    void missingFile();
    void oversizedFile();
    void notJson_data();
    void notJson();
    void hostileLongValueIsShortened();
};

void TestDashboardLoader::bundledDashboardsLoadWithoutErrors_data()
{
    QTest::addColumn<QString>("path");
    for (const QString& path : DashboardLoader::bundledDashboards())
        QTest::newRow(qPrintable(path)) << path;
}

void TestDashboardLoader::bundledDashboardsLoadWithoutErrors()
{
    QFETCH(QString, path);
    const DashboardLoadResult result = DashboardLoader::loadFile(path);
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(joined(result.warnings)));
    QVERIFY(!result.value.rows.empty());
    for (const RowDefinition& row : result.value.rows) {
        QVERIFY(!row.panels.empty());
        for (const PanelDefinition& panel : row.panels)
            QVERIFY2(!panel.targets.empty(), qPrintable(panel.id));
    }
}

void TestDashboardLoader::defaultDashboardHasTheFourRows()
{
    const DashboardDefinition dashboard = DashboardLoader::defaultDashboard();
    QStringList titles;
    QSet<QString> ids;
    int panels = 0;
    for (const RowDefinition& row : dashboard.rows) {
        titles << row.title;
        for (const PanelDefinition& panel : row.panels) {
            ids.insert(panel.id);
            ++panels;
        }
    }
    QCOMPARE(titles, (QStringList{"System Health", "Traffic", "Performance", "Cache"}));
    QCOMPARE(ids.size(), panels);
    QVERIFY(ids.contains("cpu"));
    QVERIFY(ids.contains("latency-p95"));

    // CPU: amber from 70, red from 80, as the issue asks.
    const PanelDefinition& cpu = dashboard.rows[0].panels[0];
    QCOMPARE(cpu.unit, QStringLiteral("percent"));
    QCOMPARE(cpu.thresholds.size(), std::size_t(3));
    QVERIFY(std::isinf(cpu.thresholds[0].value) && cpu.thresholds[0].value < 0);
    QCOMPARE(cpu.thresholds[1].value, 70.0);
    QCOMPARE(cpu.thresholds[1].color, QStringLiteral("amber"));
    QCOMPARE(cpu.thresholds[2].value, 80.0);
    QCOMPARE(cpu.thresholds[2].color, QStringLiteral("red"));
}

void TestDashboardLoader::validDocumentReadsEveryField()
{
    QJsonObject document = withPanel([](QJsonObject& panel) {
        panel["description"] = "what it shows";
        panel["decimals"] = 2;
        panel["min"] = 0;
        panel["max"] = 50.5;
        panel["type"] = "gauge";
    });
    QJsonArray rows = document["rows"].toArray();
    QJsonObject row = rows[0].toObject();
    row["collapsed"] = true;
    rows[0] = row;
    document["rows"] = rows;

    const DashboardLoadResult result = DashboardLoader::loadJson(toJson(document), "test.json");
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    QCOMPARE(result.value.uid, QStringLiteral("test"));
    QCOMPARE(result.value.title, QStringLiteral("Test"));
    QCOMPARE(result.value.rows.size(), std::size_t(1));
    QVERIFY(result.value.rows[0].collapsed);
    const PanelDefinition& panel = result.value.rows[0].panels.at(0);
    QCOMPARE(panel.id, QStringLiteral("entries"));
    QCOMPARE(panel.description, QStringLiteral("what it shows"));
    QCOMPARE(panel.type, PanelType::Gauge);
    QCOMPARE(panel.decimals, 2);
    QCOMPARE(panel.min, 0.0);
    QCOMPARE(panel.max, 50.5);
    QCOMPARE(panel.span, 2);
    QCOMPARE(panel.targets.at(0).expr, QStringLiteral("sum(querydeck_cache_entries)"));
    QCOMPARE(panel.targets.at(0).legend, QStringLiteral("entries"));
    QCOMPARE(panel.thresholds.at(1).value, 10.0);
}

void TestDashboardLoader::badDocumentNamesThePath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // a substring of one error

    auto panel = [](const std::function<void(QJsonObject&)>& edit) {
        return toJson(withPanel(edit));
    };

    QTest::newRow("unknown type") << panel([](QJsonObject& p) {
        p["type"] = "pie";
    }) << R"(rows[0].panels[0].type: must be one of "timeseries", "stat", "gauge", "table", got "pie")";
    QTest::newRow("type not a string") << panel([](QJsonObject& p) {
        p["type"] = 3;
    }) << R"(rows[0].panels[0].type: must be one of "timeseries", "stat", "gauge", "table", got 3)";
    QTest::newRow("missing id") << panel([](QJsonObject& p) { p.remove("id"); })
                                << "rows[0].panels[0].id: is required";
    QTest::newRow("empty title") << panel([](QJsonObject& p) {
        p["title"] = " ";
    }) << R"(rows[0].panels[0].title: must be a non-empty string of at most 4096 characters without control characters, got " ")";
    QTest::newRow("no targets") << panel([](QJsonObject& p) { p["targets"] = QJsonArray(); })
                                << "rows[0].panels[0].targets: must hold at least 1 object, got 0";
    QTest::newRow("targets missing") << panel([](QJsonObject& p) { p.remove("targets"); })
                                     << "rows[0].panels[0].targets: is required";
    QTest::newRow("target not an object")
        << panel([](QJsonObject& p) { p["targets"] = QJsonArray{"up"}; })
        << R"(rows[0].panels[0].targets[0]: must be an object, got "up")";
    QTest::newRow("empty expr") << panel([](QJsonObject& p) {
        p["targets"] = QJsonArray{QJsonObject{{"expr", ""}}};
    }) << R"(rows[0].panels[0].targets[0].expr: must be a non-empty string of at most 65536 characters without control characters other than tabs and line breaks, got "")";
    QTest::newRow("expression unbalanced") << panel([](QJsonObject& p) {
        p["targets"] = QJsonArray{QJsonObject{{"expr", "sum(rate(x[5m])"}}};
    }) << "rows[0].panels[0].targets[0].expr: ";
    QTest::newRow("expression unknown function") << panel([](QJsonObject& p) {
        p["targets"] = QJsonArray{QJsonObject{{"expr", "frobnicate(up)"}}};
    }) << R"x(rows[0].panels[0].targets[0].expr: )x";
    QTest::newRow("thresholds descending")
        << panel([](QJsonObject& p) {
               p["thresholds"] = QJsonArray{QJsonObject{{"value", 80}, {"color", "red"}},
                                            QJsonObject{{"value", 70}, {"color", "amber"}}};
           })
        << "rows[0].panels[0].thresholds[1].value: thresholds must be ascending: must be "
           "greater than 80 (the previous step), got 70";
    QTest::newRow("thresholds equal") << panel([](QJsonObject& p) {
        p["thresholds"] = QJsonArray{QJsonObject{{"value", 5}, {"color", "red"}},
                                     QJsonObject{{"value", 5}, {"color", "amber"}}};
    }) << "rows[0].panels[0].thresholds[1].value: thresholds must be ascending";
    QTest::newRow("null after first") << panel([](QJsonObject& p) {
        p["thresholds"] = QJsonArray{QJsonObject{{"value", 5}, {"color", "red"}},
                                     QJsonObject{{"value", QJsonValue::Null}, {"color", "amber"}}};
    }) << "rows[0].panels[0].thresholds[1].value: only the first threshold may be null";
    QTest::newRow("threshold value a string") << panel([](QJsonObject& p) {
        p["thresholds"] = QJsonArray{QJsonObject{{"value", "70"}, {"color", "red"}}};
    }) << R"(rows[0].panels[0].thresholds[0].value: must be a number or null, got "70")";
    QTest::newRow("unknown colour") << panel([](QJsonObject& p) {
        p["thresholds"] = QJsonArray{QJsonObject{{"value", 1}, {"color", "purple"}}};
    }) << R"(rows[0].panels[0].thresholds[0].color: unknown colour (expected green, amber, red, blue, grey or #rrggbb), got "purple")";
    QTest::newRow("short hex colour") << panel([](QJsonObject& p) {
        p["thresholds"] = QJsonArray{QJsonObject{{"value", 1}, {"color", "#fff"}}};
    }) << R"(rows[0].panels[0].thresholds[0].color: unknown colour)";
    QTest::newRow("span 0") << panel([](QJsonObject& p) { p["span"] = 0; })
                            << "rows[0].panels[0].span: must be an integer between 1 and 4, got 0";
    QTest::newRow("span 5") << panel([](QJsonObject& p) { p["span"] = 5; })
                            << "rows[0].panels[0].span: must be an integer between 1 and 4, got 5";
    QTest::newRow("span fraction")
        << panel([](QJsonObject& p) { p["span"] = 1.5; })
        << "rows[0].panels[0].span: must be an integer between 1 and 4, got 1.5";
    QTest::newRow("unknown unit") << panel([](QJsonObject& p) { p["unit"] = "furlongs"; })
                                  << R"(rows[0].panels[0].unit: must be one of "percent", )";
    QTest::newRow("decimals negative")
        << panel([](QJsonObject& p) { p["decimals"] = -2; })
        << "rows[0].panels[0].decimals: must be an integer between 0 and 10, got -2";
    QTest::newRow("min above max") << panel([](QJsonObject& p) {
        p["min"] = 10;
        p["max"] = 1;
    }) << "rows[0].panels[0].max: must be greater than min (10), got 1";
    QTest::newRow("min a string") << panel([](QJsonObject& p) { p["min"] = "0"; })
                                  << R"(rows[0].panels[0].min: must be a number, got "0")";

    {
        QJsonObject document = validDocument();
        QJsonArray rows = document["rows"].toArray();
        rows.append(rows[0]); // same panel id in a second row
        document["rows"] = rows;
        QTest::newRow("duplicate id")
            << toJson(document)
            << R"(rows[1].panels[0].id: duplicate panel id (first used at rows[0].panels[0]), got "entries")";
    }
    {
        QJsonObject document = validDocument();
        document["rows"] = QJsonArray();
        QTest::newRow("no rows") << toJson(document) << "rows: must hold at least 1 object, got 0";
    }
    {
        QJsonObject document = validDocument();
        document["rows"] = QJsonObject();
        QTest::newRow("rows an object")
            << toJson(document) << "rows: must be an array of objects, got an object";
    }
    {
        QJsonObject document = validDocument();
        document["rows"] = QJsonArray{QJsonObject{{"title", "Empty"}, {"panels", QJsonArray()}}};
        QTest::newRow("row without panels")
            << toJson(document) << "rows[0].panels: must hold at least 1 object, got 0";
    }
    {
        QJsonObject document = validDocument();
        QJsonArray rows = document["rows"].toArray();
        QJsonObject row = rows[0].toObject();
        row["collapsed"] = "yes";
        rows[0] = row;
        document["rows"] = rows;
        QTest::newRow("collapsed a string")
            << toJson(document) << R"(rows[0].collapsed: must be true or false, got "yes")";
    }
    {
        QJsonObject document = validDocument();
        document.remove("uid");
        QTest::newRow("missing uid") << toJson(document) << "uid: is required";
    }
    QTest::newRow("top-level array") << QByteArray("[]") << "the top level must be a JSON object";
}

void TestDashboardLoader::badDocumentNamesThePath()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const DashboardLoadResult result = DashboardLoader::loadJson(json, "bad.json");
    QVERIFY(!result.ok());
    bool found = false;
    for (const QString& error : result.errors)
        found = found || (error.startsWith("bad.json: ") && error.contains(expected));
    QVERIFY2(found, qPrintable("expected \"" + expected + "\" in:\n" + joined(result.errors)));
    if (expected.endsWith(".expr: ")) { // the parser's message, then the expression itself
        QVERIFY2(result.errors.size() == 1 && result.errors[0].contains(", got \"") &&
                     result.errors[0].size() > QString("bad.json: " + expected).size() + 10,
                 qPrintable(joined(result.errors)));
    }
}

void TestDashboardLoader::reportsEveryProblemNotJustTheFirst()
{
    const QJsonObject document = withPanel([](QJsonObject& p) {
        p["type"] = "pie";
        p["span"] = 9;
        p["unit"] = "parsecs";
    });
    const DashboardLoadResult result = DashboardLoader::loadJson(toJson(document));
    QCOMPARE(result.errors.size(), 3);
    QVERIFY(result.errors[0].contains("type"));
    QVERIFY(result.errors.filter("span").size() == 1);
    QVERIFY(result.errors.filter("unit").size() == 1);
}

void TestDashboardLoader::unknownKeysAreWarnings()
{
    QJsonObject document = withPanel([](QJsonObject& p) {
        p["colour"] = "red";
        p["targets"] = QJsonArray{QJsonObject{{"expr", "up"}, {"legnd", "x"}}};
    });
    document["refresh"] = "5s";
    const DashboardLoadResult result = DashboardLoader::loadJson(toJson(document));
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    QCOMPARE(result.warnings.size(), 3);
    QVERIFY(result.warnings.contains("refresh: unknown key, ignored"));
    QVERIFY(result.warnings.contains("rows[0].panels[0].colour: unknown key, ignored"));
    QVERIFY(result.warnings.contains("rows[0].panels[0].targets[0].legnd: unknown key, ignored "
                                     "(did you mean \"rows[0].panels[0].targets[0].legend\"?)"));
}

void TestDashboardLoader::badEntriesAreReportedAndTheRestLoads()
{
    QJsonObject document = withPanel([](QJsonObject& p) {
        p["targets"] = QJsonArray{"up", QJsonObject{{"expr", "sum(up)"}}};
        p["thresholds"] = QJsonArray{QJsonObject{{"value", QJsonValue::Null}, {"color", "green"}},
                                     7, QJsonObject{{"value", 10}, {"color", "red"}}};
    });
    QJsonArray rows = document["rows"].toArray();
    // A second row from the untouched document: one good panel, one bad.
    QJsonObject second = validDocument()["rows"].toArray()[0].toObject();
    QJsonObject unitless = second["panels"].toArray()[0].toObject();
    unitless["id"] = "other";
    unitless["unit"] = "furlongs";
    second["panels"] = QJsonArray{unitless, "not a panel"};
    rows.insert(0, 42);
    rows.append(second);
    document["rows"] = rows;

    const DashboardLoadResult result = DashboardLoader::loadJson(toJson(document));
    // Entries that are not objects are reported when their list is read,
    // before the problems inside the good entries of that list.
    QCOMPARE(result.errors,
             (QStringList{"rows[0]: must be an object, got 42",
                          "rows[1].panels[0].targets[0]: must be an object, got \"up\"",
                          "rows[1].panels[0].thresholds[1]: must be an object, got 7",
                          "rows[2].panels[1]: must be an object, got \"not a panel\"",
                          R"(rows[2].panels[0].unit: must be one of "percent", "percentunit", )"
                          R"("bytes", "bytes/s", "reqpm", "reqps", "ms", "s", "short", "none", )"
                          R"(got "furlongs")"}));
    // The good parts are still there, in order.
    QCOMPARE(result.value.rows.size(), std::size_t(2));
    const PanelDefinition& panel = result.value.rows[0].panels.at(0);
    QCOMPARE(panel.targets.size(), std::size_t(1));
    QCOMPARE(panel.targets[0].expr, QStringLiteral("sum(up)"));
    QCOMPARE(panel.thresholds.size(), std::size_t(2));
    QCOMPARE(panel.thresholds[1].value, 10.0);
    QCOMPARE(result.value.rows[1].panels.size(), std::size_t(1));
    QCOMPARE(result.value.rows[1].panels[0].id, QStringLiteral("other"));
}

void TestDashboardLoader::multiLineExpressionLoads()
{
    const QJsonObject document = withPanel([](QJsonObject& p) {
        p["targets"] = QJsonArray{QJsonObject{{"expr", "sum(\n\trate(x[5m]))"}}};
        p["description"] = "first line\nsecond line";
    });
    const DashboardLoadResult result = DashboardLoader::loadJson(toJson(document));
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    QCOMPARE(result.value.rows[0].panels[0].targets[0].expr,
             QStringLiteral("sum(\n\trate(x[5m]))"));
}

void TestDashboardLoader::missingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("absent.json");
    const DashboardLoadResult result = DashboardLoader::loadFile(path);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors[0].startsWith(path + ": cannot open"), qPrintable(result.errors[0]));
}

void TestDashboardLoader::oversizedFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("huge.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Valid JSON, just too big: the size check must come before parsing.
    QByteArray json = toJson(validDocument());
    json.insert(1, "\"pad\":\"" + QByteArray(DashboardLoader::MaxFileBytes, 'x') + "\",");
    file.write(json);
    file.close();
    const DashboardLoadResult result = DashboardLoader::loadFile(path);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors[0].contains("over the 1048576-byte limit"),
             qPrintable(result.errors[0]));

    const DashboardLoadResult direct = DashboardLoader::loadJson(json, "inline");
    QVERIFY(!direct.ok());
    QVERIFY(direct.errors[0].contains("over the 1048576-byte limit"));
}

void TestDashboardLoader::notJson_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("truncated") << toJson(validDocument()).chopped(5);
    QTest::newRow("yaml") << QByteArray("uid: test\ntitle: Test\n");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4);
}

void TestDashboardLoader::notJson()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const QString path = dir.filePath("broken.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    const DashboardLoadResult result = DashboardLoader::loadFile(path);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors[0].startsWith(path + ": not valid JSON at offset "),
             qPrintable(result.errors[0]));
}

void TestDashboardLoader::hostileLongValueIsShortened()
{
    const QString longType(100000, QChar('p'));
    const QJsonObject document = withPanel([&](QJsonObject& p) { p["type"] = longType; });
    const DashboardLoadResult result = DashboardLoader::loadJson(toJson(document));
    QCOMPARE(result.errors.size(), 1);
    QVERIFY(result.errors[0].startsWith("rows[0].panels[0].type: must be one of"));
    QVERIFY2(result.errors[0].size() < 200, qPrintable(result.errors[0]));
}

QTEST_GUILESS_MAIN(TestDashboardLoader)
#include "tst_dashboardloader.moc"
