#include "backend/logging/TextLogFormatter.h"

#include "backend/logging/LogText.h"

#include <spdlog/details/log_msg.h>

namespace querydeck {

void TextLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest)
{
    std::string redacted;
    const std::string_view payload =
        LogText::safePayload({msg.payload.data(), msg.payload.size()}, redacted);
    const auto level = spdlog::level::to_string_view(msg.level);

    LogText::appendTimestamp(msg.time, dest);
    dest.push_back(' ');
    dest.append(level.data(), level.data() + level.size());
    dest.push_back(' ');
    dest.push_back('[');
    LogText::appendPlainText(std::string_view(msg.logger_name.data(), msg.logger_name.size()),
                             dest);
    dest.push_back(']');
    dest.push_back(' ');
    LogText::appendPlainText(payload, dest);
    dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> TextLogFormatter::clone() const
{
    return std::make_unique<TextLogFormatter>();
}

} // namespace querydeck
