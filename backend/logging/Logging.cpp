#include "backend/logging/Logging.h"

#include "backend/logging/JsonLogFormatter.h"
#include "backend/logging/LogText.h"
#include "backend/logging/TextLogFormatter.h"

#include <QFile>
#include <QtGlobal>
#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

// All loggers write into one dist_sink whose child is swapped by apply(), so
// loggers handed out before apply() (and cached in statics) follow it.
struct LogState
{
    LogState()
        : output(std::make_shared<spdlog::sinks::dist_sink_mt>())
    {
        auto stderrSink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        stderrSink->set_formatter(std::make_unique<TextLogFormatter>());
        output->add_sink(std::move(stderrSink));
    }

    std::mutex mutex;
    std::shared_ptr<spdlog::sinks::dist_sink_mt> output;
    std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
    std::vector<std::shared_ptr<spdlog::sinks::sink>> extraSinks; // kept across apply()
    spdlog::level::level_enum level = spdlog::level::info;
};

LogState& state()
{
    static LogState instance;
    return instance;
}

void forwardQtMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    spdlog::level::level_enum level = spdlog::level::info;
    switch (type) {
    case QtDebugMsg:
        level = spdlog::level::debug;
        break;
    case QtInfoMsg:
        level = spdlog::level::info;
        break;
    case QtWarningMsg:
        level = spdlog::level::warn;
        break;
    case QtCriticalMsg:
        level = spdlog::level::err;
        break;
    case QtFatalMsg:
        level = spdlog::level::critical;
        break;
    }
    const auto& logger = log::qt();
    if (!logger->should_log(level))
        return;
    QByteArray text;
    if (context.category && std::strcmp(context.category, "default") != 0)
        text.append('[').append(context.category).append("] ");
    text.append(message.toUtf8());
    logger->log(level, spdlog::string_view_t(text.constData(), std::size_t(text.size())));
    if (type == QtFatalMsg) // Qt aborts right after the handler returns
        logger->flush();
}

} // namespace

QString LoggingSetup::apply(const LoggingConfig& config)
{
    const auto level = parseLevel(config.level);
    if (!level) {
        return QStringLiteral("logging.level: unknown level \"%1\" (expected trace, debug, info, "
                              "warn, error, critical or off)")
            .arg(config.level);
    }
    auto formatter = makeFormatter(config.format);
    if (!formatter) {
        return QStringLiteral("logging.format: unknown format \"%1\" (expected text or json)")
            .arg(config.format);
    }

    std::shared_ptr<spdlog::sinks::sink> output;
    if (config.file.isEmpty()) {
        output = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
        try {
            output = std::make_shared<spdlog::sinks::basic_file_sink_mt>(
                QFile::encodeName(config.file).toStdString(), /*truncate=*/false);
        } catch (const spdlog::spdlog_ex& error) {
            return QStringLiteral("logging.file: cannot open \"%1\" for appending (%2)")
                .arg(config.file, QString::fromLocal8Bit(error.what()));
        }
    }
    output->set_formatter(std::move(formatter));

    LogState& s = state();
    {
        std::lock_guard lock(s.mutex);
        s.level = *level;
        s.output->flush();
        std::vector<std::shared_ptr<spdlog::sinks::sink>> sinks{std::move(output)};
        sinks.insert(sinks.end(), s.extraSinks.begin(), s.extraSinks.end());
        s.output->set_sinks(std::move(sinks));
        for (auto& [name, logger] : s.loggers)
            logger->set_level(*level);
    }
    spdlog::set_default_logger(log::get("querydeck"));
    if (!config.file.isEmpty()) // files are buffered; stderr is flushed per line
        spdlog::flush_every(std::chrono::seconds(1));
    installQtMessageHandler();
    return {};
}

std::optional<spdlog::level::level_enum> LoggingSetup::parseLevel(const QString& text)
{
    const QString name = text.trimmed().toLower();
    if (name == u"trace")
        return spdlog::level::trace;
    if (name == u"debug")
        return spdlog::level::debug;
    if (name == u"info")
        return spdlog::level::info;
    if (name == u"warn" || name == u"warning")
        return spdlog::level::warn;
    if (name == u"error" || name == u"err")
        return spdlog::level::err;
    if (name == u"critical")
        return spdlog::level::critical;
    if (name == u"off")
        return spdlog::level::off;
    return std::nullopt;
}

std::unique_ptr<spdlog::formatter> LoggingSetup::makeFormatter(const QString& format)
{
    if (format == u"text")
        return std::make_unique<TextLogFormatter>();
    if (format == u"json")
        return std::make_unique<JsonLogFormatter>();
    return nullptr;
}

QString LoggingSetup::redact(QString text)
{
    const QByteArray utf8 = text.toUtf8();
    const std::string_view view(utf8.constData(), std::size_t(utf8.size()));
    if (!LogText::mayContainSecret(view))
        return text;
    const std::string masked = LogText::redactSecrets(view);
    return QString::fromUtf8(masked.data(), qsizetype(masked.size()));
}

void LoggingSetup::flush()
{
    state().output->flush();
}

void LoggingSetup::installQtMessageHandler()
{
    qInstallMessageHandler(forwardQtMessage);
}

void LoggingSetup::addSink(std::shared_ptr<spdlog::sinks::sink> sink)
{
    if (!sink)
        return;
    LogState& s = state();
    std::lock_guard lock(s.mutex);
    if (std::find(s.extraSinks.begin(), s.extraSinks.end(), sink) != s.extraSinks.end())
        return;
    s.extraSinks.push_back(sink);
    s.output->add_sink(std::move(sink));
}

void LoggingSetup::removeSink(const std::shared_ptr<spdlog::sinks::sink>& sink)
{
    LogState& s = state();
    std::lock_guard lock(s.mutex);
    const auto found = std::find(s.extraSinks.begin(), s.extraSinks.end(), sink);
    if (found == s.extraSinks.end())
        return;
    s.extraSinks.erase(found);
    s.output->remove_sink(sink);
}

namespace log {

std::shared_ptr<spdlog::logger> get(std::string_view component)
{
    LogState& s = state();
    std::lock_guard lock(s.mutex);
    const auto found = s.loggers.find(component);
    if (found != s.loggers.end())
        return found->second;
    auto logger = std::make_shared<spdlog::logger>(std::string(component), s.output);
    logger->set_level(s.level);
    logger->flush_on(spdlog::level::warn);
    // Registered so spdlog::flush_every() and spdlog::get() see it; a name
    // someone else registered first keeps theirs.
    try {
        if (!spdlog::get(logger->name()))
            spdlog::register_logger(logger);
    } catch (const spdlog::spdlog_ex&) {
    }
    s.loggers.emplace(std::string(component), logger);
    return logger;
}

const std::shared_ptr<spdlog::logger>& service()
{
    static const auto logger = get("service");
    return logger;
}

const std::shared_ptr<spdlog::logger>& http()
{
    static const auto logger = get("http");
    return logger;
}

const std::shared_ptr<spdlog::logger>& cache()
{
    static const auto logger = get("cache");
    return logger;
}

const std::shared_ptr<spdlog::logger>& retrieval()
{
    static const auto logger = get("retrieval");
    return logger;
}

const std::shared_ptr<spdlog::logger>& config()
{
    static const auto logger = get("config");
    return logger;
}

const std::shared_ptr<spdlog::logger>& qt()
{
    static const auto logger = get("qt");
    return logger;
}

} // namespace log

} // namespace querydeck
