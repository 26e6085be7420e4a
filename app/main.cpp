#include "Commands.h"
#include "SignalWaiter.h"
#include "Version.h"

#include <QCoreApplication>
#include <cstdio>

namespace {

const char* const kUsage =
    "Usage: querydeck [--version] [--help] <command> [options]\n"
    "\n"
    "QueryDeck runs and operates a retrieval-augmented query service.\n"
    "\n"
    "Commands:\n"
    "  serve          Run the query service headless (one fleet replica).\n"
    "  query \"text\"   Ask one question through the in-process pipeline; JSON on stdout.\n"
    "\n"
    "Without a command, querydeck runs the service in the foreground with the\n"
    "local dev mode defaults (127.0.0.1:8000, in-memory cache, bundled corpus),\n"
    "like `querydeck serve`.\n"
    "\n"
    "Options:\n"
    "  -h, --help     Show this help; `querydeck <command> --help` for a command's options.\n"
    "  -v, --version  Print the version and exit.\n";

} // namespace

int main(int argc, char** argv)
{
    // Before any thread exists, so the signal mask is inherited everywhere.
    querydeck::SignalWaiter::block();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QString::fromLatin1(querydeck::kApplicationName));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(querydeck::kVersion));

    QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.size() > 1 ? arguments.at(1) : QString();
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        std::printf("querydeck %s\n", querydeck::kVersion);
        return 0;
    }
    if (command == QLatin1String("--help") || command == QLatin1String("-h")) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (command == QLatin1String("serve") || command == QLatin1String("query")) {
        arguments.removeAt(1); // the parser sees "querydeck [options]"
        return command == QLatin1String("serve") ? querydeck::runServe(arguments)
                                                 : querydeck::runQuery(arguments);
    }
    if (command.isEmpty() || command.startsWith(QLatin1Char('-')))
        return querydeck::runServe(arguments);
    std::fprintf(stderr, "querydeck: unknown command \"%s\"\n\n%s", qPrintable(command), kUsage);
    return 2;
}
