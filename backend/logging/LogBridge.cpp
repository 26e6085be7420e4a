#include "backend/logging/LogBridge.h"

#include "backend/logging/Logging.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <spdlog/sinks/base_sink.h>

namespace querydeck {

// The spdlog side of LogBridge. base_sink serialises sink_it_() with its
// mutex, which detach() takes too, so a bridge being destroyed never races a
// record in flight.
class LogBridgeSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    explicit LogBridgeSink(LogBridge* bridge)
        : m_bridge(bridge)
    {
    }

    void detach()
    {
        std::lock_guard lock(mutex_);
        m_bridge = nullptr;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        if (!m_bridge)
            return;
        const qint64 ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch())
                .count();
        const QString logger =
            QString::fromUtf8(msg.logger_name.data(), qsizetype(msg.logger_name.size()));
        const QString message = LoggingSetup::redact(
            QString::fromUtf8(msg.payload.data(), qsizetype(msg.payload.size())));
        emit m_bridge->record(ms, int(msg.level), logger, message);
    }

    void flush_() override {}

private:
    LogBridge* m_bridge;
};

namespace {

std::atomic<LogBridge*> g_instance{nullptr};
std::once_flag g_installed;

} // namespace

LogBridge* LogBridge::install()
{
    std::call_once(g_installed, [] {
        auto* bridge = new LogBridge; // deliberately never deleted, see header
        LoggingSetup::addSink(bridge->sink());
        g_instance.store(bridge);
    });
    return g_instance.load();
}

LogBridge* LogBridge::instance()
{
    return g_instance.load();
}

LogBridge::LogBridge(QObject* parent)
    : QObject(parent)
    , m_sink(std::make_shared<LogBridgeSink>(this))
{
}

LogBridge::~LogBridge()
{
    m_sink->detach();
    LoggingSetup::removeSink(m_sink);
}

std::shared_ptr<spdlog::sinks::sink> LogBridge::sink() const
{
    return m_sink;
}

} // namespace querydeck
