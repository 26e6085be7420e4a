#include "app/Commands.h"
#include "app/ConsoleApp.h"
#include "app/ConsoleOptions.h"
#include "app/ServiceOptions.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/logging/Logging.h"
#include "ui/common/Theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>
#include <spdlog/spdlog.h>

namespace querydeck {

int runConsole(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The QueryDeck console in local dev mode: the query service runs in-process "
        "(127.0.0.1:8000, or a free port when taken), with live dashboards, a traffic "
        "generator, an Ask dock and logs."));
    parser.addHelpOption();
    const ServiceOptions serviceOptions(ServiceOptions::ServeOptions);
    serviceOptions.addTo(parser);
    ConsoleOptions::addTo(parser);
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "querydeck: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    ConsoleOptions options;
    if (const QString error = ConsoleOptions::read(parser, &options); !error.isEmpty()) {
        std::fprintf(stderr, "querydeck: %s\n", qPrintable(error));
        return 2;
    }
    ServiceOptions::Result resolved = serviceOptions.resolve(parser);
    if (!resolved.error.isEmpty()) {
        std::fprintf(stderr, "querydeck: %s\n", qPrintable(resolved.error));
        return 2;
    }
    ConsoleConfig console;
    const QString configPath = serviceOptions.configPath(parser);
    if (!configPath.isEmpty()) {
        const ConsoleConfigLoadResult loaded = ConsoleConfigLoader::loadFile(configPath);
        if (!loaded.ok()) {
            std::fprintf(stderr, "querydeck: %s:\n  %s\n", qPrintable(configPath),
                         qPrintable(loaded.errors.join(QStringLiteral("\n  "))));
            return 2;
        }
        resolved.warnings += loaded.warnings;
        console = loaded.value;
    }
    if (const QString error = LoggingSetup::apply(resolved.config.logging); !error.isEmpty()) {
        std::fprintf(stderr, "querydeck: logging: %s\n", qPrintable(error));
        return 2;
    }
    for (const QString& warning : resolved.warnings)
        spdlog::warn("[config] {}", warning.toStdString());

    Theme::apply(*qApp, Theme::Mode::Dark);
    ConsoleApp consoleApp(resolved.config, console, options);
    if (const QString error = consoleApp.start(parser.isSet(QStringLiteral("port")));
        !error.isEmpty()) {
        spdlog::critical("[console] cannot start the embedded service: {}", error.toStdString());
        return 1;
    }
    return QApplication::exec();
}

} // namespace querydeck
