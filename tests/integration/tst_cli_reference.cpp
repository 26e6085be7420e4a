// The command-line reference stays true to the program: every option that a
// `--help` prints is documented in the README's "## Command line" section and
// in the man page, every option those document exists, and the commands match.
// Commands and help pages are discovered from `querydeck --help` itself, so a
// new command or option only needs its help text and the two documents.
#include "ProgramRun.h"

#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using querydeck::test::ProgramRun;
using querydeck::test::runProgram;

namespace {

// One help page: its name ("querydeck", "serve", "--help-console") and the
// long options it prints, each with its value name ("" for a switch).
struct HelpPage
{
    QString name;
    QMap<QString, QString> options;
};

ProgramRun runQueryDeck(const QStringList& args)
{
    return runProgram(QStringLiteral(QUERYDECK_BIN), args,
                      {QStringLiteral("XDG_CONFIG_HOME=/nonexistent-querydeck-test")});
}

// Option lines of QCommandLineParser and of the top-level usage are indented
// by exactly two spaces; continuation lines are indented further.
QMap<QString, QString> optionsOf(const QString& help)
{
    static const QRegularExpression line(
        QStringLiteral("^  (?:-\\S, )*(--[a-z][a-z0-9-]*)(?: <([^>]+)>)?(?:\\s|$)"),
        QRegularExpression::MultilineOption);
    QMap<QString, QString> options;
    for (const auto& match : line.globalMatch(help))
        options.insert(match.captured(1), match.captured(2));
    return options;
}

// The names listed under "Commands:" in `querydeck --help`, "(none)" excluded.
QStringList commandsOf(const QString& help)
{
    const qsizetype start = help.indexOf(QLatin1String("\nCommands:\n"));
    if (start < 0)
        return {};
    const qsizetype end = help.indexOf(QLatin1String("\n\n"), start + 1);
    static const QRegularExpression line(QStringLiteral("^  ([a-z][a-z0-9-]*)\\b"),
                                         QRegularExpression::MultilineOption);
    QStringList commands;
    for (const auto& match : line.globalMatch(help.mid(start, end - start)))
        commands << match.captured(1);
    return commands;
}

// Every `--name` token in a text, whole words only (--log is not --log-level).
QSet<QString> optionTokens(const QString& text)
{
    static const QRegularExpression token(QStringLiteral("(?<![\\w-])(--[a-z][a-z0-9-]*)"));
    QSet<QString> tokens;
    for (const auto& match : token.globalMatch(text))
        tokens.insert(match.captured(1));
    return tokens;
}

QString readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// The README text from "## Command line" up to the next second-level heading.
QString commandLineSection()
{
    const QString readme = readFile(QStringLiteral(QUERYDECK_SOURCE_DIR "/README.md"));
    const qsizetype start = readme.indexOf(QLatin1String("\n## Command line\n"));
    if (start < 0)
        return {};
    const qsizetype end = readme.indexOf(QLatin1String("\n## "), start + 1);
    return readme.mid(start, end < 0 ? -1 : end - start);
}

// First cells of the Markdown table rows in a text (header and rule rows included).
QStringList firstTableCells(const QString& text)
{
    static const QRegularExpression row(QStringLiteral("^\\|([^|]*)\\|"),
                                        QRegularExpression::MultilineOption);
    QStringList cells;
    for (const auto& match : row.globalMatch(text))
        cells << match.captured(1).trimmed();
    return cells;
}

// The man page as plain text: roff escapes for '-' and fonts removed.
QString manPageText()
{
    QString text = readFile(QStringLiteral(QUERYDECK_SOURCE_DIR "/packaging/querydeck.1"));
    text.replace(QLatin1String("\\-"), QLatin1String("-"));
    static const QRegularExpression font(QStringLiteral("\\\\f(?:[BIRP]|\\[[A-Z]*\\])"));
    text.remove(font);
    return text;
}

} // namespace

class CliReferenceTest : public QObject
{
    Q_OBJECT

    QList<HelpPage> m_pages;
    QStringList m_commands;

    const HelpPage* pageWith(const QString& option) const
    {
        for (const HelpPage& page : m_pages)
            if (page.options.contains(option))
                return &page;
        return nullptr;
    }

    void addOptionRows() const
    {
        QTest::addColumn<QString>("option");
        QSet<QString> seen;
        for (const HelpPage& page : m_pages)
            for (const QString& option : page.options.keys())
                if (!seen.contains(option)) {
                    seen.insert(option);
                    QTest::newRow(qPrintable(page.name + QLatin1Char(' ') + option)) << option;
                }
    }

private slots:
    void initTestCase()
    {
        const ProgramRun top = runQueryDeck({QStringLiteral("--help")});
        QVERIFY2(top.exitCode == 0, qPrintable(top.describe()));
        const QString topHelp = QString::fromUtf8(top.out);
        m_pages.append({QStringLiteral("querydeck"), optionsOf(topHelp)});
        m_commands = commandsOf(topHelp);
        QVERIFY2(m_commands.contains(QLatin1String("serve")), qPrintable(topHelp));

        QList<QStringList> helpCalls;
        for (const QString& command : std::as_const(m_commands))
            helpCalls.append({command, QStringLiteral("--help")});
        // Further help pages the top level offers, e.g. --help-console.
        for (const QString& option : m_pages.first().options.keys())
            if (option.startsWith(QLatin1String("--help-")))
                helpCalls.append({option});
        for (const QStringList& call : std::as_const(helpCalls)) {
            const ProgramRun run = runQueryDeck(call);
            QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
            const QMap<QString, QString> options = optionsOf(QString::fromUtf8(run.out));
            QVERIFY2(options.size() >= 2, qPrintable(run.describe()));
            m_pages.append({call.first(), options});
        }
        QVERIFY2(!commandLineSection().isEmpty(), "README.md has no \"## Command line\" section");
    }

