#include "app/Commands.h"
#include "app/ServiceOptions.h"
#include "app/SignalWaiter.h"
#include "backend/logging/Logging.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryService.h"

#include <QCommandLineParser>
#include <csignal>
#include <cstdio>
#include <spdlog/spdlog.h>

namespace querydeck {

int runServe(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run the query service headless, as one replica of a fleet: HTTP API, "
                       "semantic cache, retrieval, generation and Prometheus metrics.\n"
                       "SIGTERM or SIGINT drains: the replica stops taking new queries, finishes "
                       "those in flight (bounded by http.drain_timeout_ms) and exits 0."));
    parser.addHelpOption();
    const ServiceOptions options(ServiceOptions::ServeOptions);
    options.addTo(parser);
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "querydeck serve: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QLatin1String("[options]"),
                                                        QLatin1String("serve [options]"))),
                   stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "querydeck serve: unexpected argument \"%s\"\n",
                     qPrintable(parser.positionalArguments().first()));
        return 2;
    }
    ServiceOptions::Result resolved = options.resolve(parser);
    if (!resolved.error.isEmpty()) {
        std::fprintf(stderr, "querydeck serve: %s\n", qPrintable(resolved.error));
        return 2;
    }
    if (const QString error = LoggingSetup::apply(resolved.config.logging); !error.isEmpty()) {
        std::fprintf(stderr, "querydeck serve: logging: %s\n", qPrintable(error));
        return 2;
    }
    for (const QString& warning : resolved.warnings)
        spdlog::warn("[config] {}", warning.toStdString());

    QueryService service(resolved.config, std::make_shared<KeychainSecretStore>());
    if (const QString error = service.start(); !error.isEmpty()) {
        spdlog::critical("[service] cannot start: {}", error.toStdString());
        return 1;
    }
    const int signal = SignalWaiter::wait();
    const auto timeout = std::chrono::milliseconds(resolved.config.http.drainTimeoutMs);
    service.drain(QStringLiteral("received %1").arg(signal == SIGTERM ? "SIGTERM" : "SIGINT"));
    if (!service.waitForIdle(timeout))
        spdlog::warn("[service] drain timeout ({} ms) reached with {} requests in flight",
                     timeout.count(), service.state().inFlight());
    service.stop();
    spdlog::info("[service] stopped");
    spdlog::shutdown();
    return 0;
}

} // namespace querydeck
