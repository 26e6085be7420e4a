// Prometheus rule files with the real promtool: `querydeck export-rules` of
// the default rules passes `promtool check rules`, the written unit tests in
// tests/data/promtool pass `promtool test rules` against that export, and the
// export-rules / import-rules commands' exit codes and messages.
#include "backend/alerting/AlertRuleJson.h"
#include "backend/promrules/PrometheusRuleExporter.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// configHome: where the console's alert-rules.json would be; by default
// nowhere, so an export takes the bundled rules whatever this machine holds.
Run run(const QString& program, const QStringList& args, const QString& workingDir = {},
        const QString& configHome = QStringLiteral("/nonexistent-querydeck-test"))
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    process.setProcessEnvironment(env);
    if (!workingDir.isEmpty())
        process.setWorkingDirectory(workingDir);
    process.start(program, args);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished(5000);
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

Run runQueryDeck(const QStringList& args)
{
    return run(QStringLiteral(QUERYDECK_BIN), args);
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

} // namespace

class TestPromtool : public QObject
{
    Q_OBJECT

    QString m_promtool;
    QTemporaryDir m_dir;

    QString rulesPath() const { return m_dir.filePath(QStringLiteral("rules.yml")); }

private slots:
    void initTestCase()
    {
        m_promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!m_promtool.isEmpty(), "promtool not found: install the Debian prometheus "
                                        "package (packaging/debian-packages.txt)");
        QVERIFY(m_dir.isValid());
        const Run exported = runQueryDeck({QStringLiteral("export-rules"), rulesPath()});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY2(exported.err.contains("10 rules written to"), exported.err.constData());
    }

    void checkDefaultRules()
    {
        const Run check =
            run(m_promtool, {QStringLiteral("check"), QStringLiteral("rules"), rulesPath()});
        QVERIFY2(check.exitCode == 0, (check.out + check.err).constData());
        QVERIFY2(check.out.contains("SUCCESS: 10 rules found"), check.out.constData());
    }

    void checkHostileRules()
    {
        AlertRule rule;
        rule.name = QStringLiteral("Hostile \"rule\": #1 — ✓ {{ x }}");
        rule.expression =
            QStringLiteral("sum by (le) (rate(x{a=~\"5\\d\\d\",b=\"it\x27s: #\"}[5m]))");
        rule.comparator = AlertComparator::LessOrEqual;
        rule.threshold = -0.125;
        rule.forMs = 61000;
        rule.keepFiringForMs = 300000;
        rule.labels = {{"team", "  ops: \"night\" #2\n"}, {"city", "Zürich {{value}} {{ .Bad"}};
        rule.summary =
            QStringLiteral("{{value}} <= {{threshold}} on {{labels.instance}} {{ end }}");
        rule.description = QStringLiteral("line 1\n  line 2 # no comment\n\n- dash\n\t\x01");
        rule.route = QStringLiteral("pager: night");
        rule.intervalMs = 2500;
        AlertRule keyword;
        keyword.name = QStringLiteral("yes");
        keyword.expression = QStringLiteral(R"(sum{job="a"} - (offset - 1))");
        const auto result = PrometheusRuleExporter::exportRules({rule, keyword});
        QCOMPARE(result.refused, QStringList());
        const QString path = m_dir.filePath(QStringLiteral("hostile.yml"));
        QVERIFY(writeFile(path, result.yaml));
        const Run check = run(m_promtool, {QStringLiteral("check"), QStringLiteral("rules"), path});
        QVERIFY2(check.exitCode == 0, (check.out + check.err + "\n" + result.yaml).constData());
        QVERIFY2(check.out.contains("SUCCESS: 2 rules found"), check.out.constData());
    }

    // The check above could not fail if promtool accepted anything.
    // Without --rules the export is what the console runs (the wizard's
    // edits), not the bundled defaults.
    void exportsTheConsoleRulesByDefault()
    {
        QTemporaryDir home;
        QVERIFY(QDir().mkpath(home.filePath(QStringLiteral("querydeck"))));
        std::vector<AlertRule> rules = AlertRuleJson::defaults();
        rules.at(0).threshold = 0.125;
        rules.pop_back();
        const QString live = home.filePath(QStringLiteral("querydeck/alert-rules.json"));
        QString error;
        QVERIFY2(AlertRuleJson::saveFile(live, rules, &error), qPrintable(error));
        const QString out = m_dir.filePath(QStringLiteral("live.yml"));
        const Run exported = run(QStringLiteral(QUERYDECK_BIN),
                                 {QStringLiteral("export-rules"), out}, {}, home.path());
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY2(exported.err.contains("exporting the console's rules in " + live.toUtf8()),
                 exported.err.constData());
        QVERIFY2(exported.err.contains("9 rules written to"), exported.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("0.125"));

        // A broken live file is an error naming it, not a silent fallback.
        QVERIFY(writeFile(live, "{not json"));
        const Run broken = run(QStringLiteral(QUERYDECK_BIN), {QStringLiteral("export-rules"), out},
                               {}, home.path());
        QCOMPARE(broken.exitCode, 2);
        QVERIFY2(broken.err.contains("alert-rules.json"), broken.err.constData());
    }

    void promtoolRefusesBrokenRules()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.yml"));
        QVERIFY(writeFile(path, "groups:\n  - name: g\n    rules:\n      - alert: A\n"
                                "        expr: sum(rate(x[5m]) > \n"));
        const Run check = run(m_promtool, {QStringLiteral("check"), QStringLiteral("rules"), path});
        QVERIFY(check.exitCode != 0);
    }

    void unitTests_data()
    {
        QTest::addColumn<QString>("file");
        const QDir data(QStringLiteral(QUERYDECK_TEST_DATA "/promtool"));
        const QStringList files = data.entryList({QStringLiteral("*.yml")}, QDir::Files);
        QVERIFY(files.size() >= 3);
        for (const QString& file : files)
            QTest::newRow(qPrintable(file)) << data.filePath(file);
    }

    void unitTests()
    {
        QFETCH(QString, file);
        // rule_files are read relative to the test file: put it next to the export.
        const QString copy = m_dir.filePath(QFileInfo(file).fileName());
        QFile::remove(copy);
        QVERIFY(QFile::copy(file, copy));
        const Run test =
            run(m_promtool, {QStringLiteral("test"), QStringLiteral("rules"), copy}, m_dir.path());
        QVERIFY2(test.exitCode == 0, (test.out + test.err).constData());
        QVERIFY2(test.out.contains("SUCCESS"), test.out.constData());
    }

    // A wrong expectation fails: the unit tests above really check the rules.
    void unitTestsCanFail()
    {
        QFile source(QStringLiteral(QUERYDECK_TEST_DATA "/promtool/queue-backlog.yml"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray text = source.readAll();
        QVERIFY(text.contains("(over 100)"));
        text.replace("(over 100)", "(over 99)");
        const QString path = m_dir.filePath(QStringLiteral("wrong.yml"));
        QVERIFY(writeFile(path, text));
        const Run test =
            run(m_promtool, {QStringLiteral("test"), QStringLiteral("rules"), path}, m_dir.path());
        QVERIFY(test.exitCode != 0);
    }

    void importRoundTrip()
    {
        const QString out = m_dir.filePath(QStringLiteral("imported.json"));
        const Run imported = runQueryDeck(
            {QStringLiteral("import-rules"), rulesPath(), QStringLiteral("--out"), out});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QVERIFY2(imported.err.contains("10 rules written to"), imported.err.constData());
        const AlertRuleJson::LoadResult loaded = AlertRuleJson::loadFile(out);
        QCOMPARE(loaded.errors, QStringList());
        QCOMPARE(loaded.value.size(), size_t(10));
        // And exporting what was imported gives the same file.
        const QString again = m_dir.filePath(QStringLiteral("again.yml"));
        QCOMPARE(
            runQueryDeck({QStringLiteral("export-rules"), again, QStringLiteral("--rules"), out})
                .exitCode,
            0);
        QFile a(rulesPath());
        QFile b(again);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("message");
        const QString dir = m_dir.path();
        QTest::newRow("export help")
            << QStringList{"export-rules", "--help"} << 0 << QByteArray("--rules <JSON>");
        QTest::newRow("import help")
            << QStringList{"import-rules", "--help"} << 0 << QByteArray("--out <JSON>");
        QTest::newRow("export without file")
            << QStringList{"export-rules"} << 2 << QByteArray("expected exactly one FILE");
        QTest::newRow("export unknown option") << QStringList{"export-rules", "x.yml", "--bogus"}
                                               << 2 << QByteArray("Unknown option 'bogus'");
        QTest::newRow("export bad rules json")
            << QStringList{"export-rules", dir + "/x.yml", "--rules", dir + "/bad.json"} << 2
            << QByteArray("rules[0].threshold");
        QTest::newRow("export to an unwritable place")
            << QStringList{"export-rules", "/nonexistent-dir/x.yml"} << 1
            << QByteArray("/nonexistent-dir/x.yml");
        QTest::newRow("import without --out") << QStringList{"import-rules", dir + "/rules.yml"}
                                              << 2 << QByteArray("--out JSON is required");
        QTest::newRow("import malformed yaml")
            << QStringList{"import-rules", dir + "/malformed.yml", "--out", dir + "/m.json"} << 2
            << QByteArray("malformed.yml: line 2, column 2: tab in indentation");
        QTest::newRow("import missing file")
            << QStringList{"import-rules", dir + "/missing.yml", "--out", dir + "/m.json"} << 2
            << QByteArray("missing.yml");
        QTest::newRow("import with an unsupported rule")
            << QStringList{"import-rules", dir + "/mixed.yml", "--out", dir + "/mixed.json"} << 1
            << QByteArray("line 6: rule \"Absent\": expr: \"absent(up)\" is not in QueryDeck's "
                          "expression language");
    }

    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, message);
        QVERIFY(writeFile(m_dir.filePath("bad.json"),
                          R"({"rules": [{"name": "A", "expr": "up", "threshold": "high"}]})"));
        QVERIFY(writeFile(m_dir.filePath("malformed.yml"), "groups:\n \t- name: g\n"));
        QVERIFY(writeFile(m_dir.filePath("mixed.yml"), "groups:\n  - name: g\n    rules:\n"
                                                       "      - alert: Up\n"
                                                       "        expr: up < 1\n"
                                                       "      - alert: Absent\n"
                                                       "        expr: absent(up) > 0\n"));
        const Run result = runQueryDeck(args);
        QVERIFY2(result.exitCode == exitCode, (result.out + result.err).constData());
        QVERIFY2((result.out + result.err).contains(message),
                 (result.out + result.err).constData());
    }

    void partialImportWritesTheRest()
    {
        const AlertRuleJson::LoadResult loaded =
            AlertRuleJson::loadFile(m_dir.filePath(QStringLiteral("mixed.json")));
        QCOMPARE(loaded.errors, QStringList());
        QCOMPARE(loaded.value.size(), size_t(1));
        QCOMPARE(loaded.value[0].name, QStringLiteral("Up"));
    }
};

QTEST_GUILESS_MAIN(TestPromtool)
#include "tst_promtool.moc"