    void everyHelpOptionIsInTheReadme_data() { addOptionRows(); }
    void everyHelpOptionIsInTheReadme()
    {
        QFETCH(QString, option);
        QVERIFY2(optionTokens(commandLineSection()).contains(option),
                 qPrintable(QStringLiteral("%1 is printed by --help but missing from README.md "
                                           "\"## Command line\"")
                                .arg(option)));
    }

    // Each option in a table's first column exists, with the value name the
    // help prints (`--port PORT` for `--port <PORT>`).
    void everyReadmeTableOptionExists()
    {
        static const QRegularExpression code(QStringLiteral("`([^`]*)`"));
        static const QRegularExpression option(
            QStringLiteral("(?<![\\w-])(--[a-z][a-z0-9-]*)(?: ([A-Za-z][\\w]*))?"));
        int checked = 0;
        for (const QString& cell : firstTableCells(commandLineSection())) {
            for (const auto& span : code.globalMatch(cell)) {
                for (const auto& match : option.globalMatch(span.captured(1))) {
                    const QString name = match.captured(1);
                    const HelpPage* page = pageWith(name);
                    QVERIFY2(page, qPrintable(QStringLiteral("README.md documents %1, which no "
                                                             "--help prints")
                                                  .arg(name)));
                    const QString value = page->options.value(name);
                    QVERIFY2(match.captured(2) == value,
                             qPrintable(QStringLiteral("README.md writes `%1`; %2 --help prints "
                                                       "%3 <%4>")
                                            .arg(match.captured(0), page->name, name, value)));
                    ++checked;
                }
            }
        }
        QVERIFY2(checked >= 10, "too few options in the README's command-line tables");
    }

    // The command table names each command of `querydeck --help`, and only those.
    void readmeCommandsMatchTheProgram()
    {
        static const QRegularExpression command(QStringLiteral("^`querydeck ([a-z][a-z0-9-]*)"));
        QSet<QString> documented;
        for (const QString& cell : firstTableCells(commandLineSection()))
            if (const auto match = command.match(cell); match.hasMatch())
                documented.insert(match.captured(1));
        for (const QString& name : std::as_const(m_commands))
            QVERIFY2(documented.contains(name),
                     qPrintable(
                         QStringLiteral("README.md command table lacks `querydeck %1`").arg(name)));
        for (const QString& name : std::as_const(documented))
            QVERIFY2(m_commands.contains(name),
                     qPrintable(QStringLiteral("README.md lists `querydeck %1`, which "
                                               "`querydeck --help` does not")
                                    .arg(name)));
    }

    void everyHelpOptionIsInTheManPage_data() { addOptionRows(); }
    void everyHelpOptionIsInTheManPage()
    {
        QFETCH(QString, option);
        QVERIFY2(optionTokens(manPageText()).contains(option),
                 qPrintable(QStringLiteral("%1 is printed by --help but missing from "
                                           "packaging/querydeck.1")
                                .arg(option)));
    }

    void manPageDocumentsOnlyRealOptionsAndCommands()
    {
        const QString man = manPageText();
        for (const QString& option : optionTokens(man))
            QVERIFY2(pageWith(option),
                     qPrintable(QStringLiteral("querydeck.1 documents %1, which no --help prints")
                                    .arg(option)));
        for (const QString& command : std::as_const(m_commands))
            QVERIFY2(
                man.contains(QStringLiteral("querydeck ") + command),
                qPrintable(
                    QStringLiteral("querydeck.1 does not describe `querydeck %1`").arg(command)));
    }

    // The page is well-formed roff (no warnings) and names the current version.
    void manPageRendersCleanly()
    {
        const ProgramRun render = runProgram(
            QStringLiteral("groff"),
            {QStringLiteral("-man"), QStringLiteral("-Tutf8"), QStringLiteral("-ww"),
             QStringLiteral("-z"), QStringLiteral(QUERYDECK_SOURCE_DIR "/packaging/querydeck.1")});
        QVERIFY2(render.exitCode == 0 && render.err.isEmpty(), qPrintable(render.describe()));

        const ProgramRun version = runQueryDeck({QStringLiteral("--version")});
        QVERIFY2(version.exitCode == 0, qPrintable(version.describe()));
        const QString expected =
            QStringLiteral("\"QueryDeck %1\"")
                .arg(QString::fromUtf8(version.out.trimmed().split(' ').last()));
        static const QRegularExpression th(QStringLiteral("^\\.TH .*$"),
                                           QRegularExpression::MultilineOption);
        const QString header = th.match(manPageText()).captured(0);
        QVERIFY2(
            header.contains(expected),
            qPrintable(QStringLiteral(".TH line \"%1\" should name %2").arg(header, expected)));
    }
};

QTEST_GUILESS_MAIN(CliReferenceTest)
#include "tst_cli_reference.moc"
