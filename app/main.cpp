#include "app/Commands.h"
#include "app/SignalWaiter.h"
#include "backend/common/Version.h"

#include <QApplication>
#include <QCoreApplication>
#include <QIcon>
#include <cstdio>

namespace {

const char* const kUsage =
    "Usage: querydeck [--version] [--help] <command> [options]\n"
    "\n"
    "QueryDeck runs and operates a retrieval-augmented query service.\n"
    "\n"
    "Commands:\n"
    "  (none)         The console in local dev mode: the query service in-process on\n"
    "                 127.0.0.1:8000 (or a free port), live dashboards, traffic generator.\n"
    "                 --wall for the monitoring wall; see `querydeck --help-console`.\n"
    "  serve          Run the query service headless (one fleet replica).\n"
    "  fleet          Run N serve replicas behind a managed nginx, in the foreground.\n"
    "  query \"text\"   Ask one question through the in-process pipeline; JSON on stdout.\n"
    "  export-rules FILE [--rules JSON]\n"
    "                 Write the alert rules as a Prometheus rules file (default rules\n"
    "                 without --rules).\n"
    "  import-rules FILE --out JSON\n"
    "                 Read a Prometheus rules file into a QueryDeck rule set.\n"
    "\n"
    "Options:\n"
    "  -h, --help     Show this help; `querydeck <command> --help` for a command's options.\n"
    "  --help-console The console's options (--wall, --screen, --screenshot, ...).\n"
    "  -v, --version  Print the version and exit.\n";

} // namespace

int main(int argc, char** argv)
{
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    const bool headless = command == QLatin1String("serve") || command == QLatin1String("query") ||
                          command == QLatin1String("fleet") ||
                          command == QLatin1String("export-rules") ||
                          command == QLatin1String("import-rules") ||
                          command == QLatin1String("--version") || command == QLatin1String("-v") ||
                          command == QLatin1String("--help") || command == QLatin1String("-h");
    if (!headless && !command.isEmpty() && !command.startsWith(QLatin1Char('-'))) {
        std::fprintf(stderr, "querydeck: unknown command \"%s\"\n\n%s", qPrintable(command),
                     kUsage);
        return 2;
    }
    if (!headless) {
        // The console: a QApplication, and Ctrl+C ends it as usual.
        QApplication app(argc, argv);
        QApplication::setApplicationName(QString::fromLatin1(querydeck::kApplicationName));
        QApplication::setApplicationVersion(QString::fromLatin1(querydeck::kVersion));
        // Ties the windows to the installed desktop entry and icon (Wayland app id).
        QApplication::setDesktopFileName(QStringLiteral("io.querydeck.QueryDeck"));
        QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.querydeck.QueryDeck")));
        QStringList arguments = QApplication::arguments();
        if (command == QLatin1String("--help-console"))
            arguments[1] = QStringLiteral("--help");
        return querydeck::runConsole(arguments);
    }

    // Before any thread exists, so the signal mask is inherited everywhere.
    querydeck::SignalWaiter::block();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QString::fromLatin1(querydeck::kApplicationName));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(querydeck::kVersion));

    QStringList arguments = QCoreApplication::arguments();
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        std::printf("querydeck %s\n", querydeck::kVersion);
        return 0;
    }
    if (command == QLatin1String("--help") || command == QLatin1String("-h")) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    arguments.removeAt(1); // the parser sees "querydeck [options]"
    if (command == QLatin1String("fleet"))
        return querydeck::runFleet(arguments);
    if (command == QLatin1String("export-rules"))
        return querydeck::runExportRules(arguments);
    if (command == QLatin1String("import-rules"))
        return querydeck::runImportRules(arguments);
    return command == QLatin1String("serve") ? querydeck::runServe(arguments)
                                             : querydeck::runQuery(arguments);
}
