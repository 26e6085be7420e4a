#include "backend/logging/JsonLogFormatter.h"

#include "backend/logging/LogText.h"

#include <spdlog/details/log_msg.h>

namespace querydeck {

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest)
{
    std::string redacted;
    const std::string_view payload =
        LogText::safePayload({msg.payload.data(), msg.payload.size()}, redacted);
    const auto level = spdlog::level::to_string_view(msg.level);

    constexpr std::string_view ts = "{\"ts\":\"";
    dest.append(ts.data(), ts.data() + ts.size());
    LogText::appendTimestamp(msg.time, dest);
    constexpr std::string_view levelKey = "\",\"level\":";
    dest.append(levelKey.data(), levelKey.data() + levelKey.size());
    LogText::appendJsonString(std::string_view(level.data(), level.size()), dest);
    constexpr std::string_view loggerKey = ",\"logger\":";
    dest.append(loggerKey.data(), loggerKey.data() + loggerKey.size());
    LogText::appendJsonString(std::string_view(msg.logger_name.data(), msg.logger_name.size()),
                              dest);
    constexpr std::string_view msgKey = ",\"msg\":";
    dest.append(msgKey.data(), msgKey.data() + msgKey.size());
    LogText::appendJsonString(payload, dest);
    constexpr std::string_view end = "}\n";
    dest.append(end.data(), end.data() + end.size());
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const
{
    return std::make_unique<JsonLogFormatter>();
}

} // namespace querydeck
