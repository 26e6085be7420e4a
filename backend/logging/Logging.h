#pragma once

#include "backend/logging/LoggingConfig.h"

#include <QString>
#include <memory>
#include <optional>
#include <spdlog/formatter.h>
#include <spdlog/logger.h>
#include <string_view>

namespace querydeck {

// Process-wide logging on spdlog.
//
// Usage: call LoggingSetup::apply(config.logging) once at start-up (before
// that, records go to stderr as text at info level). Then log through a
// component logger, never through spdlog's registry by name on a hot path:
//
//     log::service()->info("request {} answered in {} ms", requestId, ms);
//     log::get("redis")->warn("sentinel {} unreachable", address);
//
// Every logger shares one output (stderr or LoggingConfig::file), one format
// (text or JSON lines, see TextLogFormatter / JsonLogFormatter) and one level.
// qDebug/qWarning/qCritical arrive on logger "qt". Both formatters escape
// untrusted text and mask "Bearer <token>" as a last line of defence; still,
// never pass secrets, and log query text only at debug level unless
// LoggingConfig::logQueries says otherwise.
//
// Thread rules: apply() is meant for start-up but is safe at any time;
// loggers may be used from any thread.
class LoggingSetup
{
public:
    // Applies level, format and output. Returns an error naming the field
    // and the problem (leaving the previous set-up in place), or empty.
    static QString apply(const LoggingConfig& config);
    // trace, debug, info, warn|warning, error|err, critical, off (any case).
    static std::optional<spdlog::level::level_enum> parseLevel(const QString& text);
    // "text" or "json"; nullptr for anything else.
    static std::unique_ptr<spdlog::formatter> makeFormatter(const QString& format);
    // Masks bearer tokens; see LogText::redactSecrets().
    static QString redact(QString text);
    static void flush();
    // Routes Qt's qDebug/qWarning/... to logger "qt"; apply() does this.
    static void installQtMessageHandler();
    // Adds a sink every logger writes to besides the configured output (e.g.
    // the LogBridge feeding the console's Logs dock); it survives apply().
    // Adding the same sink twice has no effect.
    static void addSink(std::shared_ptr<spdlog::sinks::sink> sink);
    static void removeSink(const std::shared_ptr<spdlog::sinks::sink>& sink);
};

namespace log {

// The logger of a component, created on first use with the shared output.
std::shared_ptr<spdlog::logger> get(std::string_view component);

const std::shared_ptr<spdlog::logger>& service();
const std::shared_ptr<spdlog::logger>& http();
const std::shared_ptr<spdlog::logger>& cache();
const std::shared_ptr<spdlog::logger>& retrieval();
const std::shared_ptr<spdlog::logger>& config();
const std::shared_ptr<spdlog::logger>& qt();

} // namespace log

} // namespace querydeck
