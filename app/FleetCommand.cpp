#include "app/Commands.h"
#include "app/SignalWaiter.h"
#include "backend/common/IntegerOption.h"
#include "backend/config/ConfigLoader.h"
#include "backend/config/FleetCommandConfig.h"
#include "backend/fleethost/LocalFleetHost.h"
#include "backend/logging/Logging.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <csignal>
#include <cstdio>
#include <spdlog/spdlog.h>
#include <thread>

namespace querydeck {

int runFleet(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run a local fleet in the foreground: N `querydeck serve` replicas behind a managed "
        "nginx front door (least_conn, retries on error, timeout and 503). Crashed replicas "
        "restart with exponential backoff within a restart budget.\n"
        "Replica N listens on --replica-base-port + N and logs to replica-N.log in the runtime "
        "folder; nginx runs with its own prefix, pid file and error log there.\n"
        "Without nginx installed, one replica runs directly on --port.\n"
        "With an auto-scaler in the config file (fleet.autoscaler, mode recommend or apply), "
        "each replica's /metrics is scraped and the auto-scaler's decisions are logged with "
        "their inputs; in apply mode it changes the number of replicas.\n"
        "SIGTERM or SIGINT drains every replica (out of the upstream, in-flight requests "
        "finished), stops them and nginx, and exits 0."));
    parser.addHelpOption();
    const QCommandLineOption replicas(QStringLiteral("replicas"),
                                      QStringLiteral("Number of replicas (1-32). Default: 2."),
                                      QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port of the front door. Default: 8000."),
                                  QStringLiteral("PORT"), QStringLiteral("8000"));
    const QCommandLineOption host(
        QStringLiteral("host"),
        QStringLiteral("Address the front door and the replicas listen on. Default: 127.0.0.1."),
        QStringLiteral("ADDRESS"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption basePort(
        QStringLiteral("replica-base-port"),
        QStringLiteral("Replica N listens on this port + N. Default: the front door's port."),
        QStringLiteral("PORT"));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QStringLiteral("Configuration file (JSON), passed to every replica; its \"fleet\" "
                       "section configures the auto-scaler. Default: %1 when it exists.")
            .arg(ConfigLoader::defaultPath()),
        QStringLiteral("FILE"));
    const QCommandLineOption corpus(QStringLiteral("corpus"),
                                    QStringLiteral("Corpus folder, passed to every replica."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption nginx(QStringLiteral("nginx"),
                                   QStringLiteral("The nginx executable. Default: nginx on PATH "
                                                  "or in /usr/sbin."),
                                   QStringLiteral("PATH"), QStringLiteral("nginx"));
    const QCommandLineOption runtimeDir(
        QStringLiteral("runtime-dir"),
        QStringLiteral("Folder for nginx's config, pid and logs and the replicas' logs. Default: "
                       "querydeck-fleet-PORT in the user's runtime folder."),
        QStringLiteral("DIR"));
    const QCommandLineOption drainTimeout(
        QStringLiteral("drain-timeout-ms"),
        QStringLiteral("Most time a draining replica gets to finish its requests. Default: the "
                       "config's http.drain_timeout_ms (20000)."),
        QStringLiteral("MS"));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
                                      QStringLiteral("Log level of the fleet and its replicas: "
                                                     "trace, debug, info, warn, error. Default: "
                                                     "info."),
                                      QStringLiteral("LEVEL"));
    parser.addOptions({replicas, port, host, basePort, config, corpus, nginx, runtimeDir,
                       drainTimeout, logLevel});
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "querydeck fleet: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QLatin1String("[options]"),
                                                        QLatin1String("fleet [options]"))),
                   stdout);
        return 0;
    }
    const auto usageError = [](const QString& message) {
        std::fprintf(stderr, "querydeck fleet: %s\n", qPrintable(message));
        return 2;
    };
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    LocalFleetOptions options;
    int count = 0;
    if (!parseIntegerOption(parser.value(replicas), 1, options.maxReplicas, &count))
        return usageError(QStringLiteral("--replicas: \"%1\" is not a number from 1 to %2")
                              .arg(parser.value(replicas))
                              .arg(options.maxReplicas));
    if (!parseIntegerOption(parser.value(port), 1, 65535, &options.frontPort))
        return usageError(QStringLiteral("--port: \"%1\" is not a port number (1-65535)")
                              .arg(parser.value(port)));
    options.host = parser.value(host);
    if (QHostAddress(options.host).isNull())
        return usageError(
            QStringLiteral("--host: \"%1\" is not an IPv4 or IPv6 address").arg(options.host));
    if (parser.isSet(basePort) &&
        !parseIntegerOption(parser.value(basePort), 1, 65535 - count, &options.replicaBasePort))
        return usageError(QStringLiteral("--replica-base-port: \"%1\" is not a port number that "
                                         "leaves room for %2 replicas")
                              .arg(parser.value(basePort))
                              .arg(count));
    if (options.replicaPort(count) > 65535)
        return usageError(QStringLiteral("--port %1 leaves no room for %2 replica ports above it; "
                                         "set --replica-base-port")
                              .arg(options.frontPort)
                              .arg(count));

    // The config is validated here so a mistake is reported once, not by every replica.
    options.configFile = parser.value(config);
    if (options.configFile.isEmpty() && QFileInfo::exists(ConfigLoader::defaultPath()))
        options.configFile = ConfigLoader::defaultPath();
    ServiceConfig serviceConfig;
    FleetCommandConfig fleetConfig;
    QStringList configWarnings;
    if (!options.configFile.isEmpty()) {
        const ConfigLoadResult loaded = ConfigLoader::loadFile(options.configFile);
        FleetCommandConfigLoadResult fleetLoaded;
        if (loaded.ok())
            fleetLoaded = FleetCommandConfigLoader::loadFile(options.configFile);
        const QStringList errors = loaded.errors + fleetLoaded.errors;
        if (!errors.isEmpty())
            return usageError(QStringLiteral("%1:\n  %2")
                                  .arg(options.configFile, errors.join(QStringLiteral("\n  "))));
        serviceConfig = loaded.value;
        fleetConfig = fleetLoaded.value;
        configWarnings = fleetLoaded.warnings;
        options.configFile = QFileInfo(options.configFile).absoluteFilePath();
    }
    if (const QString error = LocalFleetHost::autoscalerFitError(options, fleetConfig);
        !error.isEmpty())
        return usageError(error);
    options.maxBodyBytes = serviceConfig.http.maxBodyBytes;
    options.frontDoor = fleetConfig.frontDoor;
    options.drainTimeoutMs = serviceConfig.http.drainTimeoutMs;
    if (parser.isSet(drainTimeout) &&
        !parseIntegerOption(parser.value(drainTimeout), 0, 3600000, &options.drainTimeoutMs))
        return usageError(QStringLiteral("--drain-timeout-ms: \"%1\" is not a number from 0 to "
                                         "3600000")
                              .arg(parser.value(drainTimeout)));
    if (parser.isSet(corpus)) {
        if (!QFileInfo(parser.value(corpus)).isDir())
            return usageError(
                QStringLiteral("--corpus: \"%1\" is not a folder").arg(parser.value(corpus)));
        options.extraArguments << QStringLiteral("--corpus")
                               << QFileInfo(parser.value(corpus)).absoluteFilePath();
    }
    LoggingConfig logging = serviceConfig.logging;
    if (parser.isSet(logLevel)) {
        logging.level = parser.value(logLevel);
        if (!LoggingSetup::parseLevel(logging.level))
            return usageError(QStringLiteral("--log-level: \"%1\" is not one of trace, debug, "
                                             "info, warn, error, critical, off")
                                  .arg(logging.level));
        options.extraArguments << QStringLiteral("--log-level") << logging.level;
    }
    if (const QString error = LoggingSetup::apply(logging); !error.isEmpty())
        return usageError(QStringLiteral("logging: %1").arg(error));
    for (const QString& warning : std::as_const(configWarnings))
        spdlog::warn("[fleet] {}: {}", options.configFile.toStdString(), warning.toStdString());

    options.nginxBinary = parser.value(nginx);
    options.querydeckBinary = QCoreApplication::applicationFilePath();
    options.runtimeDir = parser.value(runtimeDir);
    if (!LocalFleetHost::prepareRuntimeDir(options.runtimeDir, options.frontPort))
        return usageError(
            QStringLiteral("--runtime-dir: cannot create \"%1\"").arg(options.runtimeDir));

    LocalFleetHost fleet(options, fleetConfig);
    QObject::connect(&fleet, &LocalFleetHost::finished,
                     [](int exitCode) { QCoreApplication::exit(exitCode); });
    // Signals are blocked in every thread (SignalWaiter::block in main); this
    // thread takes them and hands the shutdown to the event loop.
    std::thread([&fleet] { fleet.stopOnSignal(SignalWaiter::wait()); }).detach();

    fleet.start(count);
    const int code = QCoreApplication::exec();
    spdlog::shutdown();
    return code;
}

} // namespace querydeck
