#include "app/Commands.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/promrules/PrometheusRuleExporter.h"
#include "backend/promrules/PrometheusRuleImporter.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <cstdio>

namespace querydeck {

namespace {

// Parses the command line; 0 to go on, else the exit code (help printed,
// or bad usage reported).
int parseCommand(QCommandLineParser& parser, const QStringList& arguments, const char* command)
{
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "querydeck %s: %s\n", command, qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(
                       QLatin1String("[options]"),
                       QStringLiteral("%1 [options]").arg(QLatin1String(command)))),
                   stdout);
        return -1;
    }
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "querydeck %s: expected exactly one FILE (see --help)\n", command);
        return 2;
    }
    return 0;
}

void printAll(const char* command, const QStringList& lines)
{
    for (const QString& line : lines)
        std::fprintf(stderr, "querydeck %s: %s\n", command, qPrintable(line));
}

} // namespace

int runExportRules(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write the alert rules as a Prometheus alerting rules file (for rule_files; passes "
        "`promtool check rules`). One group per evaluation interval. Disabled rules and rules "
        "whose expression has no PromQL equivalent are left out and listed on stderr (exit 1)."));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("The rules file to write (YAML), replaced "
                                                "atomically; - for stdout."));
    QCommandLineOption rulesOption(QStringLiteral("rules"),
                                   QStringLiteral("QueryDeck rule set (JSON) to export. Default: "
                                                  "the console's alert-rules.json (the rules the "
                                                  "threshold wizard edits) when it exists, else "
                                                  "the bundled default rules."),
                                   QStringLiteral("JSON"));
    parser.addOption(rulesOption);
    if (const int code = parseCommand(parser, arguments, "export-rules"); code != 0)
        return code < 0 ? 0 : code;

    // --rules, else the rules the console runs and the threshold wizard
    // edits, else the bundled defaults.
    std::vector<AlertRule> rules = AlertRuleJson::defaults();
    QString source = parser.value(rulesOption);
    if (!parser.isSet(rulesOption) && QFileInfo::exists(AlertRuleJson::defaultConsoleFile())) {
        source = AlertRuleJson::defaultConsoleFile();
        std::fprintf(stderr, "querydeck export-rules: exporting the console's rules in %s\n",
                     qPrintable(source));
    }
    if (!source.isEmpty()) {
        const AlertRuleJson::LoadResult loaded = AlertRuleJson::loadFile(source);
        const auto withPath = [&source](const QStringList& lines) {
            QStringList named;
            for (const QString& line : lines)
                named << source + QStringLiteral(": ") + line;
            return named;
        };
        if (!loaded.errors.isEmpty()) {
            printAll("export-rules", withPath(loaded.errors));
            return 2;
        }
        printAll("export-rules", withPath(loaded.warnings));
        rules = loaded.value;
    }
    const QString path = parser.positionalArguments().first();
    PrometheusRuleExporter::Result result;
    if (path == QLatin1String("-")) {
        result = PrometheusRuleExporter::exportRules(rules);
        std::fwrite(result.yaml.constData(), 1, size_t(result.yaml.size()), stdout);
    } else {
        result = PrometheusRuleExporter::exportToFile(rules, path);
        if (!result.writeError.isEmpty()) {
            std::fprintf(stderr, "querydeck export-rules: %s\n", qPrintable(result.writeError));
            return 1;
        }
        std::fprintf(stderr, "querydeck export-rules: %d rules written to %s\n", result.exported,
                     qPrintable(path));
    }
    printAll("export-rules", result.refused);
    return result.refused.isEmpty() ? 0 : 1;
}

int runImportRules(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Read a Prometheus alerting rules file into a QueryDeck rule set (JSON). Rules of the "
        "shape `<expression> <op> <number>` in QueryDeck's expression language are imported; "
        "each other rule is listed on stderr with the reason (exit 1)."));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("The Prometheus rules file (YAML) to read."));
    QCommandLineOption outOption(QStringLiteral("out"),
                                 QStringLiteral("The QueryDeck rule set to write (required), "
                                                "replaced atomically."),
                                 QStringLiteral("JSON"));
    parser.addOption(outOption);
    if (const int code = parseCommand(parser, arguments, "import-rules"); code != 0)
        return code < 0 ? 0 : code;
    if (!parser.isSet(outOption) || parser.value(outOption).isEmpty()) {
        std::fprintf(stderr, "querydeck import-rules: --out JSON is required\n");
        return 2;
    }

    const PrometheusRuleImporter::Result result =
        PrometheusRuleImporter::importFile(parser.positionalArguments().first());
    if (!result.errors.isEmpty()) {
        printAll("import-rules", result.errors);
        return 2;
    }
    printAll("import-rules", result.notes);
    printAll("import-rules", result.skipped);
    if (result.rules.empty()) {
        std::fprintf(stderr,
                     "querydeck import-rules: no rule could be imported; nothing written\n");
        return 1;
    }
    QString error;
    if (!AlertRuleJson::saveFile(parser.value(outOption), result.rules, &error)) {
        std::fprintf(stderr, "querydeck import-rules: %s\n", qPrintable(error));
        return 1;
    }
    std::fprintf(stderr, "querydeck import-rules: %d rules written to %s\n",
                 int(result.rules.size()), qPrintable(parser.value(outOption)));
    return result.skipped.isEmpty() ? 0 : 1;
}

} // namespace querydeck
